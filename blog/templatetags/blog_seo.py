import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog.structured_data import meta_description, post_image, post_json_ld

register = template.Library()

# Characters that could end the <script> data block or start markup, as in Django's json_script.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(post, extra=None):
    """A JSON-LD data block (not executed, so the CSP's script rules do not apply to it)."""
    data = post_json_ld(post, extra=extra)
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag
def preview_image(post):
    return post_image(post)


@register.filter
def description(post):
    return meta_description(post)
