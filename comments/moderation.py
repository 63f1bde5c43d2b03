"""Whether a new comment is published, held or trashed: WordPress's Discussion rules.

Pure functions over an unsaved comment (body already sanitised) and the discussion
settings; the service looks up what needs the database and stores the decision.
Also the moderation verbs (approve, spam, trash, …) as one table: what each is called,
which statuses it applies to and where it is offered.
"""

import re
from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

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


def decide(comment, discussion, *, trusted, has_approved_comment, uses_account_email, sent_quickly=False):
    """The status of a new comment and why (WordPress's wp_allow_comment); no side effects.

    ``trusted``: the commenter is logged in and is the post's author or may moderate all comments.
    ``has_approved_comment``: the commenter already has an approved comment (a visitor: one
    written logged out with the same name and email; a logged-in user: one of their own).
    ``uses_account_email``: a logged-out commenter typed the email address of an account.
    ``sent_quickly``: the form came back sooner than a person types (maybe pasted, maybe a bot).
    """
    if trusted:
        return Decision(Comment.Status.APPROVED)
    fields = comment_fields(comment)
    if key := match_key(discussion.disallowed_keys, *fields):
        return Decision(Comment.Status.TRASH, _("Matched disallowed key “%(key)s”.") % {"key": _short(key)})
    if reason := hold_reason(
        comment,
        discussion,
        has_approved_comment=has_approved_comment,
        uses_account_email=uses_account_email,
        sent_quickly=sent_quickly,
    ):
        return Decision(Comment.Status.PENDING, reason)
    return Decision(Comment.Status.APPROVED)


def hold_reason(comment, discussion, *, has_approved_comment, uses_account_email, sent_quickly=False):
    """Why the comment waits for a moderator, or "" (WordPress's check_comment, in its order).

    A visitor using an account's address is held whatever the settings, and said first:
    anyone can type someone else's name and email. A comment sent within seconds of the
    page loading is held whatever the settings too (a person pasting, or a bot): the
    moderator decides, and the reader is told it awaits moderation.
    """
    if uses_account_email:
        return _("Uses the email address of a registered account: please check it is really them.")
    if sent_quickly:
        return _("Sent very quickly after the page loaded.")
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


@dataclass(frozen=True)
class Action:
    """A moderation verb as WordPress's comment screen offers it.

    ``applies_to``: the statuses it makes sense from (a row's buttons; a bulk action skips
    the others). ``listed_in``: the status views whose bulk menu offers it (the "All" view
    shows the live statuses). ``done`` is formatted with ``{"count": n}``.
    """

    name: str
    service: str  # the function in comments.services that does it
    label: str  # a row's button
    description: str  # the bulk menu, the page behind an emailed link
    done: str
    applies_to: frozenset
    listed_in: frozenset
    permission: str = "moderate"  # ModelAdmin.has_<permission>_permission
    row_button: bool = True
    emailed: bool = False  # offered as a signed link in the emails

    def applies(self, comment):
        return comment.status in self.applies_to


Status = Comment.Status

ACTIONS = {
    action.name: action
    for action in (
        Action(
            "approve",
            "comment_approve",
            gettext_lazy("Approve"),
            gettext_lazy("Approve"),
            ngettext_lazy("%(count)d comment approved.", "%(count)d comments approved.", "count"),
            applies_to=frozenset({Status.PENDING, Status.SPAM, Status.TRASH}),
            listed_in=frozenset({Status.PENDING}),
            emailed=True,
        ),
        Action(
            "unapprove",
            "comment_unapprove",
            gettext_lazy("Unapprove"),
            gettext_lazy("Unapprove"),
            ngettext_lazy(
                "%(count)d comment moved back to pending.", "%(count)d comments moved back to pending.", "count"
            ),
            applies_to=frozenset({Status.APPROVED}),
            listed_in=frozenset({Status.APPROVED}),
        ),
        Action(
            "spam",
            "comment_spam",
            gettext_lazy("Spam"),
            gettext_lazy("Mark as spam"),
            ngettext_lazy("%(count)d comment marked as spam.", "%(count)d comments marked as spam.", "count"),
            applies_to=frozenset({Status.PENDING, Status.APPROVED, Status.TRASH}),
            listed_in=frozenset({Status.PENDING, Status.APPROVED, Status.TRASH}),
            emailed=True,
        ),
        Action(
            "not_spam",
            "comment_not_spam",
            gettext_lazy("Not spam"),
            gettext_lazy("Not spam"),
            ngettext_lazy(
                "%(count)d comment restored from the spam.", "%(count)d comments restored from the spam.", "count"
            ),
            applies_to=frozenset({Status.SPAM}),
            listed_in=frozenset({Status.SPAM}),
        ),
        Action(
            "trash",
            "comment_trash",
            gettext_lazy("Trash"),
            gettext_lazy("Move to Trash"),
            ngettext_lazy("%(count)d comment moved to the Trash.", "%(count)d comments moved to the Trash.", "count"),
            applies_to=frozenset({Status.PENDING, Status.APPROVED, Status.SPAM}),
            listed_in=frozenset({Status.PENDING, Status.APPROVED}),
            emailed=True,
        ),
        Action(
            "restore",
            "comment_restore",
            gettext_lazy("Restore"),
            gettext_lazy("Restore"),
            ngettext_lazy(
                "%(count)d comment restored from the Trash.", "%(count)d comments restored from the Trash.", "count"
            ),
            applies_to=frozenset({Status.TRASH}),
            listed_in=frozenset({Status.TRASH}),
        ),
        # For good, and only from spam or trash (WordPress): Django's delete permission, no row button.
        Action(
            "delete_permanently",
            "comment_delete",
            gettext_lazy("Delete permanently"),
            gettext_lazy("Delete permanently"),
            ngettext_lazy(
                "%(count)d comment deleted permanently.", "%(count)d comments deleted permanently.", "count"
            ),
            applies_to=frozenset(Comment.REMOVED_STATUSES),
            listed_in=frozenset(Comment.REMOVED_STATUSES),
            permission="delete",
            row_button=False,
        ),
    )
}


def actions_listed_in(status):
    """The actions a bulk menu offers in one status view; any other value is the "All" view."""
    shown = {status} if status in Comment.Status.values else set(Comment.LIVE_STATUSES)
    return [action for action in ACTIONS.values() if action.listed_in & shown]
