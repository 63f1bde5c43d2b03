"""Comment emails: who gets which message, what it says, and that a failed email loses nothing."""

import datetime
import re
import smtplib
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from blog import delivery
from comments import notifications, services, tasks
from comments.models import Comment, Subscription
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.org"
ARTICLE_TITLE = "Letters across the sea"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.SITE_TITLE = "Steady Ground"
    settings.ADMINS = []


@pytest.fixture
def post(db):
    return PostFactory(title=ARTICLE_TITLE, author=UserFactory(username="writer", email="writer@example.com"))


@pytest.fixture
def send(client, comment_data, django_capture_on_commit_callbacks):
    """POST a comment as a reader and run what the commit triggers (the emails)."""

    def post_comment(post, ip="203.0.113.5", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/comments/post/", comment_data(post, **fields), REMOTE_ADDR=ip)

    return post_comment


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service call and the emails its commit triggers."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def open_discussion(discussion):
    """First comments go straight through and post authors are not emailed: only follow-up mail is left."""
    discussion.comment_previously_approved = False
    discussion.comments_notify = False
    discussion.save()
    return discussion


def known_reader(post, name="Riley Reader", email="riley@example.com"):
    """A reader with an approved comment already: their next comment goes straight through."""
    return CommentFactory(post=post, author_name=name, author_email=email)


def html_part(message):
    (alternative,) = message.alternatives
    assert alternative.mimetype == "text/html"
    return alternative.content


def whole(message):
    """Everything a recipient can read: headers, text part and HTML part."""
    return "\n".join([str(message.message()), message.body, html_part(message)])


def to(message):
    return message.to + message.cc + message.bcc


def local_path(url):
    assert url.startswith(SITE + "/"), url
    return urlsplit(url).path


def links_in(text):
    return re.findall(r"https?://[^\s<>\"]+", text)


# Held comments → moderators


def test_held_comment_emails_each_moderator_and_admin_once(send, post, moderator, settings):
    settings.ADMINS = [("Site admin", "admin@example.com"), "MOD@example.com"]
    UserFactory(username="root", email="root@example.com", is_superuser=True, is_staff=True)
    UserFactory(username="plain", email="plain@example.com")

    response = send(post)

    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.PENDING
    recipients = sorted(address for message in mail.outbox for address in to(message))
    assert recipients == ["admin@example.com", "mod@example.com", "root@example.com"]
    assert all(len(to(message)) == 1 for message in mail.outbox)
    assert {message.subject for message in mail.outbox} == {f"[Steady Ground] Please moderate: “{ARTICLE_TITLE}”"}


def test_held_comment_email_says_who_what_and_why_with_three_links(send, post, moderator):
    send(
        post,
        body="Is this <b>allowed</b> & fine? See https://spam.example.net/x",
        name="Riley <i>Reader</i>",
        url="https://riley.example.com",
    )
    comment = Comment.objects.get()
    (message,) = mail.outbox
    assert message.from_email == "Steady Ground <noreply@localhost>"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"

    text = message.body
    for expected in [
        ARTICLE_TITLE,
        "Riley <i>Reader</i>",
        "riley@example.com",
        "https://riley.example.com",
        "203.0.113.5",
        "Is this allowed & fine?",
        "https://spam.example.net/x",
        f"Why it was held: {comment.moderation_reason}",
        f"{SITE}/admin/comments/comment/{comment.pk}/change/",
    ]:
        assert expected in text
    moderation_links = re.findall(r"(Approve|Spam|Trash) it: (\S+)", text)
    assert [label for label, _url in moderation_links] == ["Approve", "Spam", "Trash"]
    assert all(url.startswith(f"{SITE}/comments/moderate/") for _label, url in moderation_links)

    html = html_part(message)
    assert "Riley &lt;i&gt;Reader&lt;/i&gt;" in html
    assert "Is this allowed &amp; fine?" in html
    assert "<b>" not in html
    # The spam link is shown, not made clickable.
    assert 'href="https://spam.example.net' not in html
    for _label, url in moderation_links:
        assert f'href="{url}"' in html


def test_held_comment_is_never_emailed_to_its_writer(send, post, moderator, settings):
    settings.ADMINS = ["riley@example.com"]
    send(post, email="Riley@Example.com")
    assert [to(message) for message in mail.outbox] == [["mod@example.com"]]


def test_no_moderation_email_when_the_setting_is_off(send, post, moderator, discussion):
    discussion.moderation_notify = False
    discussion.save()
    response = send(post)
    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert mail.outbox == []


def test_author_who_may_moderate_is_asked_about_comments_on_own_posts_only(send, moderator):
    author = UserFactory(username="author", email="author@example.com", is_staff=True)
    author.groups.add(Group.objects.get(name="Author"))
    own, other = PostFactory(author=author), PostFactory()
    send(own)
    send(other, ip="203.0.113.6", email="sam@example.com", name="Sam")
    recipients = sorted((message.subject, to(message)[0]) for message in mail.outbox)
    assert recipients == sorted(
        [
            (f"[Steady Ground] Please moderate: “{own.title}”", "author@example.com"),
            (f"[Steady Ground] Please moderate: “{own.title}”", "mod@example.com"),
            (f"[Steady Ground] Please moderate: “{other.title}”", "mod@example.com"),
        ]
    )


def test_links_use_site_url_read_when_sending(send, post, moderator, settings):
    settings.SITE_URL = "https://elsewhere.example.com"
    send(post)
    urls = links_in(mail.outbox[0].body)
    assert urls
    assert all(url.startswith("https://elsewhere.example.com/") for url in urls)


def test_no_email_for_spam_or_trash(send, post, moderator):
    send(post, homepage="http://bot.example.com")  # the honeypot: stored as spam
    assert Comment.objects.get().status == Comment.Status.SPAM
    assert mail.outbox == []


# New comments → the post's author


def test_approved_comment_emails_the_post_author_without_private_details(send, post):
    known_reader(post)
    send(post, body="Thank you for this.", notify="")
    comment = Comment.objects.latest("pk")
    assert comment.is_approved
    (message,) = mail.outbox
    assert to(message) == ["writer@example.com"]
    assert message.subject == f"[Steady Ground] Comment: “{ARTICLE_TITLE}”"
    assert "Thank you for this." in message.body
    assert f"{SITE}{post.get_absolute_url()}#comment-{comment.pk}" in message.body
    # The author of a post cannot moderate here: the reader's address and IP stay private.
    assert "riley@example.com" not in whole(message)
    assert "203.0.113.5" not in whole(message)
    assert "/comments/moderate/" not in whole(message)


def test_post_author_who_may_moderate_gets_details_and_spam_trash_links(send):
    author = UserFactory(username="author", email="author@example.com", is_staff=True)
    author.groups.add(Group.objects.get(name="Author"))
    post = PostFactory(author=author)
    known_reader(post)
    send(post, body="Thank you for this.")
    (message,) = mail.outbox
    assert to(message) == ["author@example.com"]
    # Addresses are for moderators of every post; an author gets the links, not the reader's address.
    assert "riley@example.com" not in message.body
    assert "203.0.113.5" not in message.body
    assert re.search(r"Spam it: https://blog\.example\.org/comments/moderate/\S+", message.body)
    assert re.search(r"Trash it: https://blog\.example\.org/comments/moderate/\S+", message.body)
    assert "Approve it" not in message.body


def test_no_author_email_when_comments_notify_is_off(send, post, discussion):
    discussion.comments_notify = False
    discussion.save()
    known_reader(post)
    response = send(post, body="Thank you for this.")
    assert response.status_code == 303
    assert mail.outbox == []


def test_author_is_not_told_about_own_comment(client, post, comment_data, django_capture_on_commit_callbacks):
    client.force_login(post.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/comments/post/", comment_data(post, name=None, email=None))
    assert response.status_code == 303
    assert Comment.objects.get().is_approved
    assert mail.outbox == []


def test_held_comment_reaches_the_author_only_once_approved(send, post, commit):
    send(post, body="Waiting for a moderator.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert mail.outbox == []  # nobody may moderate it here, and it is not public yet

    commit(services.comment_approve, comment=comment)
    (message,) = mail.outbox
    assert to(message) == ["writer@example.com"]
    assert "Waiting for a moderator." in message.body


# Follow-ups: double opt-in


def confirmation_link(message):
    (url,) = [url for url in links_in(message.body) if "/comments/subscriptions/confirm/" in url]
    return url


def subscribe(post, email, name="Sam Subscriber"):
    return Subscription.objects.create(
        post=post, email=email, name=name, confirmed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )


def test_ticking_notify_sends_a_confirmation_and_stores_nothing_confirmed(send, post, open_discussion):
    send(post, notify="on", email="Riley@Example.com")
    subscription = Subscription.objects.get()
    assert (subscription.post, subscription.email, subscription.name) == (post, "riley@example.com", "Riley Reader")
    assert not subscription.is_confirmed

    (message,) = mail.outbox
    assert to(message) == ["riley@example.com"]
    assert message.subject == f"[Steady Ground] Please confirm: follow-up comments on “{ARTICLE_TITLE}”"
    url = confirmation_link(message)
    assert f'href="{url}"' in html_part(message)


def test_following_the_confirmation_link_asks_then_confirms(send, post, open_discussion):
    send(post, notify="on")
    path = local_path(confirmation_link(mail.outbox[0]))
    reader = Client(enforce_csrf_checks=True)

    page = reader.get(path)
    assertContains(page, f"Email me new comments on “{ARTICLE_TITLE}”?")
    assertContains(page, "riley@example.com")
    assertContains(page, 'name="csrfmiddlewaretoken"')
    assert not Subscription.objects.get().is_confirmed  # a GET (a mail scanner) confirms nothing

    assert reader.post(path).status_code == 403  # CSRF stays on
    token = page.context["csrf_token"]
    response = reader.post(path, {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 303
    assert response["Location"] == path
    assert Subscription.objects.get().is_confirmed
    assertContains(reader.get(path), "You are subscribed")


def test_confirmation_is_not_sent_again_within_a_day(commit, post):
    commit(notifications.subscription_request, post=post, email="sam@example.com", name="Sam")
    commit(notifications.subscription_request, post=post, email="SAM@example.com", name="Sam")
    assert len(mail.outbox) == 1
    assert Subscription.objects.count() == 1


def test_confirmed_subscription_is_not_asked_again(commit, post):
    subscribe(post, "sam@example.com")
    commit(notifications.subscription_request, post=post, email="sam@example.com")
    assert mail.outbox == []


def test_spam_with_notify_ticked_subscribes_nobody(send, post):
    send(post, notify="on", homepage="http://bot.example.com")
    assert Subscription.objects.count() == 0
    assert mail.outbox == []


def test_nobody_can_subscribe_someone_else(send, post, open_discussion):
    # A stranger ticks "notify" with somebody else's address…
    send(post, notify="on", email="victim@example.com", name="Mallory")
    (confirmation,) = mail.outbox
    assert to(confirmation) == ["victim@example.com"]
    mail.outbox.clear()
    # …and the victim, who never follows the link, gets no follow-ups.
    known_reader(post, name="Dana", email="dana@example.com")
    send(post, ip="198.51.100.9", body="A new follow-up.", name="Dana", email="dana@example.com")
    assert mail.outbox == []  # (the post author's email is off in this discussion)


def test_a_tampered_confirmation_link_confirms_nothing(send, post, open_discussion):
    send(post, notify="on")
    path = local_path(confirmation_link(mail.outbox[0]))
    forged = path.replace("/confirm/", "/confirm/x")
    client = Client()
    assert client.get(forged).status_code == 400
    response = client.post(forged)
    assert response.status_code == 400
    assertContains(response, "This link is not valid", status_code=400)
    # A valid signature over another address does not exist; one for another post confirms only that post.
    other = PostFactory()
    signed = signing.dumps({"p": other.pk, "e": "riley@example.com"}, salt="comments.subscription-confirm")
    assert client.post(f"/comments/subscriptions/confirm/{signed}/").status_code == 410
    assert not Subscription.objects.get().is_confirmed


def test_an_expired_confirmation_link_confirms_nothing(send, post, monkeypatch, open_discussion):
    week_ago = signing.b62_encode(int(datetime.datetime.now().timestamp()) - 8 * 24 * 3600)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: week_ago)
    send(post, notify="on")
    monkeypatch.undo()
    path = local_path(confirmation_link(mail.outbox[0]))
    response = Client().post(path)
    assert response.status_code == 410
    assertContains(response, "expired", status_code=410)
    assert not Subscription.objects.get().is_confirmed


def test_unconfirmed_subscriber_gets_no_follow_ups(send, post):
    Subscription.objects.create(post=post, email="sam@example.com")
    known_reader(post)
    send(post, body="A new follow-up.")
    assert [to(message) for message in mail.outbox] == [["writer@example.com"]]


def test_confirmed_subscriber_gets_the_follow_up_with_one_click_unsubscribe(send, post):
    subscribe(post, "sam@example.com")
    known_reader(post)
    send(post, body="A new follow-up.", url="https://riley.example.com")
    comment = Comment.objects.latest("pk")

    (message,) = [m for m in mail.outbox if to(m) == ["sam@example.com"]]
    assert message.subject == f"[Steady Ground] New comment on “{ARTICLE_TITLE}”"
    assert "Riley Reader" in message.body
    assert "A new follow-up." in message.body
    comment_url = f"{SITE}{post.get_absolute_url()}#comment-{comment.pk}"
    assert comment_url in message.body
    assert f'href="{comment_url}"' in html_part(message)
    # Nothing in it tells Sam the commenter's address.
    assert "riley@example.com" not in whole(message)
    assert "203.0.113.5" not in whole(message)

    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(rf"<{re.escape(SITE)}/comments/unsubscribe/[^/]+/>", unsubscribe)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in message.body
    assert f'href="{unsubscribe[1:-1]}"' in html_part(message)
    # The comment link works.
    page = Client().get(local_path(comment_url))
    assertContains(page, f'id="comment-{comment.pk}"')


def test_each_subscriber_gets_a_message_of_their_own(send, post):
    for address in ["sam@example.com", "kim@example.com", "lee@example.com"]:
        subscribe(post, address)
    known_reader(post)
    send(post, body="A new follow-up.")
    follow_ups = [m for m in mail.outbox if m.subject.startswith("[Steady Ground] New comment")]
    assert sorted(to(m)[0] for m in follow_ups) == ["kim@example.com", "lee@example.com", "sam@example.com"]
    for message in follow_ups:
        assert len(to(message)) == 1
        others = {"sam@example.com", "kim@example.com", "lee@example.com"} - set(to(message))
        assert not any(address in whole(message) for address in others)


def test_own_comment_is_not_sent_to_its_writer(send, post):
    subscribe(post, "riley@example.com")
    known_reader(post)
    send(post, body="My own follow-up.", email="Riley@example.com")
    assert [to(message) for message in mail.outbox] == [["writer@example.com"]]


def test_post_author_gets_one_email_not_two(send, post):
    subscribe(post, "writer@example.com")
    known_reader(post)
    send(post, body="A new follow-up.")
    assert [to(message) for message in mail.outbox] == [["writer@example.com"]]


def test_follow_ups_wait_for_approval(send, post, commit):
    subscribe(post, "sam@example.com")
    send(post, body="Held first.", email="new@example.com", name="Newcomer")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert mail.outbox == []

    commit(services.comment_approve, comment=comment)
    assert sorted(to(message)[0] for message in mail.outbox) == ["sam@example.com", "writer@example.com"]


def test_subscriptions_are_per_post(send, post):
    subscribe(PostFactory(), "sam@example.com")
    known_reader(post)
    send(post, body="A new follow-up.")
    assert [to(message) for message in mail.outbox] == [["writer@example.com"]]


# Unsubscribing


def follow_up_unsubscribe_path(send, post):
    subscribe(post, "sam@example.com")
    known_reader(post)
    send(post, body="A new follow-up.")
    (message,) = [m for m in mail.outbox if to(m) == ["sam@example.com"]]
    return local_path(message.extra_headers["List-Unsubscribe"][1:-1])


def one_click(client, path):
    """The POST a mail program sends for RFC 8058's one-click unsubscribe: no session, no CSRF token."""
    return client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")


def test_unsubscribe_page_asks_then_unsubscribes_without_an_account(send, post):
    path = follow_up_unsubscribe_path(send, post)
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(path)
    assertContains(page, f"Stop emails about new comments on “{ARTICLE_TITLE}”?")
    assertContains(page, '<button type="submit" class="submit">Unsubscribe</button>', html=True)
    assert Subscription.objects.filter(email="sam@example.com").exists()  # GET changes nothing

    response = reader.post(path)
    assert response.status_code == 303
    assert not Subscription.objects.filter(email="sam@example.com").exists()
    assertContains(reader.get(response["Location"]), "You are unsubscribed")


def test_one_click_unsubscribe_post_needs_no_csrf_token(send, post):
    path = follow_up_unsubscribe_path(send, post)
    response = one_click(Client(enforce_csrf_checks=True), path)
    assert response.status_code == 200
    assertContains(response, "You are unsubscribed")
    assert not Subscription.objects.filter(email="sam@example.com").exists()
    # Again: still fine, nothing left to do.
    again = one_click(Client(), path)
    assert again.status_code == 200


def test_unsubscribed_reader_gets_no_more_follow_ups(send, post):
    path = follow_up_unsubscribe_path(send, post)
    one_click(Client(), path)
    mail.outbox.clear()
    known_reader(post, name="Dana", email="dana@example.com")
    send(post, ip="198.51.100.9", body="Another one.", name="Dana", email="dana@example.com")
    assert [to(message) for message in mail.outbox] == [["writer@example.com"]]


@pytest.mark.parametrize(
    "token",
    ["nonsense", "a:b:c", "x" * 300],
)
def test_forged_unsubscribe_link_is_refused(post, token):
    subscribe(post, "sam@example.com")
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"/comments/unsubscribe/{token}/").status_code == 400
    response = one_click(client, f"/comments/unsubscribe/{token}/")
    assertContains(response, "This link is not valid", status_code=400)
    assert Subscription.objects.filter(email="sam@example.com").exists()


def test_unsubscribe_token_cannot_be_made_for_another_address(send, post):
    path = follow_up_unsubscribe_path(send, post)
    subscribe(post, "kim@example.com")
    token = path.split("/")[-2]
    _payload, stamp, signature = token.split(":")
    forged_payload = signing.b64_encode(b'{"p":%d,"e":"kim@example.com"}' % post.pk).decode()
    forged = f"/comments/unsubscribe/{forged_payload}:{stamp}:{signature}/"
    assert Client().post(forged).status_code == 400
    assert Subscription.objects.filter(email="kim@example.com").exists()
    assertNotContains(Client().get(path), "You are unsubscribed")


# Failures never lose the comment


def fail_sending(monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPException("The mail server is down.")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)


def test_failing_mailer_keeps_the_held_comment_and_the_303(send, post, moderator, monkeypatch, caplog):
    fail_sending(monkeypatch)
    response = send(post, notify="on")
    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert Subscription.objects.count() == 0  # asked for, but only once the comment is approved
    assert mail.outbox == []
    assert "Gave up on the moderation email for comment" in caplog.text
    assert "The mail server is down." in caplog.text


def test_failing_mailer_keeps_the_approved_comment_and_the_303(send, post, monkeypatch):
    subscribe(post, "sam@example.com")
    known_reader(post)
    fail_sending(monkeypatch)
    response = send(post, body="Still here.")
    assert response.status_code == 303
    assert Comment.objects.filter(body__contains="Still here.", status=Comment.Status.APPROVED).exists()


def test_a_broken_task_queue_never_loses_the_comment(send, post, moderator, monkeypatch, caplog):
    def refuse(self, task, args, kwargs):
        raise RuntimeError("The queue is unreachable.")

    monkeypatch.setattr(ImmediateBackend, "enqueue", refuse)
    response = send(post, notify="on")
    assert response.status_code == 303
    assert Comment.objects.count() == 1
    assert "Could not queue the moderation email" in caplog.text


def test_a_failed_send_is_retried_later_when_the_backend_can_defer(settings, post, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)
    fail_sending(monkeypatch)

    note = tasks.send_comment_email.call(tasks.MODERATION, to="mod@example.com", comment_id=comment.pk)
    assert note.startswith(f"Not sent (attempt 1 of {delivery.MAX_ATTEMPTS}): SMTPException: The mail server is down.")
    (retry,) = task_backends["default"].results
    assert retry.kwargs == {
        "kind": tasks.MODERATION,
        "to": "mod@example.com",
        "comment_id": comment.pk,
        "subscription_id": None,
        "attempt": 2,
    }
    assert retry.task.run_after > comment.created_at + datetime.timedelta(seconds=59)

    with pytest.raises(delivery.EmailNotDelivered, match="11 attempts over 32 hours"):
        tasks.send_comment_email.call(
            tasks.MODERATION, attempt=delivery.MAX_ATTEMPTS, to="mod@example.com", comment_id=comment.pk
        )
    assert len(task_backends["default"].results) == 1  # the last failure queues nothing more


def test_the_immediate_backend_does_not_retry(post, monkeypatch, caplog):
    comment = CommentFactory(post=post, status=Comment.Status.PENDING)
    fail_sending(monkeypatch)
    result = tasks.send_comment_email.enqueue(tasks.MODERATION, to="mod@example.com", comment_id=comment.pk)
    assert result.status == "FAILED"
    assert result.errors[0].exception_class is delivery.EmailNotDelivered
    assert "cannot defer a retry" in caplog.text


def test_emails_no_longer_due_are_skipped(post):
    comment = CommentFactory(post=post, status=Comment.Status.APPROVED)
    assert tasks.build_message(tasks.MODERATION, to="mod@example.com", comment_id=comment.pk) is None
    assert tasks.build_message(tasks.FOLLOW_UP, comment_id=comment.pk, subscription_id=12345) is None
    assert tasks.build_message(tasks.POST_AUTHOR, to="a@example.com", comment_id=98765) is None
    subscription = subscribe(post, "sam@example.com")
    assert tasks.build_message(tasks.CONFIRM, subscription_id=subscription.pk) is None


def test_every_email_has_text_and_html_parts(send, post, moderator, commit):
    subscribe(post, "sam@example.com")
    send(post, notify="on", email="new@example.com", name="Newcomer")  # held: moderation + confirmation
    commit(services.comment_approve, comment=Comment.objects.get())  # author + follow-up
    kinds = {message.subject.split("] ")[1].split(":")[0] for message in mail.outbox}
    assert kinds == {"Please moderate", "Please confirm", "Comment", "New comment on “Letters across the sea”"}
    for message in mail.outbox:
        assert message.body.strip()
        assert html_part(message).lstrip().startswith("<!DOCTYPE html>")
        assert all(url.startswith(SITE + "/") for url in links_in(message.body))
        # Only a moderator and the commenter themselves ever see the commenter's address.
        if to(message) not in (["mod@example.com"], ["new@example.com"]):
            assert "new@example.com" not in whole(message)


def test_a_held_comment_asks_for_confirmation_only_once_approved(send, post, commit):
    from comments import services

    send(post, notify="on")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert not Subscription.objects.exists()
    assert not [m for m in mail.outbox if "Please confirm" in m.subject]
    commit(services.comment_approve, comment=comment)
    assert Subscription.objects.get().email == "riley@example.com"
    assert [m for m in mail.outbox if "Please confirm" in m.subject]


def test_restoring_a_comment_emails_nobody_again(send, post, commit):
    from comments import services

    known_reader(post)
    send(post, body="Published once.")
    comment = Comment.objects.get(body__contains="Published once.")
    sent = len(mail.outbox)
    assert sent >= 1  # the post author heard of it
    commit(services.comment_trash, comment=comment)
    commit(services.comment_restore, comment=Comment.objects.get(pk=comment.pk))
    commit(services.comment_unapprove, comment=Comment.objects.get(pk=comment.pk))
    commit(services.comment_approve, comment=Comment.objects.get(pk=comment.pk))
    assert len(mail.outbox) == sent


def test_a_reused_subscription_id_still_gets_its_confirmation(commit, post):
    """Fresh database, old cache: the confirmation throttle names the post and the address, not a row id."""
    first = commit(notifications.subscription_request, post=post, email="sam@example.com", name="Sam")
    assert [to(message) for message in mail.outbox] == [["sam@example.com"]]
    reused = first.pk
    first.delete()  # the rows go (a restore, a new database); the shared cache stays
    other = PostFactory(title="Another article")
    Subscription.objects.create(pk=reused, post=other, email="kim@example.com", name="Kim")

    second = commit(notifications.subscription_request, post=other, email="kim@example.com", name="Kim")
    assert second.pk == reused
    assert [to(message) for message in mail.outbox] == [["sam@example.com"], ["kim@example.com"]]
    assert "Another article" in mail.outbox[1].subject


def test_the_confirmation_throttle_key_names_no_address_and_no_row():
    post = PostFactory.build(pk=41, slug="letters")
    key = notifications.confirm_sent_key(post, "sam@example.com")
    assert "sam" not in key and "example" not in key and "letters" not in key
    assert key != notifications.confirm_sent_key(PostFactory.build(pk=41, slug="other"), "sam@example.com")
    assert key == notifications.confirm_sent_key(PostFactory.build(pk=99, slug="letters"), "sam@example.com")
    assert key != notifications.confirm_sent_key(post, "kim@example.com")
