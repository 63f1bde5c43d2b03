from django import template
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from comments.sanitize import clean_stored_comment_html

register = template.Library()

AVATAR_SALT = "comments.avatar-colour"
# Background colours with white initials at >= 4.5:1 contrast.
AVATAR_COLOURS = ["#8a3b12", "#1d5c8c", "#2f6b3a", "#6b3a8a", "#8a1f4a", "#4d5a12", "#0f6868", "#5a4634"]


@register.filter
def sanitized_comment(html):
    """Comment HTML, cleaned again at display: the only way a template marks it safe."""
    return mark_safe(clean_stored_comment_html(html))  # noqa: S308 - nh3 has just cleaned it


def avatar_svg(name, key, size=40):
    """An avatar drawn by the site: initials on a colour chosen from a keyed hash of ``key``.

    No request leaves the site (no Gravatar) and the colour does not reveal the email.
    """
    words = [w for w in name.split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    digest = salted_hmac(AVATAR_SALT, key.strip().lower(), algorithm="sha256").digest()
    colour = AVATAR_COLOURS[digest[0] % len(AVATAR_COLOURS)]
    return format_html(
        '<svg class="avatar" width="{size}" height="{size}" viewBox="0 0 40 40" aria-hidden="true" focusable="false">'
        '<rect width="40" height="40" rx="20" fill="{colour}"/>'
        '<text x="20" y="25.5" text-anchor="middle" font-size="15" font-family="system-ui, sans-serif" '
        'font-weight="600" fill="#ffffff">{initials}</text></svg>',
        size=size,
        colour=colour,
        initials=initials,
    )


@register.simple_tag
def comment_avatar(comment, size=40):
    return avatar_svg(comment.author_name, comment.author_email or comment.author_name, size)


@register.simple_tag
def author_avatar(user, size=72):
    return avatar_svg(user.get_full_name() or user.get_username(), user.email or user.get_username(), size)
