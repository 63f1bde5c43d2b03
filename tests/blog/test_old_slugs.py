"""A post whose slug changed keeps its old addresses: one 301 to where it is now, as WordPress's old slugs."""

import datetime

import pytest
from django.utils import timezone

from blog import services
from blog.models import OldSlug, Post
from tests.factories import CategoryFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2024, 5, 1, 10, 0, tzinfo=datetime.UTC)


def rename(post, slug):
    post.slug = slug
    return services.post_save(post=post)


def test_editing_the_slug_in_the_admin_keeps_the_old_address_with_a_301(client):
    post = PostFactory(slug="first-words", published_at=WHEN)
    old_url = post.get_absolute_url()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = {
        "title": post.title,
        "slug": "better-words",
        "author": post.author.pk,
        "body": post.body,
        "excerpt": "",
        "status": "published",
        "published_at_0": "2024-05-01",
        "published_at_1": "10:00:00",
        "categories": [CategoryFactory().pk],
        "comments_open": "on",
    }
    response = client.post(f"/admin/blog/post/{post.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/2024/05/01/better-words/"
    assert client.get(response["Location"]).status_code == 200


def test_a_chain_of_renames_is_one_hop_from_every_old_slug(client):
    post = PostFactory(slug="one", published_at=WHEN)
    rename(post, "two")
    rename(post, "three")
    for old in ("one", "two"):
        response = client.get(f"/2024/05/01/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/2024/05/01/three/")


def test_going_back_to_an_old_slug_forgets_it_as_a_redirect(client):
    post = PostFactory(slug="one", published_at=WHEN)
    rename(post, "two")
    rename(post, "one")
    assert client.get("/2024/05/01/one/").status_code == 200
    assert list(OldSlug.objects.values_list("slug", flat=True)) == ["two"]
    assert client.get("/2024/05/01/two/")["Location"] == "/2024/05/01/one/"


def test_a_new_post_taking_an_old_slug_wins(client):
    old = PostFactory(slug="shared-name", published_at=WHEN)
    rename(old, "renamed")
    services.post_create(
        author=UserFactory(),
        title="Shared name",
        slug="shared-name",
        body="<p>New</p>",
        categories=[CategoryFactory()],
        status=Post.Status.PUBLISHED,
        published_at=WHEN,
    )
    assert client.get("/2024/05/01/shared-name/").status_code == 200
    assert not OldSlug.objects.filter(slug="shared-name").exists()


@pytest.mark.parametrize(
    "hidden",
    [{"status": Post.Status.DRAFT}, {"status": Post.Status.PRIVATE}, {"published_at": None}],
    ids=["draft", "private", "scheduled"],
)
def test_an_old_slug_of_a_post_readers_cannot_see_is_a_404(client, hidden):
    post = PostFactory(slug="was-here", published_at=WHEN)
    rename(post, "now-here")
    if hidden.get("published_at", WHEN) is None:
        post.published_at = timezone.now() + datetime.timedelta(days=1)
    else:
        post.status = hidden["status"]
    services.post_save(post=post)
    assert client.get("/2024/05/01/was-here/").status_code == 404


def test_an_unknown_slug_is_still_a_404(client):
    assert client.get("/2024/05/01/never-was/").status_code == 404
