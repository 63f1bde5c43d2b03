from django import template
from django.utils.safestring import mark_safe

from blog import navigation

register = template.Library()


@register.simple_tag
def site_menu():
    """The header menu of pages (cached HTML rendered from our own templates)."""
    return mark_safe(navigation.menu_html())  # noqa: S308 - rendered by render_to_string, autoescaped


@register.simple_tag
def site_sidebar():
    return mark_safe(navigation.sidebar_html())  # noqa: S308 - rendered by render_to_string, autoescaped


@register.simple_tag
def post_neighbours(post):
    return mark_safe(navigation.post_neighbours_html(post))  # noqa: S308 - rendered by render_to_string


@register.filter
def reading_time(html):
    minutes = navigation.reading_minutes(html)
    return f"{minutes} min read"
