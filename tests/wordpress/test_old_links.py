"""After an import, the old site's links keep working: ids, terms, feeds and each old permalink answer 301."""

import pytest

from blog.models import Category, Page, Post, Tag
from tests.wordpress.test_import import run_import
from wordpress.models import ImportedObject

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    run_import()


def moved(client, url):
    response = client.get(url)
    assert response.status_code == 301, (url, response.status_code)
    return response["Location"]


def test_old_ids_terms_and_feeds_answer_with_a_permanent_redirect(client, imported):
    post = Post.objects.published().exclude(wordpress_id=None).first()
    assert moved(client, f"/?p={post.wordpress_id}") == post.get_absolute_url()
    page = Page.objects.published().exclude(wordpress_id=None).filter(parent=None).first()
    assert moved(client, f"/?page_id={page.wordpress_id}") == page.get_absolute_url()
    category = Category.objects.exclude(wordpress_id=None).first()
    assert moved(client, f"/?cat={category.wordpress_id}") == category.get_absolute_url()
    tag = Tag.objects.first()
    assert moved(client, f"/?tag={tag.slug}") == tag.get_absolute_url()
    for feed in ("/feed/rss2/", "/feed/rss/", "/?feed=rss2"):
        assert moved(client, feed) == "/feed/"
    assert moved(client, "/?feed=comments-rss2") == "/comments/feed/"
    assert client.get("/?cat=999999999").status_code == 404
    assert client.get("/?tag=no-such-tag").status_code == 404


def test_each_old_permalink_answers_301_to_the_new_one(client, imported):
    checked = 0
    for record in ImportedObject.objects.filter(kind="post").exclude(old_path=""):
        post = Post.objects.get(pk=record.object_id)
        if not post.is_published or record.old_path == post.get_absolute_url():
            continue
        assert moved(client, record.old_path) == post.get_absolute_url()
        checked += 1
    assert checked > 20
    # Not published (a draft or scheduled post): its old link stays a 404.
    hidden = ImportedObject.objects.filter(
        kind="post", object_id__in=Post.objects.exclude(status="published").values("pk")
    )
    assert client.get(hidden.first().old_path).status_code == 404


def test_other_old_structures_are_found_too(client, imported):
    post = Post.objects.published().first()
    record = ImportedObject.objects.get(kind="post", object_id=post.pk)
    for old in (
        "https://wpthemetestdata.wordpress.com/archives/123",
        "https://wpthemetestdata.wordpress.com/?p=77777",
    ):
        record.old_url = old
        record.save()
        assert moved(client, record.old_path) == post.get_absolute_url()
    assert client.get("/archives/124/").status_code == 404


def test_a_hostile_address_is_still_a_plain_404(client):
    # NUL bytes and the like never reach the database (PostgreSQL refuses them): a 404, not a 500.
    for path in ("/%00/", "/a%00b/", "/?%00=1&p=x"):
        assert client.get(path).status_code in (400, 404), path
