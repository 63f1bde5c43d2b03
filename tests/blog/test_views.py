import datetime
import re

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from blog.models import Post
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory
from tests.queries import NAVIGATION_QUERIES, NEIGHBOUR_QUERIES

pytestmark = pytest.mark.django_db


def test_front_page_summary_keeps_list_items_apart_and_follows_edits_of_the_body(client):
    post = PostFactory(excerpt="", body="<ul><li>Breathe</li><li>Wait</li><li>Reflect back</li></ul>")
    assertContains(client.get("/"), '<p class="entry-summary">Breathe Wait Reflect back</p>', html=True)
    post.body = "<p>Listen first.</p>"
    post.save()
    response = client.get("/")
    assertContains(response, '<p class="entry-summary">Listen first.</p>', html=True)
    assertNotContains(response, "Breathe")


def test_front_page_lists_published_posts_with_excerpts(client):
    post = PostFactory(title="Visible post", excerpt="A short summary.")
    response = client.get("/")
    assertContains(response, f'<article id="post-{post.pk}"')
    assertContains(response, "Visible post")
    assertContains(response, "A short summary.")
    assertContains(response, f'href="{post.get_absolute_url()}"')


def test_front_page_never_shows_drafts_private_or_future_posts(client, hidden_posts):
    PostFactory(title="Public post")
    response = client.get("/")
    assertContains(response, "Public post")
    assertNotContains(response, "Secret")


def test_hidden_posts_have_no_permalink(client, hidden_posts):
    for post in hidden_posts:
        date = post.published_at or timezone.now()
        url = f"/{date:%Y/%m/%d}/{post.slug}/"
        assert client.get(url).status_code == 404, post.status


def test_front_page_paginates_ten_a_page(client):
    now = timezone.now()
    for i in range(12):
        PostFactory(title=f"Entry {i:02d}", published_at=now - datetime.timedelta(hours=i + 1))
    first = client.get("/")
    assert len(first.context["posts"]) == 10
    assertContains(first, 'rel="next" href="?page=2"')
    second = client.get("/?page=2")
    assert [p.title for p in second.context["posts"]] == ["Entry 10", "Entry 11"]
    assertContains(second, 'rel="prev" href="?page=1"')


@pytest.mark.parametrize("page", ["x", "0", "-1", "999", "1.5", "%00", "1' OR '1'='1", "9" * 400])
def test_bad_page_number_is_a_404_not_a_500(client, page):
    PostFactory()
    response = client.get("/", {"page": page})
    assert response.status_code == 404
    assertContains(response, "That page can’t be found", status_code=404)


def test_sticky_post_comes_first(client):
    PostFactory(title="Newer", published_at=timezone.now() - datetime.timedelta(hours=1))
    PostFactory(title="Pinned", sticky=True, published_at=timezone.now() - datetime.timedelta(days=9))
    titles = [p.title for p in client.get("/").context["posts"]]
    assert titles == ["Pinned", "Newer"]


def test_article_page_has_the_contract_hooks(client):
    author = UserFactory(username="writer", first_name="Wren", last_name="Writer")
    category = CategoryFactory(name="Relationships", slug="relationships")
    tag = TagFactory(name="Boundaries", slug="boundaries")
    post = PostFactory(
        title="Do’s & Don’ts",
        author=author,
        categories=[category],
        tags=[tag],
        published_at=datetime.datetime(2017, 3, 6, 9, 0, tzinfo=datetime.UTC),
        excerpt="What to do when your partner withdraws.",
    )
    response = client.get(post.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<article id="post-{post.pk}"' in html
    assert '<h1 class="entry-title">Do’s &amp; Don’ts</h1>' in html
    assert '<time class="entry-date published" datetime="2017-03-06T09:00:00+00:00">March 6, 2017</time>' in html
    assert 'href="/author/writer/"' in html and "Wren Writer" in html
    assert 'href="/category/relationships/"' in html
    assert 'href="/tag/boundaries/"' in html
    assert "<title>Do’s &amp; Don’ts – " in html
    assert '<meta name="description" content="What to do when your partner withdraws.">' in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{post.get_absolute_url()}">' in html
    assert re.search(r'<html lang="en">', html)
    assert 'class="skip-link" href="#content"' in html


def test_article_body_is_sanitised_even_if_stored_unsafe(client):
    post = PostFactory()
    # Bypass save(): a row written by an import or raw SQL.
    Post.objects.filter(pk=post.pk).update(body='<p>Safe</p><script>alert("x")</script><p onclick="x()">Hi</p>')
    response = client.get(post.get_absolute_url())
    assertContains(response, "<p>Safe</p>")
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "onclick")


def test_wrong_date_in_permalink_redirects_to_the_right_one(client):
    post = PostFactory(slug="moved", published_at=datetime.datetime(2017, 3, 6, 9, 0, tzinfo=datetime.UTC))
    response = client.get("/2017/03/07/moved/")
    assertRedirects(response, post.get_absolute_url(), status_code=301)


@pytest.mark.parametrize(
    "url",
    [
        "/2017/13/45/nothing/",
        "/2017/03/06/unknown-slug/",
        "/99999/03/06/x/",
        "/2017/3/6/x/",
        "/category/nope/",
        "/tag/nope/",
        "/author/nobody/",
        "/no/such/page/",
        "/%E2%80%99/",
        "/2017/03/06/<script>/",
    ],
)
def test_unknown_urls_are_404_in_the_site_look(client, url):
    PostFactory()
    response = client.get(url)
    assert response.status_code == 404
    assertContains(response, 'class="site-header"', status_code=404)


def test_archives_list_only_their_published_posts(client):
    category = CategoryFactory(slug="relationships", name="Relationships")
    tag = TagFactory(slug="calm", name="Calm")
    author = UserFactory(username="ada")
    inside = PostFactory(title="Inside", categories=[category], tags=[tag], author=author)
    PostFactory(title="Outside")
    PostFactory(title="Secret draft", status=Post.Status.DRAFT, categories=[category], tags=[tag], author=author)

    for url, heading in [
        ("/category/relationships/", "Category: Relationships"),
        ("/tag/calm/", "Tag: Calm"),
        ("/author/ada/", "Author: Ada"),
    ]:
        html = client.get(url).content.decode()
        main = html.split('<main id="content"', 1)[1].split("</main>", 1)[0]
        assert heading in main and inside.title in main
        assert "Outside" not in main  # (the sidebar's recent posts may list it)
        assert "Secret draft" not in html


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("config.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_security_headers_on_every_page(client):
    post = PostFactory()
    for url in ["/", post.get_absolute_url(), "/missing/"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script(client):
    post = PostFactory()
    for url in ["/", post.get_absolute_url(), "/missing/"]:
        html = client.get(url).content.decode()
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            if 'type="application/ld+json"' in attrs:
                continue  # a data block, never executed
            assert "src=" in attrs and not body.strip(), url


def test_server_error_page_is_in_the_site_look(client, settings):
    from config.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def make_posts(count, taxonomy=3):
    categories = [CategoryFactory() for _ in range(taxonomy)]
    tags = [TagFactory() for _ in range(taxonomy)]
    for _ in range(count):
        PostFactory(categories=categories, tags=tags)


@pytest.mark.parametrize(("count", "taxonomy"), [(3, 2), (40, 30)])
def test_front_page_query_count_does_not_grow_with_posts(assert_page_queries, count, taxonomy):
    make_posts(count, taxonomy)
    # posts count, posts, their categories
    assert_page_queries("/", warm=3, cold=3 + NAVIGATION_QUERIES)


@pytest.mark.parametrize("count", [1, 30])
def test_article_query_count_does_not_grow(assert_page_queries, count):
    make_posts(count)
    post = Post.objects.first()
    # post + author, categories, tags, discussion settings, the comment thread
    assert_page_queries(post.get_absolute_url(), warm=5, cold=5 + NAVIGATION_QUERIES + NEIGHBOUR_QUERIES)


@pytest.mark.parametrize(("count", "taxonomy"), [(3, 2), (25, 30)])
@pytest.mark.parametrize("url", ["/category/{c}/", "/tag/{t}/", "/author/{a}/"])
def test_archive_query_count_does_not_grow(assert_page_queries, url, count, taxonomy):
    make_posts(count, taxonomy)
    post = Post.objects.first()
    url = url.format(c=post.categories.first().slug, t=post.tags.first().slug, a=post.author.username)
    # archive row (+ the category tree), empty check, count, posts, their categories
    assert_page_queries(url, warm=6, cold=6 + NAVIGATION_QUERIES)


def test_reverse_names_line_up():
    assert reverse("blog:post_list") == "/"
    assert reverse("healthz") == "/healthz"


def test_time_elements_carry_whole_seconds(client):
    # HTML's <time datetime> accepts at most three decimals of a second.
    stamp = datetime.datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=datetime.UTC)
    post = PostFactory(published_at=stamp)
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'datetime="2024-05-01T10:00:00+00:00"' in html
    assert ".123456" not in html
