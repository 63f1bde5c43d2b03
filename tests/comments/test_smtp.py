"""A held-comment email sent through Django's SMTP backend to a real SMTP server on loopback (aiosmtpd)."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group

from comments import services
from comments.models import Comment, Subscription
from config.env import email_mailer
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


class Collector:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and Django sending to it as EMAIL_URL=smtp://127.0.0.1:PORT would."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {"default": email_mailer(f"smtp://127.0.0.1:{controller.port}?timeout=5")}
    try:
        yield collector
    finally:
        controller.stop()


def received(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def test_held_comment_email_arrives_over_smtp_with_both_parts(
    smtp_server, settings, comment_data, client, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://blog.example.org"
    settings.ADMINS = ["admin@example.com"]
    assert settings.MAILERS["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    moderator = UserFactory(username="mod", email="mod@example.com", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    post = PostFactory(title="Letters across the sea")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/comments/post/", comment_data(post), REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert sorted(rcpt for envelope in smtp_server.envelopes for rcpt in envelope.rcpt_tos) == [
        "admin@example.com",
        "mod@example.com",
    ]
    for envelope in smtp_server.envelopes:
        assert len(envelope.rcpt_tos) == 1
        message = received(envelope)
        assert message["Subject"] == "[Steady Ground] Please moderate: “Letters across the sea”"
        assert message["To"] == envelope.rcpt_tos[0]
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "A calm and thoughtful reply." in text
        assert "A calm and thoughtful reply." in html
        assert "Approve it: https://blog.example.org/comments/moderate/" in text
        assert 'href="https://blog.example.org/comments/moderate/' in html


def test_follow_up_unsubscribe_header_arrives_unfolded(smtp_server, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://a-rather-long-blog-name.example.org"
    post = PostFactory()
    Subscription.objects.create(post=post, email="sam@example.com", confirmed_at=post.published_at)
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment)

    (envelope,) = [e for e in smtp_server.envelopes if e.rcpt_tos == ["sam@example.com"]]
    raw = envelope.original_content.decode()
    # One line, no RFC 2047 encoded-words: what mail programs need to offer their unsubscribe button.
    (line,) = [line for line in raw.splitlines() if line.startswith("List-Unsubscribe:")]
    assert line.startswith("List-Unsubscribe: <https://a-rather-long-blog-name.example.org/comments/unsubscribe/")
    assert line.endswith("/>")
    assert "=?" not in line
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw.splitlines()
