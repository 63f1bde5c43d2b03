"""WordPress's own addresses on the front page: /?p=<id>, /?page_id=<id>, /?cat=<id>, /?tag=<slug>, /?feed= and /?s=.

Links and bookmarks made for the old WordPress site keep working: ids answer a
permanent redirect to the permalink, a search goes to /search/, the one address
of the results.
"""

import re
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse

from blog.models import Category, Page, Post, Tag
from blog.structured_data import absolute

# Digits only (not "²" or "٣", which str.isdigit accepts), and few enough for a 64-bit column.
ID_RE = re.compile(r"[0-9]{1,18}")


def wordpress_id(raw):
    """The id in ``?p=`` / ``?page_id=``; anything but a positive number is a 404."""
    if not ID_RE.fullmatch(raw.strip()) or int(raw) == 0:
        raise Http404("No such id.")
    return int(raw)


def by_old_id_first(queryset, number):
    """The row whose WordPress id is ``number``, else the one whose own id is: after an import, old ids win."""
    rows = list(queryset.filter(Q(wordpress_id=number) | Q(pk=number)))
    return next((row for row in rows if row.wordpress_id == number), None) or next(
        (row for row in rows if row.pk == number), None
    )


def post_for(number):
    """The published post ``/?p=<number>`` means, or 404 (a draft, a scheduled or a private post too).

    WordPress numbers posts and pages in one table, so an old ``?p=`` link may name a
    page: a page imported with that WordPress id is found as well.
    """
    post = by_old_id_first(Post.objects.all(), number)
    if post is not None:
        if not post.is_published:
            raise Http404("No such post.")
        return post
    page = Page.objects.filter(wordpress_id=number).first()
    if page is None or Page.objects.public_at(page.path) is None:
        raise Http404("No such post.")
    return page


def page_for(number):
    """The public page ``/?page_id=<number>`` means, or 404 (a draft, or under a draft parent)."""
    page = by_old_id_first(Page.objects.all(), number)
    if page is None or Page.objects.public_at(page.path) is None:
        raise Http404("No such page.")
    return page


def search_url(request):
    """/search/?q=<words> for /?s=<words>, with WordPress's ``paged`` as our ``page``."""
    query = {"q": request.GET.get("s", "")}
    paged = request.GET.get("paged", "")
    if ID_RE.fullmatch(paged) and int(paged) > 1:
        query["page"] = paged
    return f"{reverse('blog:search')}?{urlencode(query)}"


def redirect(request):
    """The redirect a WordPress address on / asks for, None for the plain front page; 404 for a bad id."""
    if "p" in request.GET:
        return HttpResponsePermanentRedirect(post_for(wordpress_id(request.GET["p"])).get_absolute_url())
    if "page_id" in request.GET:
        return HttpResponsePermanentRedirect(page_for(wordpress_id(request.GET["page_id"])).get_absolute_url())
    if "s" in request.GET:
        return HttpResponsePermanentRedirect(search_url(request))
    if "cat" in request.GET:
        number = wordpress_id(request.GET["cat"])
        category = by_old_id_first(Category.objects.all(), number)
        if category is None:
            raise Http404("No such category.")
        return HttpResponsePermanentRedirect(category.get_absolute_url())
    if "tag" in request.GET:
        tag = Tag.objects.filter(slug=request.GET["tag"].strip()).first()
        if tag is None:
            raise Http404("No such tag.")
        return HttpResponsePermanentRedirect(tag.get_absolute_url())
    if "feed" in request.GET:
        comments = request.GET["feed"].startswith("comments")
        return HttpResponsePermanentRedirect(reverse("comments_feed" if comments else "blog:feed"))
    return None


def with_shortlink_check(queryset):
    """Annotate ``pk_is_taken``: another row's WordPress id is this row's own id (no shortlink then)."""
    return queryset.annotate(
        pk_is_taken=Exists(queryset.model.objects.filter(wordpress_id=OuterRef("pk")).exclude(pk=OuterRef("pk")))
    )


def with_shortlink(response, obj):
    """WordPress's ``Link: <…/?p=<id>>; rel=shortlink`` header, beside the page's <link rel="shortlink">."""
    if obj.shortlink:
        response["Link"] = f'<{absolute(obj.shortlink)}>; rel="shortlink"'
    return response
