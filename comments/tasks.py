"""Comment emails as background tasks: each task renders and sends one message to one address.

comments.notifications decides who is told what and queues these after the
transaction commits. In production django-tasks-db's worker (``manage.py
db_worker``) runs them; in development and tests the immediate backend runs
them at once. A message that cannot be sent is tried again later on the
schedule of blog.delivery (about 32 hours); the comment itself was stored long before.
"""

import html
import logging
import re

import nh3
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from blog.delivery import send_or_retry
from blog.structured_data import absolute
from comments import links
from comments.models import Comment, Subscription
from comments.permissions import can_moderate, can_moderate_all
from comments.sanitize import link_urls

logger = logging.getLogger(__name__)

MODERATION = "moderation"
POST_AUTHOR = "post_author"
FOLLOW_UP = "follow_up"
CONFIRM = "confirm"


@task
def send_comment_email(kind, *, to="", comment_id=None, subscription_id=None, attempt=1):
    """Render and send one email of ``kind``: True when sent, a note when a retry was queued.

    Nothing is sent when the comment or subscription has gone or no longer
    calls for it (approved meanwhile, unsubscribed, …): each attempt asks again.
    A sending error queues the next attempt (blog.delivery.send_or_retry).
    """
    message = build_message(kind, to=to, comment_id=comment_id, subscription_id=subscription_id)
    if message is None:
        logger.info("Email %s for comment %s / subscription %s no longer needed", kind, comment_id, subscription_id)
        return False
    return send_or_retry(
        message,
        task=send_comment_email,
        what=f"{kind} email for comment {comment_id}"
        if comment_id
        else f"{kind} email for subscription {subscription_id}",
        attempt=attempt,
        retry_kwargs={"kind": kind, "to": to, "comment_id": comment_id, "subscription_id": subscription_id},
    )


def build_message(kind, *, to="", comment_id=None, subscription_id=None):
    """The EmailMultiAlternatives for one email, or None when it is no longer due."""
    try:
        if kind == CONFIRM:
            subscription = Subscription.objects.select_related("post").get(pk=subscription_id)
            return None if subscription.is_confirmed else _confirm(subscription)
        comment = Comment.objects.select_related("post", "post__author").get(pk=comment_id)
        if kind == MODERATION:
            return _moderation(comment, to) if comment.status == Comment.Status.PENDING else None
        if kind == POST_AUTHOR:
            return _post_author(comment, to) if comment.is_approved else None
        if kind == FOLLOW_UP:
            subscription = Subscription.objects.confirmed().filter(pk=subscription_id, post=comment.post_id).first()
            return _follow_up(comment, subscription) if comment.is_approved and subscription else None
    except (Comment.DoesNotExist, Subscription.DoesNotExist):
        return None
    raise ValueError(f"Unknown comment email kind {kind!r}.")


def comment_plain_text(body):
    """Stored comment HTML as plain text: paragraphs kept, tags dropped, entities decoded."""
    text = re.sub(r"<br\s*/?>\n?", "\n", body or "")
    text = re.sub(r"</(p|blockquote)>", "\n\n", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class OneLineHeader(str):
    """A header value that Python's email package writes on one line, as it is.

    Past 78 characters the email package folds a header without spaces into
    RFC 2047 encoded-words, which turns ``List-Unsubscribe: <https://…>`` into
    something mail programs cannot read (and then they show no unsubscribe
    button). The email policy takes a value with a matching ``name`` as a ready
    header object and asks it to ``fold`` itself; RFC 5322 allows 998 characters.
    """

    def __new__(cls, name, value):
        if "\r" in value or "\n" in value:
            raise ValueError("Header values may not contain line breaks.")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __getnewargs__(self):
        # Copies (the locmem backend keeps deep copies) are made through __new__.
        return (self.name, str(self))

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


def _one_line(text):
    # Header values may not hold line breaks (Django refuses them).
    return " ".join(str(text).split())


def _context(comment=None, post=None, **extra):
    post = post or comment.post
    context = {
        "site_title": settings.SITE_TITLE,
        "site_url": settings.SITE_URL,
        "post": post,
        "post_title": _one_line(post.title),
        "post_url": absolute(post.get_absolute_url()),
    }
    if comment is not None:
        context |= {
            "comment": comment,
            "comment_text": comment_plain_text(comment.body),
            "comment_url": absolute(comment.get_absolute_url()),
        }
    return context | extra


def _message(template, subject, to, context, headers=None):
    subject = _one_line(f"[{settings.SITE_TITLE}] {subject}")
    text = render_to_string(f"comments/email/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        # RFC 3834: tells auto-responders not to answer.
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(render_to_string(f"comments/email/{template}.html", context), "text/html")
    return message


def _moderation_links(comment, actions):
    return {action: links.moderation_url(comment, action) for action in actions}


def _moderation(comment, to):
    context = _context(
        comment,
        moderate=_moderation_links(comment, links.MODERATION_ACTIONS),
        admin_url=absolute(comment.admin_url()),
        comment_links=link_urls(comment.body),
        link_days=links.MODERATION_MAX_AGE.days,
    )
    subject = _("Please moderate: “%(title)s”") % {"title": context["post_title"]}
    return _message("moderation", subject, to, context)


def _post_author(comment, to):
    author = comment.post.author
    # Spam/Trash links for an author who may moderate; the commenter's address and IP
    # only for those who moderate everything (the admin hides them from authors too).
    moderator = can_moderate(author, comment)
    context = _context(
        comment,
        show_private=can_moderate_all(author),
        moderate=_moderation_links(comment, ("spam", "trash")) if moderator else {},
        admin_url=absolute(comment.admin_url()) if moderator else "",
    )
    subject = _("Comment: “%(title)s”") % {"title": context["post_title"]}
    return _message("post_author", subject, to, context)


def _follow_up(comment, subscription):
    unsubscribe = links.unsubscribe_url(subscription)
    context = _context(comment, subscription=subscription, unsubscribe_url=unsubscribe)
    subject = _("New comment on “%(title)s”") % {"title": context["post_title"]}
    headers = {
        # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs to the link.
        "List-Unsubscribe": OneLineHeader("List-Unsubscribe", f"<{unsubscribe}>"),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return _message("follow_up", subject, subscription.email, context, headers)


def _confirm(subscription):
    context = _context(
        post=subscription.post,
        subscription=subscription,
        confirm_url=links.confirm_url(subscription),
        confirm_days=links.CONFIRM_MAX_AGE.days,
    )
    subject = _("Please confirm: follow-up comments on “%(title)s”") % {"title": context["post_title"]}
    return _message("confirm", subject, subscription.email, context)
