from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from blog.images import responsive_body
from blog.models import display_name as user_display_name
from blog.sanitize import sanitize_post_html

register = template.Library()


@register.filter
def sanitized_post(html):
    """Post or page HTML, cleaned again at display: the only way a template marks post HTML safe.

    Library images in it get their renditions first (blog.images.responsive_body, one query).
    """
    return mark_safe(sanitize_post_html(responsive_body(html)))  # noqa: S308 - nh3 has just cleaned it


@register.filter
def display_name(user):
    """The name readers see for a user (blog.models.display_name)."""
    return user_display_name(user)


@register.filter
def iso8601(value):
    """A datetime as ISO 8601 to the second (HTML's <time datetime> allows at most 3 decimals)."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")
