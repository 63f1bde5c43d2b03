"""The sitemap index, its sections and robots.txt: valid sitemaps.org 0.9, SITE_URL URLs, no leaks."""

import datetime
import urllib.robotparser
from pathlib import Path

import pytest
import xmlschema
from django.utils import timezone
from lxml import etree

from blog.models import Page, Post
from tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "schemas" / "sitemap-0.9.xsd")
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "http://127.0.0.1:8000"
SECTIONS = ["posts", "pages", "categories", "tags"]


def valid_xml(response):
    """The response parsed, after checking it against the vendored sitemaps.org schema (every error listed)."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    errors = [f"{error.path}: {error.reason}" for error in SCHEMA.iter_errors(response.content)]
    assert errors == []
    return etree.fromstring(response.content)


def locations(root):
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def lastmods(root, tag="url"):
    """{loc: lastmod} of every <url> (or <sitemap>), failing when one lacks a lastmod."""
    found = {}
    for entry in root.iterfind(f"sm:{tag}", NS):
        lastmod = entry.findtext("sm:lastmod", namespaces=NS)
        assert lastmod, f"no lastmod for {entry.findtext('sm:loc', namespaces=NS)}"
        found[entry.findtext("sm:loc", namespaces=NS)] = lastmod
    return found


@pytest.fixture
def site(hidden_posts):
    """A little of everything: nested categories, a tag, pages, published and hidden posts."""
    parent = CategoryFactory(name="Love", slug="love")
    child = CategoryFactory(name="Distance", slug="distance", parent=parent)
    empty = CategoryFactory(name="Empty", slug="empty")
    tag = TagFactory(name="Calm", slug="calm")
    TagFactory(name="Unused", slug="unused")
    post = PostFactory(title="Public", slug="public", categories=[child], tags=[tag])
    for hidden in hidden_posts:
        hidden.categories.set([empty])
        hidden.tags.set([TagFactory(slug=f"hidden-{hidden.slug}")])
    about = Page.objects.create(title="About", slug="about", body="<p>Us.</p>", status=Page.Status.PUBLISHED)
    Page.objects.create(title="Team", slug="team", parent=about, body="<p>We.</p>", status=Page.Status.PUBLISHED)
    Page.objects.create(title="Draft page", slug="draft-page", body="<p>Soon.</p>")
    return post


# The index


def test_sitemap_index_lists_each_section_on_site_url(client, site):
    root = valid_xml(client.get("/sitemap.xml"))
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert locations(root) == [f"{SITE}/sitemap-{section}.xml" for section in SECTIONS]
    assert len(lastmods(root, tag="sitemap")) == 4


def test_every_section_is_valid_and_every_url_has_a_lastmod(client, site):
    for section in SECTIONS:
        root = valid_xml(client.get(f"/sitemap-{section}.xml"))
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        found = lastmods(root)
        assert found, section
        assert all(loc.startswith(f"{SITE}/") for loc in found)


def test_sections_list_only_what_the_public_can_read(client, site):
    posts = locations(valid_xml(client.get("/sitemap-posts.xml")))
    assert posts == [f"{SITE}{site.get_absolute_url()}"]
    pages = locations(valid_xml(client.get("/sitemap-pages.xml")))
    assert pages == [f"{SITE}/", f"{SITE}/about/", f"{SITE}/about/team/"]
    # A parent category lists its children's posts, so it is in; a category with only hidden posts is not.
    categories = locations(valid_xml(client.get("/sitemap-categories.xml")))
    assert sorted(categories) == [f"{SITE}/category/distance/", f"{SITE}/category/love/"]
    tags = locations(valid_xml(client.get("/sitemap-tags.xml")))
    assert tags == [f"{SITE}/tag/calm/"]


def test_no_section_leaks_hidden_posts_pages_or_their_terms(client, site):
    for url in ["/sitemap.xml", *[f"/sitemap-{section}.xml" for section in SECTIONS]]:
        body = client.get(url).content.decode()
        for secret in ("secret", "draft-page", "/category/empty/", "unused", "hidden-"):
            assert secret not in body, (url, secret)


def test_lastmod_is_the_latest_change_of_the_published_posts(client, site):
    old = timezone.now() - datetime.timedelta(days=40)
    Post.objects.filter(pk=site.pk).update(updated_at=old, published_at=old - datetime.timedelta(days=1))
    recent = timezone.now() - datetime.timedelta(days=3)
    newer = PostFactory(slug="newer", categories=[site.categories.get()], tags=list(site.tags.all()))
    Post.objects.filter(pk=newer.pk).update(updated_at=recent, published_at=recent - datetime.timedelta(days=1))
    # A draft edited today changes nothing the public sees.
    PostFactory(status=Post.Status.DRAFT, categories=list(site.categories.all()), tags=list(site.tags.all()))

    site.refresh_from_db()
    newer.refresh_from_db()

    posts = lastmods(valid_xml(client.get("/sitemap-posts.xml")))
    assert posts == {
        f"{SITE}{newer.get_absolute_url()}": f"{recent:%Y-%m-%d}",
        f"{SITE}{site.get_absolute_url()}": f"{old:%Y-%m-%d}",
    }
    categories = lastmods(valid_xml(client.get("/sitemap-categories.xml")))
    assert categories == {
        f"{SITE}/category/distance/": f"{recent:%Y-%m-%d}",
        f"{SITE}/category/love/": f"{recent:%Y-%m-%d}",
    }
    tags = lastmods(valid_xml(client.get("/sitemap-tags.xml")))
    assert tags == {f"{SITE}/tag/calm/": f"{recent:%Y-%m-%d}"}
    assert lastmods(valid_xml(client.get("/sitemap-pages.xml")))[f"{SITE}/"] == f"{recent:%Y-%m-%d}"


def test_a_scheduled_post_counts_from_the_day_it_went_live(client):
    """Edited last week, published (scheduled) yesterday: the page changed yesterday."""
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=7),
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    post.refresh_from_db()
    found = lastmods(valid_xml(client.get("/sitemap-posts.xml")))
    assert found == {f"{SITE}{post.get_absolute_url()}": f"{post.published_at:%Y-%m-%d}"}


def test_empty_sections_are_left_out_of_the_index_and_answer_404(client):
    PostFactory(tags=[])
    root = valid_xml(client.get("/sitemap.xml"))
    assert locations(root) == [f"{SITE}/sitemap-{section}.xml" for section in ("posts", "pages", "categories")]
    assert client.get("/sitemap-tags.xml").status_code == 404


def test_a_fresh_site_still_has_a_valid_index(client):
    Page.objects.create(title="About", slug="about", body="<p>Us.</p>", status=Page.Status.PUBLISHED)
    root = valid_xml(client.get("/sitemap.xml"))
    assert locations(root) == [f"{SITE}/sitemap-pages.xml"]
    assert locations(valid_xml(client.get("/sitemap-pages.xml"))) == [f"{SITE}/", f"{SITE}/about/"]


def test_urls_use_site_url_whatever_the_request_host(client, site, settings):
    settings.SITE_URL = "https://blog.example.org"
    for url in ["/sitemap.xml", *[f"/sitemap-{section}.xml" for section in SECTIONS]]:
        root = valid_xml(client.get(url, HTTP_HOST="127.0.0.1"))
        assert locations(root)
        assert all(loc.startswith("https://blog.example.org/") for loc in locations(root)), url


@pytest.mark.parametrize("url", ["/sitemap-nope.xml", "/sitemap-posts.xml?p=2", "/sitemap-posts.xml?p=0"])
def test_unknown_sections_and_pages_are_404s(client, site, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("query", ["p=x", "p=-1", "p=1.5", "p=%00", "p=" + "9" * 400, "page=x&q=<script>"])
def test_bad_query_strings_never_give_a_500(client, site, query):
    for url in ["/sitemap.xml", *[f"/sitemap-{section}.xml" for section in SECTIONS], "/robots.txt"]:
        assert client.get(f"{url}?{query}").status_code in (200, 404), (url, query)


def test_the_schema_is_not_a_rubber_stamp():
    """The vendored XSD rejects what sitemaps.org forbids, so a pass above means something."""
    bad = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <url><loc>http://a.b/</loc></url>
  <url><lastmod>2024-01-02</lastmod><loc>https://example.org/wrong-order/</loc></url>
  <url><loc>https://example.org/x/</loc><lastmod>yesterday</lastmod><changefreq>often</changefreq>
       <priority>1.5</priority></url>
</urlset>"""
    reasons = [error.reason or str(error) for error in SCHEMA.iter_errors(bad)]
    assert len(reasons) >= 4, reasons
    good = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <url><loc>https://example.org/</loc><lastmod>2024-01-02T10:00:00+00:00</lastmod><changefreq>daily</changefreq>
       <priority>0.5</priority><xhtml:link rel="alternate" hreflang="fr" href="https://example.org/fr/"/></url>
</urlset>"""
    assert list(SCHEMA.iter_errors(good)) == []
    assert list(SCHEMA.iter_errors(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'))


@pytest.mark.parametrize("size", [2, 25])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/sitemap.xml", 5),  # one per section, two for pages (pages, then the front page's lastmod)
        ("/sitemap-posts.xml", 1),
        ("/sitemap-pages.xml", 2),
        ("/sitemap-categories.xml", 1),  # every category with its own latest post change
        ("/sitemap-tags.xml", 1),
        ("/robots.txt", 0),
    ],
)
def test_sitemap_query_count_does_not_grow(client, django_assert_max_num_queries, size, url, queries):
    parent = CategoryFactory()
    for i in range(size):
        category = CategoryFactory(parent=parent if i % 2 else None)
        PostFactory(categories=[category], tags=[TagFactory(), TagFactory()])
        Page.objects.create(title=f"Page {i}", slug=f"page-{i}", body="<p>x</p>", status=Page.Status.PUBLISHED)
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    if url != "/robots.txt":
        assert len(locations(valid_xml(response))) >= min(size, 4)


# robots.txt


def test_robots_txt_keeps_crawlers_out_of_admin_and_comment_endpoints(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /admin/", "Disallow: /comments/", "Allow: /comments/feed/"} <= set(lines)
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_robots_txt_allows_the_comments_feed_for_first_match_parsers_too(client):
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(client.get("/robots.txt").content.decode().splitlines())
    assert not parser.can_fetch("AnyBot", f"{SITE}/admin/")
    assert not parser.can_fetch("AnyBot", f"{SITE}/comments/post/")
    assert not parser.can_fetch("AnyBot", f"{SITE}/comments/moderate/abc/")
    assert parser.can_fetch("AnyBot", f"{SITE}/comments/feed/")
    assert parser.can_fetch("AnyBot", f"{SITE}/")
    assert parser.can_fetch("AnyBot", f"{SITE}/2017/03/06/a-post/feed/")
    assert parser.site_maps() == [f"{SITE}/sitemap.xml"]


def test_robots_txt_names_the_sitemap_on_site_url(client, settings):
    settings.SITE_URL = "https://blog.example.org"
    assert "Sitemap: https://blog.example.org/sitemap.xml" in client.get("/robots.txt").content.decode()
