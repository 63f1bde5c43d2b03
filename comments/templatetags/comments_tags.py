from django import template
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog.models import Post, display_name
from blog.sanitize import plain_text
from blog.structured_data import absolute
from comments.models import Comment
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
    return avatar_svg(display_name(user), user.email or user.get_username(), size)


@register.inclusion_tag("comments/includes/recent_comments.html")
def recent_comments(count=5):
    """The sidebar's latest approved comments on published posts (rendered inside its cached fragment)."""
    comments = (
        Comment.objects.approved()
        .filter(post__in=Post.objects.published())
        .select_related("post")
        .only("author_name", "post__title", "post__slug", "post__published_at")
        .order_by("-created_at", "-pk")
    )
    return {"recent_comments": list(comments[:count])}


@register.simple_tag
def comments_json_ld(post, thread):
    """What the post's JSON-LD says of its comments: the count and the approved ones as schema.org Comments."""
    url = absolute(post.get_absolute_url())
    return {
        "commentCount": thread.count,
        "comment": [
            {
                "@type": "Comment",
                "@id": f"{url}#comment-{comment.pk}",
                "url": f"{url}#comment-{comment.pk}",
                "author": {"@type": "Person", "name": comment.author_name},
                "dateCreated": timezone.localtime(comment.created_at).isoformat(timespec="seconds"),
                "text": plain_text(comment.body),
                **({"parentItem": {"@id": f"{url}#comment-{comment.parent_id}"}} if comment.parent_id else {}),
            }
            for comment in thread.by_id.values()
            if comment.is_approved
        ],
    }
