"""The sitemap index and its sections (sitemaps.org 0.9), on Django's sitemaps framework.

URLs are absolute on SITE_URL: the Sites framework is not installed, and the
request's own host (what Django would fall back to) is not necessarily the
canonical one. Each section loads its items in one query, lastmod included.
"""

from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404
from django.urls import reverse

from blog.models import Category, CategoryTree, Page, Post, Tag
from blog.structured_data import absolute


def latest_post_change(**post_filter):
    """Subquery: the latest change among the published posts matching ``post_filter`` (OuterRef allowed)."""
    posts = Post.objects.published().filter(**post_filter).annotate(changed=Post.modified_at_expression())
    return Subquery(posts.order_by("-changed").values("changed")[:1])


class SiteUrlSitemap(Sitemap):
    """A section whose URLs start with SITE_URL, and whose items are loaded once per request."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        # Everything after the scheme, so that a location is exactly absolute(path).
        return settings.SITE_URL.split("://", 1)[1]

    def items(self):
        return self.loaded_items

    @cached_property
    def loaded_items(self):
        return list(self.load_items())

    def load_items(self):
        raise NotImplementedError

    def lastmod(self, item):
        return item.lastmod


class PostSitemap(SiteUrlSitemap):
    def load_items(self):
        posts = Post.objects.published().annotate(lastmod=Post.modified_at_expression())
        return posts.only("slug", "published_at", "updated_at").order_by("-published_at", "-pk")


class FrontPage:
    """The front page as a sitemap item: it changes whenever a post does."""

    def __init__(self, lastmod):
        self.lastmod = lastmod

    def get_absolute_url(self):
        return reverse("blog:post_list")


class PageSitemap(SiteUrlSitemap):
    """The front page (as WordPress lists it first among pages), then the published static pages."""

    def load_items(self):
        pages = sorted(Page.objects.only("path", "status", "updated_at").public(), key=lambda page: page.path)
        for page in pages:
            page.lastmod = page.updated_at
        latest = Post.objects.published().aggregate(latest=Max(Post.modified_at_expression()))["latest"]
        if latest is None and pages:
            latest = max(page.lastmod for page in pages)
        return ([FrontPage(latest)] if latest else []) + pages


class CategorySitemap(SiteUrlSitemap):
    """Categories whose archive lists published posts, their own or their subcategories'."""

    def load_items(self):
        categories = list(Category.objects.annotate(own_lastmod=latest_post_change(categories=OuterRef("pk"))))
        tree = CategoryTree(categories)
        for category in categories:
            changes = [tree.by_id[pk].own_lastmod for pk in tree.descendant_ids(category.pk)]
            category.lastmod = max((change for change in changes if change), default=None)
        return [category for category in categories if category.lastmod]


class TagSitemap(SiteUrlSitemap):
    def load_items(self):
        tags = Tag.objects.annotate(lastmod=latest_post_change(tags=OuterRef("pk")))
        return tags.filter(lastmod__isnull=False).order_by("name")


SITEMAPS = {
    "posts": PostSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
}


def index(request):
    """/sitemap.xml: Django's index of the sections that have URLs, located on SITE_URL.

    An empty section is left out: a <urlset> needs at least one <url>.
    """
    sections = {name: sitemap() for name, sitemap in SITEMAPS.items()}
    sections = {name: sitemap for name, sitemap in sections.items() if sitemap.items()}
    response = sitemap_views.index(request, sitemaps=sections, sitemap_url_name="sitemap_section")
    # Django builds each location on the request's host; move them to SITE_URL's.
    for entry in response.context_data["sitemaps"]:
        location = urlsplit(entry.location)
        entry.location = absolute(location.path + (f"?{location.query}" if location.query else ""))
    return response


def section(request, section):
    """/sitemap-<section>.xml: one section through Django's view; unknown or empty → 404."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap section.")
    sitemap = SITEMAPS[section]()
    if not sitemap.items():
        raise Http404("This sitemap section is empty.")
    return sitemap_views.sitemap(request, sitemaps={section: sitemap}, section=section)
