"""Comments that arrive whole from another site (a WordPress import): their status, dates and thread kept.

Not a reader's comment: no moderation rules, no flood or duplicate checks and no email;
the old site's decision stands. The body is cleaned as every comment's is.
"""

from django.db import transaction

from comments.models import Comment
from comments.sanitize import sanitize_comment_html, sanitize_plain


@transaction.atomic
def comment_import(
    *,
    post,
    parent,
    body,
    author_name,
    author_email="",
    author_url="",
    status,
    kind=Comment.Kind.COMMENT,
    created_at,
    ip_address=None,
    user=None,
    comment=None,
):
    """Store (or, given ``comment``, update in place) one imported comment under ``parent``."""
    if comment is None:
        comment = Comment(post=post, parent=parent)
    comment.user = user
    comment.author_name = sanitize_plain(author_name)[:245] or "Anonymous"
    comment.author_email = author_email[:100]
    comment.author_url = sanitize_plain(author_url)[:200]
    comment.body = sanitize_comment_html(body)
    comment.status = status
    comment.kind = kind
    comment.created_at = created_at
    comment.ip_address = ip_address
    comment.was_published = status == Comment.Status.APPROVED
    is_new = comment.pk is None
    comment.save()
    if is_new:
        comment.place_in_thread()
    return comment
