"""RSS 2.0 and Atom feeds of posts (Django's syndication framework); comments.feeds builds on them.

Every link is absolute on SITE_URL, whatever host the request came in on. Each
feed runs a fixed number of queries: the items, with their relations joined or
prefetched.
"""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from blog.models import Category, Post, Tag, display_name
from blog.sanitize import sanitize_post_html
from blog.structured_data import absolute

POSTS_IN_FEED = 10

# nh3 writes every attribute in double quotes, so these find each URL exactly.
RELATIVE_URL_RE = re.compile(r'(\s(?:href|src)=")/(?!/)')
SRCSET_RE = re.compile(r'(\ssrcset=")([^"]*)"')


def with_absolute_urls(html):
    """Root-relative links and images made absolute: feed readers show the HTML away from the site."""
    html = RELATIVE_URL_RE.sub(lambda m: m[1] + absolute("/"), html)
    return SRCSET_RE.sub(lambda m: m[1] + re.sub(r"(^|,\s*)/(?!/)", lambda s: s[1] + absolute("/"), m[2]) + '"', html)


class ContentRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the full article in content:encoded and the comments feed in wfw:commentRss."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:wfw": "http://wellformedweb.org/CommentAPI/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("comment_rss"):
            handler.addQuickElement("wfw:commentRss", item["comment_rss"])
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class ContentAtomFeed(Atom1Feed):
    """Atom with the full article in <content type="html"> beside the summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class PermalinkItems:
    """Items link to their page on SITE_URL, and that link is their permanent guid."""

    item_guid_is_permalink = True

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return self.item_link(item)


class PostsFeed(PermalinkItems, Feed):
    """The latest published posts, full text, in RSS 2.0."""

    feed_type = ContentRssFeed

    def title(self, obj):
        return settings.SITE_TITLE

    def description(self, obj):
        return settings.SITE_TAGLINE

    def link(self, obj):
        return absolute(reverse("blog:post_list"))

    def feed_url(self, obj):
        return absolute(reverse("blog:feed"))

    def get_posts(self, obj):
        return Post.objects.published()

    def items(self, obj):
        # Newest first by date, as feed readers expect: stickiness is for the front page only.
        posts = (
            self.get_posts(obj)
            .select_related("author__author_profile", "featured_image")
            .prefetch_related("categories", "tags")
        )
        return posts.order_by("-published_at", "-pk")[:POSTS_IN_FEED]

    def item_title(self, item):
        # RSS readers treat a title as HTML: escape it once more, as Django does (#6533).
        return escape(item.title)

    def item_description(self, item):
        # The summary is plain text; as HTML it must be escaped.
        return escape(item.summary)

    def item_author_name(self, item):
        return display_name(item.author)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_categories(self, item):
        # WordPress lists both categories and tags as <category>.
        names = [category.name for category in item.categories.all()] + [tag.name for tag in item.tags.all()]
        return list(dict.fromkeys(names))

    def item_comments(self, item):
        return f"{self.item_link(item)}#comments"

    def item_enclosures(self, item):
        image = item.featured_image
        if image is None or not image.filesize:
            return []  # no size known (a file gone missing before the library): no broken enclosure
        return [Enclosure(url=absolute(image.url), length=str(image.filesize), mime_type=image.mime_type)]

    def item_extra_kwargs(self, item):
        return {
            "content": with_absolute_urls(sanitize_post_html(item.body)),
            "comment_rss": absolute(reverse("post_comments_feed", kwargs=item.permalink_kwargs())),
        }


class PostsAtomFeed(PostsFeed):
    """The same posts in Atom (RFC 4287)."""

    feed_type = ContentAtomFeed

    def subtitle(self, obj):
        return settings.SITE_TAGLINE

    def feed_url(self, obj):
        return absolute(reverse("blog:feed_atom"))

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def item_title(self, item):
        # An Atom title without a type is text: no second escaping.
        return item.title


class CategoryPostsFeed(PostsFeed):
    """Published posts of a category and of the categories below it."""

    def get_object(self, request, slug):
        category = get_object_or_404(Category, slug=slug)
        category.descendant_ids = Category.tree().descendant_ids(category.pk)
        # Like its archive page: a category without published posts has no feed.
        if not self.get_posts(category).exists():
            raise Http404("No published posts in this category.")
        return category

    def title(self, obj):
        return _("Category: %(name)s – %(site)s") % {"name": obj.name, "site": settings.SITE_TITLE}

    def description(self, obj):
        return obj.description or settings.SITE_TAGLINE

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute(reverse("blog:category_feed", kwargs={"slug": obj.slug}))

    def get_posts(self, obj):
        return Post.objects.published().filter(categories__in=obj.descendant_ids).distinct()


class TagPostsFeed(PostsFeed):
    """Published posts with a tag."""

    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        if not self.get_posts(tag).exists():
            raise Http404("No published posts with this tag.")
        return tag

    def title(self, obj):
        return _("Tag: %(name)s – %(site)s") % {"name": obj.name, "site": settings.SITE_TITLE}

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute(reverse("blog:tag_feed", kwargs={"slug": obj.slug}))

    def get_posts(self, obj):
        return Post.objects.published().filter(tags=obj)
