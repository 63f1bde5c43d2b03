from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def validate_image_file(file):
    """Refuse images too large in bytes or pixels (decompression bombs) before they are stored."""
    if file.size > settings.FEATURED_IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(settings.FEATURED_IMAGE_MAX_BYTES)}
        )
    width, height = getattr(file, "width", None), getattr(file, "height", None)
    if width and height and width * height > settings.FEATURED_IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; it may have at most %(limit)s million pixels.")
            % {"width": width, "height": height, "limit": settings.FEATURED_IMAGE_MAX_PIXELS // 1_000_000}
        )
