"""Emails about comments: who is told what, queued through Django's Tasks framework after commit.

Entry points called by comments.services (inside transaction.on_commit):
  on_comment_created(comment)   a comment was stored (held → moderators; approved → post author, followers;
                                “notify me” ticked → a confirmation email, the double opt-in)
  on_comment_approved(comment)  a held comment became public (post author, followers)

Follow-up subscriptions are written here too (subscription_request, _confirm, _cancel).
Each message goes to one address as its own task (comments.tasks.send_comment_email),
so readers never see each other's addresses and one bad address delays nobody else.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from comments import tasks
from comments.models import Comment, DiscussionSettings, Subscription
from comments.permissions import moderators_of

logger = logging.getLogger(__name__)

# At most one confirmation email a day for the same unconfirmed subscription,
# so ticking the box on many comments cannot flood an inbox.
CONFIRM_RESEND_SECONDS = 24 * 3600
CONFIRM_SENT_SALT = "comments.notifications.confirm-sent"


def on_comment_created(comment):
    """Queue the emails a new comment causes. Never raises: a failed email must not lose the comment."""
    try:
        if comment.status == Comment.Status.PENDING:
            _notify_held(comment)
        elif comment.is_approved:
            _notify_published(comment)
    except Exception:
        logger.exception("Could not queue the emails about new comment %s", comment.pk)
    if comment.is_approved:
        _request_follow_ups(comment)


def on_comment_approved(comment):
    """Queue the emails a newly public comment causes. Never raises.

    A held comment's "notify me" is honoured only now: an unreviewed comment
    must not make the site email an address it typed in.
    """
    try:
        _notify_published(comment)
    except Exception:
        logger.exception("Could not queue the emails about approved comment %s", comment.pk)
    _request_follow_ups(comment)


def _request_follow_ups(comment):
    try:
        if comment.notify and comment.author_email:
            subscription_request(post=comment.post, email=comment.author_email, name=comment.author_name)
    except Exception:
        logger.exception("Could not record the follow-up subscription asked for with comment %s", comment.pk)


def moderation_recipients(comment):
    """Addresses told about a held comment: its moderators and the site's ADMINS, once each, never its writer."""
    addresses = [user.email for user in moderators_of(comment)]
    # ADMINS holds addresses, or (name, address) pairs in older settings.
    addresses += [entry[1] if isinstance(entry, list | tuple) else entry for entry in settings.ADMINS]
    return _unique(addresses, exclude=_writer_addresses(comment))


def follow_up_recipients(comment, *, exclude=()):
    """Confirmed subscriptions of the comment's post, except the comment's writer (and ``exclude``)."""
    skip = _writer_addresses(comment) | {address.lower() for address in exclude}
    subscriptions = Subscription.objects.confirmed().filter(post_id=comment.post_id).order_by("pk")
    return [subscription for subscription in subscriptions if subscription.email.lower() not in skip]


def subscription_request(*, post, email, name=""):
    """Record a wish for follow-up emails on ``post`` and email the address a confirmation link.

    Nothing is sent for a subscription already confirmed, nor twice within
    CONFIRM_RESEND_SECONDS. Until its owner follows the link it gets nothing else.
    """
    email = email.strip().lower()
    subscription, _created = Subscription.objects.get_or_create(
        post=post, email=email, defaults={"name": (name or "")[:245]}
    )
    if not subscription.is_confirmed and caches["shared"].add(
        confirm_sent_key(post, email), True, CONFIRM_RESEND_SECONDS
    ):
        transaction.on_commit(lambda: _enqueue(tasks.CONFIRM, subscription_id=subscription.pk))
    return subscription


def confirm_sent_key(post, email):
    """The shared-cache key of the confirmation throttle: this post and this address, never a row id.

    The cache outlives the database (a restore, a fresh one), where ids come
    back for other rows; the post's slug stays with its article, and the address
    is hashed so none is written in clear into the cache.
    """
    digest = salted_hmac(CONFIRM_SENT_SALT, f"{post.slug}\n{email}", algorithm="sha256").hexdigest()
    return f"comments:subscription-confirm-sent:{digest}"


def subscription_confirm(*, post_id, email):
    """Confirm the subscription a confirmation link names; returns it, or None when it was cancelled since."""
    Subscription.objects.filter(post_id=post_id, email=email, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    subscription = Subscription.objects.filter(post_id=post_id, email=email).first()
    if subscription is not None:
        logger.info("Follow-up subscription %s confirmed", subscription.pk)
    return subscription


def subscription_cancel(*, post_id, email):
    """Stop follow-up emails on one post for one address; returns whether there was a subscription."""
    deleted, _per_model = Subscription.objects.filter(post_id=post_id, email=email).delete()
    if deleted:
        logger.info("Follow-up subscription on post %s cancelled", post_id)
    return bool(deleted)


def _notify_held(comment):
    if not DiscussionSettings.load().moderation_notify:
        return
    for address in moderation_recipients(comment):
        _enqueue(tasks.MODERATION, to=address, comment_id=comment.pk)


def _notify_published(comment):
    told = []
    author = comment.post.author
    if DiscussionSettings.load().comments_notify and author.email and not _written_by(comment, author):
        _enqueue(tasks.POST_AUTHOR, to=author.email, comment_id=comment.pk)
        told.append(author.email)
    for subscription in follow_up_recipients(comment, exclude=told):
        _enqueue(tasks.FOLLOW_UP, comment_id=comment.pk, subscription_id=subscription.pk)


def _writer_addresses(comment):
    addresses = {comment.author_email}
    if comment.user_id:
        addresses.add(comment.user.email)
    return {address.strip().lower() for address in addresses if address}


def _written_by(comment, user):
    return comment.user_id == user.pk or user.email.strip().lower() in _writer_addresses(comment)


def _unique(addresses, *, exclude=frozenset()):
    seen, result = set(exclude), []
    for address in addresses:
        address = (address or "").strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            result.append(address)
    return result


def _enqueue(kind, **kwargs):
    # One failed enqueue (the queue's database unreachable, …) must not stop the others.
    try:
        tasks.send_comment_email.enqueue(kind, **kwargs)
    except Exception:
        logger.exception(
            "Could not queue the %s email (comment %s, subscription %s)",
            kind,
            kwargs.get("comment_id"),
            kwargs.get("subscription_id"),
        )
