"""WordPress's own addresses: /?p=, /?page_id=, /?s=, the shortlink and the Atom comment feeds."""

import feedparser
import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from blog.models import Page
from comments.models import Comment
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def published_page(slug, **fields):
    fields.setdefault("status", Page.Status.PUBLISHED)
    return Page.objects.create(title=slug.title(), slug=slug, body="<p>Us.</p>", **fields)


def test_p_redirects_permanently_to_the_permalink(client, django_assert_max_num_queries):
    post = PostFactory()
    with django_assert_max_num_queries(1):
        response = client.get("/", {"p": post.pk})
    assertRedirects(response, post.get_absolute_url(), status_code=301)


def test_p_finds_the_old_wordpress_id_before_the_own_id(client):
    own = PostFactory()
    imported = PostFactory(wordpress_id=own.pk)
    assertRedirects(client.get(f"/?p={own.pk}"), imported.get_absolute_url(), status_code=301)
    # An imported post is still found by its own id when no old id takes that number.
    assertRedirects(client.get(f"/?p={imported.pk}"), imported.get_absolute_url(), status_code=301)


def test_p_also_finds_a_page_by_its_wordpress_id(client):
    page = published_page("about", wordpress_id=2)
    assertRedirects(client.get("/?p=2"), page.get_absolute_url(), status_code=301)


def test_p_of_a_hidden_post_is_not_found(client, hidden_posts):
    for post in hidden_posts:
        response = client.get(f"/?p={post.pk}")
        assert response.status_code == 404, post.title
        assertNotContains(response, "Secret", status_code=404)


def test_an_old_id_of_a_draft_is_not_found_even_when_a_post_has_that_own_id(client, hidden_posts):
    public = PostFactory()
    draft = hidden_posts[0]
    draft.wordpress_id = public.pk
    draft.save()
    assert client.get(f"/?p={public.pk}").status_code == 404


@pytest.mark.parametrize("value", ["abc", "", "0", "-3", "1.5", "²", "٣", "99999999999999999999999", "1 OR 1=1"])
def test_bad_ids_are_not_found_never_an_error(client, value):
    PostFactory()
    published_page("about")
    assert client.get("/", {"p": value}).status_code == 404
    assert client.get("/", {"page_id": value}).status_code == 404


def test_unknown_ids_are_not_found(client):
    assert client.get("/?p=4242").status_code == 404
    assert client.get("/?page_id=4242").status_code == 404


def test_page_id_redirects_to_the_page_old_id_first(client, django_assert_max_num_queries):
    about = published_page("about")
    team = published_page("team", parent=about, wordpress_id=about.pk)
    with django_assert_max_num_queries(2):
        response = client.get(f"/?page_id={about.pk}")
    assertRedirects(response, team.get_absolute_url(), status_code=301)
    assertRedirects(client.get(f"/?page_id={team.pk}"), team.get_absolute_url(), status_code=301)


def test_page_id_of_a_draft_or_a_page_under_a_draft_is_not_found(client):
    draft = Page.objects.create(title="Draft", slug="draft", body="<p>x</p>")
    child = published_page("child", parent=draft)
    assert client.get(f"/?page_id={draft.pk}").status_code == 404
    assert client.get(f"/?page_id={child.pk}").status_code == 404


def test_s_shows_the_search_at_its_one_address(client):
    PostFactory(title="Distance and closeness")
    response = client.get("/", {"s": "distance", "paged": "2"})
    assert response.status_code == 301
    assert response["Location"] == "/search/?q=distance&page=2"
    followed = client.get("/?s=distance", follow=True)
    assertContains(followed, "Distance and closeness")


@pytest.mark.parametrize(("query", "location"), [("s=", "/search/?q="), ("s=a%26b&paged=x", "/search/?q=a%26b")])
def test_odd_searches_redirect_too(client, query, location):
    response = client.get(f"/?{query}")
    assert (response.status_code, response["Location"]) == (301, location)


def test_the_front_page_without_wordpress_parameters_is_the_list(client):
    PostFactory(title="On the front page")
    assertContains(client.get("/?page=1"), "On the front page")


def test_a_post_advertises_its_shortlink(client):
    post = PostFactory()
    response = client.get(post.get_absolute_url())
    assertContains(response, f'<link rel="shortlink" href="{SITE}/?p={post.pk}">', html=False)
    assert response["Link"] == f'<{SITE}/?p={post.pk}>; rel="shortlink"'
    assertRedirects(client.get(f"/?p={post.pk}"), post.get_absolute_url(), status_code=301)


def test_an_imported_post_s_shortlink_is_its_wordpress_id(client):
    post = PostFactory(wordpress_id=4)
    assertContains(client.get(post.get_absolute_url()), f'<link rel="shortlink" href="{SITE}/?p=4">')


def test_no_shortlink_when_another_post_s_old_id_is_this_post_s_id(client):
    post = PostFactory()
    PostFactory(wordpress_id=post.pk)
    response = client.get(post.get_absolute_url())
    assertNotContains(response, 'rel="shortlink"')
    assert "Link" not in response


def test_a_page_advertises_its_shortlink(client):
    page = published_page("about")
    imported = published_page("contact", wordpress_id=77)
    assertContains(client.get(page.get_absolute_url()), f'<link rel="shortlink" href="{SITE}/?page_id={page.pk}">')
    assertContains(client.get(imported.get_absolute_url()), f'<link rel="shortlink" href="{SITE}/?page_id=77">')


def test_the_article_s_query_count_does_not_grow_with_the_shortlink(client, django_assert_max_num_queries):
    post = PostFactory()
    PostFactory.create_batch(5, wordpress_id=None)
    client.get(post.get_absolute_url())
    with django_assert_max_num_queries(6):
        assert client.get(post.get_absolute_url()).status_code == 200


def test_post_comment_feed_in_atom(client, django_assert_max_num_queries):
    post = PostFactory(title="Tom & Jerry")
    CommentFactory(post=post, author_name="Ann <3", body="<p>Lovely words.</p>")
    CommentFactory(post=post, author_name="Held", body="<p>Secret held.</p>", status=Comment.Status.PENDING)
    url = reverse("post_comments_feed_atom", kwargs=post.permalink_kwargs())
    assert url == f"{post.get_absolute_url()}feed/atom/"
    CommentFactory.create_batch(3, post=post)
    with django_assert_max_num_queries(2):
        response = client.get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10" and not feed.bozo
    assert feed.feed.title == "Comments on: Tom & Jerry"
    assert feed.feed.id == f"{SITE}{url}"
    titles = [entry.title for entry in feed.entries]
    assert "By: Ann <3" in titles and len(titles) == 4
    assert b"Secret held" not in response.content and b"@example" not in response.content
    assert feed.entries[-1].link.startswith(f"{SITE}{post.get_absolute_url()}#comment-")


def test_site_comment_feed_in_atom(client, hidden_posts, django_assert_max_num_queries):
    post = PostFactory(title="Visible")
    CommentFactory(post=post, author_name="Ann")
    for hidden in hidden_posts:
        CommentFactory(post=hidden, author_name="Ghost")
    with django_assert_max_num_queries(1):
        response = client.get("/comments/feed/atom/")
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10" and not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Comment on Visible by Ann"]
    assert feed.feed.id == f"{SITE}/comments/feed/atom/"


@pytest.mark.parametrize("kind", ["draft", "missing"])
def test_atom_comment_feed_of_a_hidden_or_missing_post_is_not_found(client, hidden_posts, kind):
    post = hidden_posts[0] if kind == "draft" else PostFactory.build(slug="nowhere")
    url = f"{post.get_absolute_url()}feed/atom/"
    assert client.get(url).status_code == 404
