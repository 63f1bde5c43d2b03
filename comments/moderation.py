"""Whether a new comment is published, held or trashed: WordPress's Discussion rules.

Pure functions over an unsaved comment (body already sanitised) and the discussion
settings; the service looks up what needs the database and stores the decision.
"""

import re
from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blog.sanitize import plain_text
from comments.models import Comment
from comments.sanitize import count_links, link_urls


@dataclass(frozen=True)
class Decision:
    """A status from ``Comment.Status`` and, unless approved, the sentence a moderator reads."""

    status: str
    reason: str = ""

    @property
    def is_approved(self):
        return self.status == Comment.Status.APPROVED


def decide(comment, discussion, *, trusted, has_approved_comment, uses_account_email):
    """The status of a new comment and why (WordPress's wp_allow_comment); no side effects.

    ``trusted``: the commenter is logged in and is the post's author or may moderate all comments.
    ``has_approved_comment``: the commenter already has an approved comment (a visitor: one
    written logged out with the same name and email; a logged-in user: one of their own).
    ``uses_account_email``: a logged-out commenter typed the email address of an account.
    """
    if trusted:
        return Decision(Comment.Status.APPROVED)
    fields = comment_fields(comment)
    if key := match_key(discussion.disallowed_keys, *fields):
        return Decision(Comment.Status.TRASH, _("Matched disallowed key “%(key)s”.") % {"key": _short(key)})
    if reason := hold_reason(
        comment, discussion, has_approved_comment=has_approved_comment, uses_account_email=uses_account_email
    ):
        return Decision(Comment.Status.PENDING, reason)
    return Decision(Comment.Status.APPROVED)


def hold_reason(comment, discussion, *, has_approved_comment, uses_account_email):
    """Why the comment waits for a moderator, or "" (WordPress's check_comment, in its order).

    A visitor using an account's address is held whatever the settings, and said first:
    anyone can type someone else's name and email.
    """
    if uses_account_email:
        return _("Uses the email address of a registered account: please check it is really them.")
    if discussion.comment_moderation:
        return _("Manual approval is on.")
    links, limit = count_links(comment.body), discussion.comment_max_links
    if limit and links >= limit:
        return ngettext(
            "Contains %(count)d link (limit %(limit)d).", "Contains %(count)d links (limit %(limit)d).", links
        ) % {"count": links, "limit": limit}
    if key := match_key(discussion.moderation_keys, *comment_fields(comment)):
        return _("Matched moderation key “%(key)s”.") % {"key": _short(key)}
    # WordPress holds an author without name or email too: there is nobody to recognise.
    known = has_approved_comment and comment.author_name and comment.author_email
    if discussion.comment_previously_approved and not known:
        return _("First comment from this author: waiting for a first approval.")
    return ""


def comment_fields(comment):
    """The texts a moderation or disallowed key is looked for in."""
    return (
        comment.author_name,
        comment.author_email,
        comment.author_url,
        # Paragraphs are stored back to back: keep their words apart.
        plain_text(re.sub(r"</p>|<br>|</?blockquote\b", r" \g<0>", comment.body or "")),
        *link_urls(comment.body),
        comment.ip_address,
        comment.user_agent,
    )


def match_key(keys_text, *fields):
    """The first key (one per line) found in any field, ignoring case and inside words, else None."""
    haystacks = [str(field).casefold() for field in fields if field]
    for line in (keys_text or "").splitlines():
        key = line.strip()
        if key and any(key.casefold() in haystack for haystack in haystacks):
            return key
    return None


def _short(key):
    # A moderator may paste a long key; the reason column holds 255 characters.
    return Truncator(key).chars(80)
