"""Signed links in comment emails: moderate one comment, confirm or cancel a follow-up subscription.

The links carry no state in the database. A moderation link names one comment,
one action and the comment's ``updated_at`` when it was made: any later change
to the comment (using the link included) makes it stale, so it works once.
Subscription links name the post and the address; only the inbox that received
them can have them, which is what makes the opt-in double.
"""

import datetime

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blog.structured_data import absolute
from comments.models import Comment
from comments.moderation import ACTIONS

MODERATION_SALT = "comments.moderation-link"
MODERATION_MAX_AGE = datetime.timedelta(days=7)
MODERATION_ACTIONS = tuple(name for name, action in ACTIONS.items() if action.emailed)

CONFIRM_SALT = "comments.subscription-confirm"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
UNSUBSCRIBE_SALT = "comments.unsubscribe"

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class LinkError(Exception):
    """A link that cannot be followed; ``status_code`` and ``message`` are what the page says."""

    status_code = 400
    title = _("This link is not valid")
    message = _("The link is incomplete or has been changed. Copy the whole link from the email and try again.")


class LinkExpired(LinkError):
    status_code = 410
    title = _("This link has expired")
    message = _("Links in these emails work for %(days)d days. Nothing was done.")

    def __init__(self, max_age):
        super().__init__()
        self.message = self.message % {"days": max_age.days}


class LinkUsed(LinkError):
    status_code = 409
    title = _("This link has already been used")
    message = _(
        "This link has already been used or the comment has changed since the email was sent. "
        "Nothing was done. The admin shows the comment as it is now."
    )


class LinkTargetGone(LinkError):
    status_code = 410
    title = _("This comment no longer exists")
    message = _("The comment was deleted after the email was sent. Nothing was done.")


def _version(comment):
    # Exact integer microseconds: a float timestamp could differ in its last digit.
    return (comment.updated_at - EPOCH) // datetime.timedelta(microseconds=1)


def moderation_token(comment, action):
    """A token allowing ``action`` on ``comment`` while the comment is unchanged."""
    if action not in MODERATION_ACTIONS:
        raise ValueError(f"Unknown moderation action {action!r}.")
    return signing.dumps({"c": comment.pk, "a": action, "v": _version(comment)}, salt=MODERATION_SALT)


def moderation_url(comment, action):
    return absolute(reverse("comments:moderate", args=[moderation_token(comment, action)]))


def _load(token, *, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired(max_age) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkError() from None


def read_moderation_token(token):
    """The (comment id, action, version) a token names; raises LinkError or LinkExpired."""
    data = _load(token, salt=MODERATION_SALT, max_age=MODERATION_MAX_AGE)
    try:
        comment_id, action, version = int(data["c"]), data["a"], int(data["v"])
    except (KeyError, TypeError, ValueError):
        raise LinkError() from None
    if action not in MODERATION_ACTIONS:
        raise LinkError()
    return comment_id, action, version


def check_unchanged(comment, version):
    """Raise LinkUsed unless ``comment`` is exactly as it was when the link was made."""
    if _version(comment) != version:
        raise LinkUsed()


def find_comment(comment_id, queryset=None):
    """The comment a link names; raises LinkTargetGone when it was deleted."""
    queryset = Comment.objects.select_related("post") if queryset is None else queryset
    try:
        return queryset.get(pk=comment_id)
    except Comment.DoesNotExist:
        raise LinkTargetGone() from None


def _subscription_payload(subscription):
    return {"p": subscription.post_id, "e": subscription.email}


def confirm_url(subscription):
    """Absolute link that confirms ``subscription``; expires after CONFIRM_MAX_AGE."""
    token = signing.dumps(_subscription_payload(subscription), salt=CONFIRM_SALT)
    return absolute(reverse("comments:subscription_confirm", args=[token]))


def unsubscribe_url(subscription):
    """Absolute one-click unsubscribe link; it does not expire (old emails must keep working)."""
    token = signing.dumps(_subscription_payload(subscription), salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("comments:unsubscribe", args=[token]))


def _read_subscription(token, *, salt, max_age=None):
    data = _load(token, salt=salt, max_age=max_age)
    try:
        return int(data["p"]), str(data["e"])
    except (KeyError, TypeError, ValueError):
        raise LinkError() from None


def read_confirm_token(token):
    """The (post id, email) a confirmation link names; raises LinkError or LinkExpired."""
    return _read_subscription(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def read_unsubscribe_token(token):
    """The (post id, email) an unsubscribe link names; raises LinkError."""
    return _read_subscription(token, salt=UNSUBSCRIBE_SALT)
