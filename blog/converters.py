"""Path converters for the WordPress-style permalink /<yyyy>/<mm>/<dd>/<slug>/, registered on import."""

from django.urls import register_converter


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class UnicodeSlug:
    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


# Registered once, on first import: by blog.urls and by config.urls for the routes at a post's permalink.
register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigits, "mm")
register_converter(UnicodeSlug, "uslug")
