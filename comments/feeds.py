"""RSS 2.0 and Atom feeds of approved comments: the site's latest and each post's (Django's syndication framework).

Built on blog.feeds: the same absolute links on SITE_URL and a fixed number of
queries per feed.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from blog.feeds import ContentRssFeed, PermalinkItems
from blog.models import Post
from blog.structured_data import absolute
from blog.views import published_post_at
from comments.models import Comment
from comments.sanitize import clean_stored_comment_html

COMMENTS_IN_FEED = 20


class CommentsFeed(PermalinkItems, Feed):
    """The latest approved comments on published posts, site-wide (RSS 2.0).

    Commenters' email addresses are never given to the feed: the author is
    their name only (dc:creator).
    """

    feed_type = ContentRssFeed

    def title(self, obj):
        return _("Comments for %(site)s") % {"site": settings.SITE_TITLE}

    def description(self, obj):
        return settings.SITE_TAGLINE

    def link(self, obj):
        return absolute(reverse("blog:post_list"))

    def feed_url(self, obj):
        return absolute(reverse("comments_feed"))

    def get_comments(self, obj):
        return Comment.objects.approved().filter(post__in=Post.objects.published())

    def items(self, obj):
        comments = self.get_comments(obj).select_related("post")
        return comments.order_by("-created_at", "-pk")[:COMMENTS_IN_FEED]

    def item_title(self, item):
        # RSS readers treat a title as HTML: escaped once more, as Django does (#6533).
        return escape(self.item_text_title(item))

    def item_text_title(self, item):
        return _("Comment on %(title)s by %(name)s") % {"title": item.post.title, "name": item.author_name}

    def item_description(self, item):
        return clean_stored_comment_html(item.body)

    def item_author_name(self, item):
        return item.author_name

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at


class PostCommentsFeed(CommentsFeed):
    """Approved comments of one published post; a draft, private or future post has none (404)."""

    def get_object(self, request, year, month, day, slug):
        return published_post_at(year, month, day, slug)

    def title(self, obj):
        return _("Comments on: %(title)s") % {"title": obj.title}

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute(reverse("post_comments_feed", kwargs=obj.permalink_kwargs()))

    def get_comments(self, obj):
        return Comment.objects.approved().filter(post=obj)

    def items(self, obj):
        # The post is already loaded: attach it instead of joining it again.
        comments = list(self.get_comments(obj).order_by("-created_at", "-pk")[:COMMENTS_IN_FEED])
        for comment in comments:
            comment.post = obj
        return comments

    def item_text_title(self, item):
        return _("By: %(name)s") % {"name": item.author_name}


class AtomMixin:
    """The same comments in Atom (RFC 4287): WordPress's ``feed/atom/`` beside each RSS comment feed."""

    feed_type = Atom1Feed
    atom_url_name = None

    def subtitle(self, obj):
        return settings.SITE_TAGLINE

    def feed_url(self, obj):
        kwargs = obj.permalink_kwargs() if obj is not None else {}
        return absolute(reverse(self.atom_url_name, kwargs=kwargs))

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def item_title(self, item):
        # An Atom title without a type is text: no second escaping.
        return self.item_text_title(item)


class CommentsAtomFeed(AtomMixin, CommentsFeed):
    atom_url_name = "comments_feed_atom"


class PostCommentsAtomFeed(AtomMixin, PostCommentsFeed):
    atom_url_name = "post_comments_feed_atom"
