"""The share-by-email message, sent as a background task (Django's Tasks framework)."""

import logging
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string

from blog.delivery import send_or_retry
from blog.models import Post
from blog.structured_data import absolute

logger = logging.getLogger(__name__)


def queue_share_email(**kwargs):
    """Queue the email; never raises (the share is already recorded and the reader thanked)."""
    try:
        send_share_email.enqueue(**kwargs)
    except Exception:
        logger.exception("Could not queue the share email for post %s", kwargs.get("post_id"))


@task
def send_share_email(*, post_id, sender_name, sender_email, recipient, message="", attempt=1):
    """Send the post to one recipient: From the site, Reply-To the sender, text and HTML parts.

    A sending error queues the next attempt (blog.delivery.send_or_retry); each
    attempt checks again that the post is still published.
    """
    post = Post.objects.published().filter(pk=post_id).first()
    if post is None:
        logger.info("Share email for post %s not sent: no longer published", post_id)
        return False
    context = {
        "post": post,
        "permalink": absolute(post.get_absolute_url()),
        "sender_name": sender_name,
        "message": message,
        "site_title": settings.SITE_TITLE,
        "site_url": settings.SITE_URL,
    }
    email = EmailMultiAlternatives(
        subject=f"{sender_name} shared “{post.title}” with you",
        body=render_to_string("blog/email/share.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        reply_to=[formataddr((sender_name, sender_email))],
    )
    email.attach_alternative(render_to_string("blog/email/share.html", context), "text/html")
    return send_or_retry(
        email,
        task=send_share_email,
        what=f"share email for post {post_id}",
        attempt=attempt,
        retry_kwargs={
            "post_id": post_id,
            "sender_name": sender_name,
            "sender_email": sender_email,
            "recipient": recipient,
            "message": message,
        },
    )
