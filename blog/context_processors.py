from django.conf import settings


def site(request):
    """Site-wide names every template shows (header, <title>, meta)."""
    return {
        "site_title": settings.SITE_TITLE,
        "site_tagline": settings.SITE_TAGLINE,
        "site_url": settings.SITE_URL,
        "site_language": settings.SITE_LANGUAGE,
    }
