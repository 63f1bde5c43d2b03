"""Autosave: the endpoint the change form's script posts to, the notice on return, restore and discard."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from blog import services
from blog.models import Autosave, Post
from tests.blog.admin_forms import edit_form
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTICE = "There is an autosave of this post that is more recent than the version below."


def autosave_url(post):
    return f"/admin/blog/post/{post.pk}/autosave/"


def change_url(post):
    return f"/admin/blog/post/{post.pk}/change/"


def new_post(author, **fields):
    defaults = {"title": "Saved title", "body": "<p>Saved body.</p>", "categories": [CategoryFactory()]}
    return services.post_create(author=author, **{**defaults, **fields})


def words(**overrides):
    return {"title": "Typed title", "excerpt": "Typed excerpt.", "body": "<p>Typed body.</p>", **overrides}


def test_autosave_keeps_one_record_per_user_and_post_updated_in_place(author):
    post = new_post(author.user)
    first = author.post(autosave_url(post), words())
    assert first.status_code == 200
    assert re.fullmatch(r"Draft autosaved at \d\d:\d\d\.", first.json()["message"])
    assert datetime.datetime.fromisoformat(first.json()["saved_at"])
    assert author.post(autosave_url(post), words(title="Typed again")).status_code == 200
    (autosave,) = Autosave.objects.all()
    assert (autosave.user, autosave.post, autosave.title) == (author.user, post, "Typed again")


def test_autosave_sanitises_the_body_and_changes_nothing_of_the_post(contributor):
    post = new_post(contributor.user, status=Post.Status.DRAFT)
    before = Post.objects.values().get(pk=post.pk)
    forged = words(body="<p>Hi</p><script>alert(1)</script>", status="published", slug="hijack")
    forged["published_at_0"] = "2024-01-01"
    assert contributor.post(autosave_url(post), forged).status_code == 200
    assert Post.objects.values().get(pk=post.pk) == before
    assert Autosave.objects.get().body == "<p>Hi</p>"
    assert post.revisions.count() == 1


def test_autosave_needs_the_csrf_token_in_the_header():
    user = UserFactory(is_staff=True, is_superuser=True)
    post = new_post(user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(autosave_url(post), words()).status_code == 403
    client.get(change_url(post))
    token = client.cookies["csrftoken"].value
    assert client.post(autosave_url(post), words(), headers={"X-CSRFToken": token}).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"excerpt": "Only this."}, "An autosave needs the title and the body."),
        (words(title="x" * 301), "at most 300 characters"),
        (words(body="x" * 1_000_001), "The body is too long to autosave"),
    ],
)
def test_unusable_input_is_a_400_saying_why(author, data, message):
    post = new_post(author.user)
    response = author.post(autosave_url(post), data)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Autosave.objects.exists()


def test_autosave_takes_a_post_only(author):
    post = new_post(author.user)
    response = author.get(autosave_url(post))
    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert "error" in response.json()


def test_a_contributor_cannot_autosave_their_published_post(contributor):
    post = new_post(contributor.user)
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED, published_at=timezone.now())
    response = contributor.post(autosave_url(post), words())
    assert response.status_code == 403
    assert response.json()["error"] == "You may not change this post."
    assert not Autosave.objects.exists()


def test_an_author_cannot_autosave_another_authors_post(author):
    post = new_post(UserFactory(username="someone"))
    assert author.post(autosave_url(post), words()).status_code == 403
    assert not Autosave.objects.exists()


def test_autosave_of_a_missing_post_is_a_404(author):
    assert author.post("/admin/blog/post/99999/autosave/", words()).status_code == 404


def test_autosave_needs_a_staff_login(client):
    post = new_post(UserFactory())
    response = client.post(autosave_url(post), words())
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_change_form_carries_the_autosave_settings(author):
    post = new_post(author.user)
    response = author.get(change_url(post))
    assertContains(response, f'data-autosave-url="{autosave_url(post)}"')
    assertContains(response, 'data-autosave-interval="10"')
    assertContains(response, 'aria-live="polite"')
    assertContains(response, "/static/js/admin-autosave.js")


def test_a_new_post_is_only_warned_about_not_autosaved(author):
    response = author.get("/admin/blog/post/add/")
    assertContains(response, 'data-autosave-url=""')


def test_a_newer_different_autosave_is_offered_on_return(author):
    post = new_post(author.user)
    assertNotContains(author.get(change_url(post)), NOTICE)
    author.post(autosave_url(post), words())
    response = author.get(change_url(post))
    assertContains(response, NOTICE)
    assertContains(response, 'href="?autosave=restore"')
    assertContains(response, f'action="/admin/blog/post/{post.pk}/autosave/discard/"')


def test_an_autosave_the_same_as_the_post_or_older_is_not_offered(author):
    post = new_post(author.user, excerpt="Typed excerpt.")
    author.post(autosave_url(post), words(title="Saved title", body="<p>Saved body.</p>"))
    assertNotContains(author.get(change_url(post)), NOTICE)
    author.post(autosave_url(post), words())
    Autosave.objects.update(saved_at=post.updated_at - datetime.timedelta(minutes=1))
    assertNotContains(author.get(change_url(post)), NOTICE)


def test_restore_the_autosave_fills_the_form_and_saving_keeps_it(author):
    post = new_post(author.user, status=Post.Status.DRAFT)
    author.post(autosave_url(post), words(title="Typed <title>"))
    response = author.get(change_url(post), {"autosave": "restore"})
    assertContains(response, 'value="Typed &lt;title&gt;"')
    assertContains(response, "Typed excerpt.</textarea>")
    assertContains(response, "&lt;p&gt;Typed body.&lt;/p&gt;</textarea>")
    assertContains(response, 'data-autosave-restored="true"')
    assertNotContains(response, NOTICE)
    post.refresh_from_db()
    assert post.title == "Saved title"  # only the form, until the author saves


def test_a_normal_save_deletes_the_users_autosave_but_not_others(author):
    post = new_post(author.user, status=Post.Status.DRAFT)
    author.post(autosave_url(post), words())
    editor = UserFactory(username="ed", is_staff=True, is_superuser=True)
    Autosave.objects.create(user=editor, post=post, title="Editor's")
    response = author.post(change_url(post), edit_form(post, title="Saved again"))
    assert response.status_code == 302
    assert list(Autosave.objects.values_list("user__username", flat=True)) == ["ed"]


def test_discard_deletes_the_autosave_and_goes_back_to_the_form(author):
    post = new_post(author.user)
    author.post(autosave_url(post), words())
    discard = f"/admin/blog/post/{post.pk}/autosave/discard/"
    assert author.get(discard).status_code == 405
    response = author.post(discard, follow=True)
    assert response.redirect_chain == [(change_url(post), 302)]
    assertContains(response, "The autosave was discarded.")
    assertNotContains(response, NOTICE)
    assert not Autosave.objects.exists()


def test_pages_autosave_too(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = services.page_create(title="About", body="<p>Us.</p>")
    response = client.post(f"/admin/blog/page/{page.pk}/autosave/", {"title": "About us", "body": "<p>Us.</p>"})
    assert response.status_code == 200
    assert Autosave.objects.get().page == page
    assertContains(client.get(f"/admin/blog/page/{page.pk}/change/"), "There is an autosave of this page")
