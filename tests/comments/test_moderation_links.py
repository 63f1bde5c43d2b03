"""The Approve / Spam / Trash links in held-comment emails: signed, single-purpose, expiring, single-use."""

import datetime
import re
import time
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from comments import links, notifications, services
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ADMINS = []


@pytest.fixture
def held(db):
    post = PostFactory(title="Letters across the sea")
    return CommentFactory(
        post=post,
        status=Comment.Status.PENDING,
        author_name="Riley Reader",
        body="<p>Please let this through.</p>",
        moderation_reason="First comment from this author: waiting for a first approval.",
    )


@pytest.fixture
def as_moderator(moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    return client


def path_of(url):
    assert url.startswith(SITE + "/comments/moderate/"), url
    return urlsplit(url).path


def link(comment, action):
    comment.refresh_from_db()
    return path_of(links.moderation_url(comment, action))


def confirm(client, path):
    """GET the confirmation page, then press its button (with the CSRF token it carries)."""
    page = client.get(path)
    assert page.status_code == 200, page.content
    return client.post(path, {"csrfmiddlewaretoken": str(page.context["csrf_token"])})


def snapshot(comment):
    comment = Comment.objects.get(pk=comment.pk)
    return comment.status, comment.updated_at, comment.moderation_reason


def test_links_in_the_email_lead_to_a_confirmation_then_act(held, moderator, as_moderator):
    notifications.on_comment_created(Comment.objects.get(pk=held.pk))
    (message,) = mail.outbox
    approve = re.search(r"Approve it: (\S+)", message.body)[1]
    assert approve.startswith(SITE + "/comments/moderate/")

    page = as_moderator.get(path_of(approve))
    assertContains(page, "Approve this comment by Riley Reader on “Letters across the sea”?")
    assertContains(page, "Please let this through.")
    assertContains(page, "First comment from this author")
    assertContains(page, 'name="csrfmiddlewaretoken"')
    assertContains(page, '<button type="submit" class="submit">Approve</button>', html=True)
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.PENDING  # a GET changes nothing

    response = as_moderator.post(path_of(approve), {"csrfmiddlewaretoken": str(page.context["csrf_token"])})
    assertRedirects(response, f"/comments/moderate/done/{held.pk}/", status_code=303)
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.APPROVED
    done = as_moderator.get(response["Location"])
    assertContains(done, "is now <strong>approved</strong>", html=False)
    assertContains(done, f'href="{held.get_absolute_url()}"')
    assertContains(done, f'href="/admin/comments/comment/{held.pk}/change/"')


@pytest.mark.parametrize(
    ("action", "question", "status"),
    [
        ("approve", "Approve this comment by Riley Reader", Comment.Status.APPROVED),
        ("spam", "Mark this comment by Riley Reader on “Letters across the sea” as spam?", Comment.Status.SPAM),
        ("trash", "Move this comment by Riley Reader on “Letters across the sea” to the Trash?", Comment.Status.TRASH),
    ],
)
def test_each_link_does_its_one_action(held, as_moderator, action, question, status):
    path = link(held, action)
    assertContains(as_moderator.get(path), question)
    response = confirm(as_moderator, path)
    assert response.status_code == 303
    assert Comment.objects.get(pk=held.pk).status == status


def test_logged_out_reader_is_sent_to_the_login_first(client, held):
    path = link(held, "approve")
    before = snapshot(held)
    response = client.get(path)
    assertRedirects(response, f"/admin/login/?next={quote(path)}", fetch_redirect_response=False)
    assert client.post(path).status_code in (302, 403)
    assert snapshot(held) == before


def test_login_brings_the_moderator_back_to_the_link(client, held, moderator):
    path = link(held, "trash")
    login = client.get(path)["Location"]
    response = client.post(login, {"username": "mod", "password": "correct horse battery staple"}, follow=True)
    assert response.redirect_chain[-1][0] == path
    assertContains(response, "Move this comment by Riley Reader")


@pytest.mark.parametrize("role", ["reader", "other author", "author without permission"])
def test_a_user_who_may_not_moderate_it_gets_403(client, held, role):
    if role == "reader":
        user = UserFactory()
    elif role == "other author":
        user = UserFactory(is_staff=True)
        user.groups.add(Group.objects.get(name="Author"))
    else:
        user = held.post.author  # owns the post, but holds no moderation permission
    client.force_login(user)
    path = link(held, "approve")
    before = snapshot(held)
    page = client.get(path)
    assertContains(page, "You may not moderate this comment", status_code=403)
    assert client.post(path).status_code == 403
    assert snapshot(held) == before


def test_the_post_author_who_may_moderate_can_use_the_link(client, held):
    author = held.post.author
    author.is_staff = True
    author.save()
    author.groups.add(Group.objects.get(name="Author"))
    client.force_login(author)
    response = confirm(client, link(held, "spam"))
    assert response.status_code == 303
    assert Comment.objects.get(pk=held.pk).status == Comment.Status.SPAM


def tampered_tokens(comment):
    token = links.moderation_token(comment, "approve")
    payload, stamp, signature = token.split(":")
    as_spam = signing.b64_encode(f'{{"c":{comment.pk},"a":"trash","v":1}}'.encode()).decode()
    return [
        "nonsense",
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        f"{as_spam}:{stamp}:{signature}",  # payload changed, signature kept
        "::",
        "x" * 500,
        # Right salt, wrong shape: a signed string, a list, an unknown action, a bad id.
        signing.dumps("approve", salt=links.MODERATION_SALT),
        signing.dumps([1, 2], salt=links.MODERATION_SALT),
        signing.dumps({"c": comment.pk, "a": "delete", "v": 1}, salt=links.MODERATION_SALT),
        signing.dumps({"c": "x", "a": "approve", "v": 1}, salt=links.MODERATION_SALT),
        # Another salt: a follow-up confirmation token is not a moderation link.
        signing.dumps({"c": comment.pk, "a": "approve", "v": 1}, salt=links.CONFIRM_SALT),
    ]


def test_tampered_links_are_refused_and_change_nothing(held, as_moderator):
    before = snapshot(held)
    for token in tampered_tokens(held):
        page = as_moderator.get(f"/comments/moderate/{token}/")
        assertContains(page, "This link is not valid", status_code=400)
        assert as_moderator.post(f"/comments/moderate/{token}/").status_code in (400, 403)
    assert snapshot(held) == before


def test_tampered_post_with_a_csrf_token_is_still_refused(held, moderator, client):
    client.force_login(moderator)
    before = snapshot(held)
    for token in tampered_tokens(held):
        assertContains(client.post(f"/comments/moderate/{token}/"), "This link is not valid", status_code=400)
    assert snapshot(held) == before


def test_a_used_link_cannot_be_replayed(held, as_moderator):
    path = link(held, "spam")
    page = as_moderator.get(path)
    csrf = {"csrfmiddlewaretoken": str(page.context["csrf_token"])}
    assert as_moderator.post(path, csrf).status_code == 303
    services.comment_not_spam(comment=Comment.objects.get(pk=held.pk))  # a moderator undoes it in the admin
    before = snapshot(held)

    replay = as_moderator.post(path, csrf)
    assertContains(replay, "already been used or the comment has changed", status_code=409)
    assertContains(as_moderator.get(path), "already been used", status_code=409)
    assert snapshot(held) == before


def test_using_one_link_voids_the_others_from_the_same_email(held, as_moderator):
    approve, trash = link(held, "approve"), link(held, "trash")
    assert confirm(as_moderator, approve).status_code == 303
    before = snapshot(held)
    assertContains(as_moderator.get(trash), "already been used", status_code=409)
    assert snapshot(held) == before
    assert before[0] == Comment.Status.APPROVED


def test_a_link_is_void_once_the_comment_changed_in_the_admin(held, as_moderator):
    path = link(held, "approve")
    services.comment_trash(comment=held)
    before = snapshot(held)
    assertContains(as_moderator.get(path), "already been used", status_code=409)
    assert snapshot(held) == before


def test_an_expired_link_is_refused(held, as_moderator, monkeypatch):
    eight_days_ago = int(time.time()) - 8 * 24 * 3600
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(eight_days_ago))
    path = link(held, "approve")
    monkeypatch.undo()
    before = snapshot(held)
    page = as_moderator.get(path)
    assertContains(page, "This link has expired", status_code=410)
    assertContains(page, "7 days", status_code=410)
    assert as_moderator.post(path).status_code in (403, 410)
    assert snapshot(held) == before


def test_a_link_six_days_old_still_works(held, as_moderator, monkeypatch):
    six_days_ago = int(time.time()) - 6 * 24 * 3600
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(six_days_ago))
    path = link(held, "approve")
    monkeypatch.undo()
    assert as_moderator.get(path).status_code == 200


def test_a_link_to_a_deleted_comment_says_so(held, as_moderator):
    path = link(held, "approve")
    services.comment_delete(comment=held)
    assertContains(as_moderator.get(path), "This comment no longer exists", status_code=410)


def test_the_button_needs_the_csrf_token(held, as_moderator):
    path = link(held, "approve")
    before = snapshot(held)
    assert as_moderator.post(path).status_code == 403
    assert snapshot(held) == before


def test_the_done_page_is_for_moderators_only(held, client, as_moderator):
    confirm(as_moderator, link(held, "trash"))
    done = f"/comments/moderate/done/{held.pk}/"
    assertContains(as_moderator.get(done), "is now <strong>trash</strong>")
    assertNotContains(as_moderator.get(done), "See it on the post")
    assert client.get(done).status_code == 302
    client.force_login(UserFactory())
    assert client.get(done).status_code == 403
    assert as_moderator.get("/comments/moderate/done/999999/").status_code == 404


def test_error_pages_use_the_site_look(held, as_moderator):
    page = as_moderator.get("/comments/moderate/nonsense/")
    assertContains(page, '<header class="site-header">', status_code=400)
    assertContains(page, '<meta name="robots" content="noindex">', status_code=400)


def test_version_is_exact_to_the_microsecond(held):
    comment = Comment.objects.get(pk=held.pk)
    comment_id, action, version = links.read_moderation_token(links.moderation_token(comment, "approve"))
    assert (comment_id, action) == (held.pk, "approve")
    links.check_unchanged(comment, version)
    comment.updated_at += datetime.timedelta(microseconds=1)
    with pytest.raises(links.LinkUsed):
        links.check_unchanged(comment, version)
