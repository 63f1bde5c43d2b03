"""Actions on comments: creating (with every rule applied) and moderating."""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blog.models import Post, display_name
from comments import moderation, notifications
from comments.models import Comment, DiscussionSettings
from comments.permissions import is_trusted_commenter
from comments.sanitize import sanitize_comment_html, sanitize_plain

logger = logging.getLogger(__name__)

FLOOD_SECONDS = 15


class CommentRefused(Exception):
    """A comment that cannot be accepted; ``status_code`` is what the HTTP answer says."""

    status_code = 400
    field = None

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        if field:
            self.field = field


class CommentsClosed(CommentRefused):
    pass


class InvalidParent(CommentRefused):
    field = "parent"


class DuplicateComment(CommentRefused):
    status_code = 409


class CommentFlood(CommentRefused):
    status_code = 429


def _check_parent(post, parent_id, discussion):
    if not parent_id:
        return None
    parent = Comment.objects.filter(pk=parent_id).first()
    if parent is None or parent.post_id != post.pk or not parent.is_approved:
        raise InvalidParent(_("The comment you are replying to is not available. Your text is kept below."))
    if parent.depth >= discussion.max_depth:
        raise InvalidParent(_("Replies cannot nest any deeper here. Reply to an earlier comment instead."))
    return parent


def _check_duplicate_and_flood(*, post, parent, author_name, author_email, body, ip_address, user, trusted, now):
    # Not .live(): as in WordPress, only the Trash is forgotten; saying a spam comment again is a duplicate.
    same_text = Comment.objects.filter(post=post, parent=parent, body=body).exclude(status=Comment.Status.TRASH)
    if user is not None:
        same_text = same_text.filter(user=user)
    else:
        same_text = same_text.filter(author_name=author_name) | same_text.filter(author_email=author_email)
    statuses = set(same_text.values_list("status", flat=True))
    if Comment.Status.PENDING in statuses:
        # Most often a reader sending again after "awaiting moderation": say it is safe, not "duplicate".
        raise DuplicateComment(
            _(
                "Duplicate comment detected; it looks as though you’ve already said that! Nothing is lost: "
                "your comment is awaiting moderation and will appear once approved."
            )
        )
    if statuses:
        raise DuplicateComment(_("Duplicate comment detected; it looks as though you’ve already said that!"))
    if trusted:
        return
    since = now - datetime.timedelta(seconds=FLOOD_SECONDS)
    recent = Comment.objects.filter(created_at__gte=since)
    by_sender = recent.none()
    if ip_address:
        by_sender = by_sender | recent.filter(ip_address=ip_address)
    if author_email:
        by_sender = by_sender | recent.filter(author_email__iexact=author_email)
    if user is not None:
        by_sender = by_sender | recent.filter(user=user)
    if by_sender.exists():
        raise CommentFlood(_("You are posting comments too quickly. Slow down."))


def _has_approved_comment(*, user, author_name, author_email):
    approved = Comment.objects.approved()
    if user is not None:
        return approved.filter(user=user).exists()
    # Typing an account's name and email proves nothing: only visitors' own comments vouch for a visitor.
    return bool(author_email) and (
        approved.filter(user__isnull=True, author_name=author_name, author_email__iexact=author_email).exists()
    )


def _uses_account_email(*, user, author_email):
    return user is None and bool(author_email) and get_user_model().objects.filter(email__iexact=author_email).exists()


def comment_create(
    *,
    post,
    body,
    author_name="",
    author_email="",
    author_url="",
    parent_id=None,
    user=None,
    ip_address=None,
    user_agent="",
    notify=False,
    spam_reason="",
    sent_quickly=False,
    created_at=None,
):
    """Store a reader's comment or reply with the status the moderation rules give it.

    Raises a CommentRefused subclass (closed post, bad parent, duplicate,
    flood) and stores nothing in that case. ``spam_reason`` (from the form's
    anti-spam checks) stores the comment as spam; ``sent_quickly`` (sent within
    seconds of the page loading) holds it for a moderator. The post row is locked while
    checking, so concurrent identical posts cannot both pass the duplicate check.
    """
    if user is not None and not user.is_authenticated:
        user = None  # a view's AnonymousUser: a visitor
    discussion = DiscussionSettings.load()
    now = created_at or timezone.now()
    with transaction.atomic():
        post = Post.objects.published().select_for_update().filter(pk=post.pk).first()
        if post is None:
            raise CommentsClosed(_("This post is not published: it takes no comments."))
        trusted = is_trusted_commenter(user, post)
        if discussion.comments_closed_for(post, now) and not trusted:
            raise CommentsClosed(_("Sorry, comments are closed for this item."))
        parent = _check_parent(post, parent_id, discussion)
        if user is not None:
            author_name = display_name(user)
            author_email = user.email
        clean_body = sanitize_comment_html(body)
        author_name = sanitize_plain(author_name)[:245]
        author_url = sanitize_plain(author_url)[:200]
        _check_duplicate_and_flood(
            post=post,
            parent=parent,
            author_name=author_name,
            author_email=author_email,
            body=clean_body,
            ip_address=ip_address,
            user=user,
            trusted=trusted,
            now=now,
        )
        comment = Comment(
            post=post,
            parent=parent,
            user=user,
            author_name=author_name,
            author_email=author_email,
            author_url=author_url,
            body=clean_body,
            ip_address=ip_address,
            user_agent=(user_agent or "")[:255],
            notify=notify,
            created_at=now,
        )
        if spam_reason:
            decision = moderation.Decision(status=Comment.Status.SPAM, reason=spam_reason)
        else:
            known = _has_approved_comment(user=user, author_name=author_name, author_email=author_email)
            decision = moderation.decide(
                comment,
                discussion,
                trusted=trusted,
                has_approved_comment=known,
                uses_account_email=_uses_account_email(user=user, author_email=author_email),
                sent_quickly=sent_quickly,
            )
        comment.status = decision.status
        comment.moderation_reason = decision.reason[:255]
        comment.was_published = comment.is_approved
        comment.save()
        comment.place_in_thread()
        transaction.on_commit(lambda: notifications.on_comment_created(comment))
    logger.info("Comment %s on post %s stored as %s", comment.pk, post.pk, comment.status)
    return comment


def _move(comment, status, *, reason=""):
    """Change a comment's status, remembering where spam and trash came from."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        first_publication = status == Comment.Status.APPROVED and not comment.was_published
        if status in Comment.REMOVED_STATUSES and not comment.is_removed:
            comment.previous_status = comment.status
        comment.status = status
        if status == Comment.Status.APPROVED:
            comment.moderation_reason = ""
        elif reason:
            comment.moderation_reason = reason[:255]
        comment.was_published = comment.was_published or first_publication
        comment.save(update_fields=["status", "previous_status", "moderation_reason", "was_published", "updated_at"])
        if first_publication:
            transaction.on_commit(lambda: notifications.on_comment_approved(comment))
    logger.info("Comment %s is now %s", comment.pk, status)
    return comment


def comment_set_status(*, comment, status, reason=""):
    """Move a comment to any status (used by imports and tests; moderators use the verbs below)."""
    return _move(comment, status, reason=reason)


def comment_approve(*, comment):
    """Publish a comment; its author's next comments then pass the first-comment rule.

    Sends the follow-up emails for the post (after commit) when it was not public before.
    """
    return _move(comment, Comment.Status.APPROVED)


def comment_unapprove(*, comment):
    """Take a comment back to the moderation queue (pending)."""
    return _move(comment, Comment.Status.PENDING, reason=_("Unapproved by a moderator."))


def comment_spam(*, comment):
    """Mark a comment as spam (soft: it can be restored with comment_not_spam)."""
    return _move(comment, Comment.Status.SPAM, reason=_("Marked as spam by a moderator."))


def comment_not_spam(*, comment):
    """Take a comment out of spam, back to where it was (pending when unknown)."""
    if comment.status != Comment.Status.SPAM:
        return comment
    return _move(comment, comment.previous_status or Comment.Status.PENDING)


def comment_trash(*, comment):
    """Move a comment to the trash (emptied after 30 days by `manage.py purge_comments`)."""
    return _move(comment, Comment.Status.TRASH, reason=_("Moved to the trash by a moderator."))


def comment_restore(*, comment):
    """Take a comment out of the trash, back to where it was (pending when unknown)."""
    if comment.status != Comment.Status.TRASH:
        return comment
    return _move(comment, comment.previous_status or Comment.Status.PENDING)


def comment_moderate(*, comment, action):
    """Do one moderation verb (an ``Action`` of ``moderation.ACTIONS``) to a comment, through its service.

    Side effects: those of that service (see each one). The caller checks that the
    verb applies to the comment's status and that the user may moderate it.
    """
    # The table names its service: moderation.py holds pure rules and does not import this module.
    return globals()[action.service](comment=comment)


def comment_reply(*, parent, user, body):
    """Publish ``user``'s reply to ``parent`` (the admin's Reply); a held parent is approved first.

    WordPress's "Approve and Reply", all or nothing: raises CommentRefused (the post
    is not published, the parent cannot take replies, …) and then changes nothing.
    Side effects: those of comment_approve and comment_create (emails after commit).
    """
    if not body.strip():
        raise CommentRefused(_("Please type your reply."), field="body")
    with transaction.atomic():
        if parent.status == Comment.Status.PENDING:
            parent = comment_approve(comment=parent)
        return comment_create(post=parent.post, body=body, parent_id=parent.pk, user=user)


@transaction.atomic
def comment_delete(*, comment):
    """Delete a comment for good; its replies move up to its parent, keeping their threads whole."""
    descendants = list(
        Comment.objects.filter(post_id=comment.post_id, path__startswith=comment.path + "/").order_by("path")
    )
    new_parent = comment.parent
    for reply in descendants:
        if reply.parent_id == comment.pk:
            reply.parent = new_parent
    comment.delete()
    # Rebuild paths top-down: every parent is fixed before its children.
    fixed = {}
    for reply in descendants:
        reply.parent = fixed.get(reply.parent_id, reply.parent)
        reply.place_in_thread(also_save=["parent"])
        fixed[reply.pk] = reply
