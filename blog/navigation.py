"""The site's navigation (menu, sidebar widgets, a post's neighbours) as cached HTML fragments.

Every fragment is rendered from a fixed number of queries and cached under a
key that includes a site-wide "generation": any saved or deleted post, page,
category or tag starts a new generation (signals below; the comments app starts
one for its own rows), so readers never see a stale list for longer than it
takes to render a new one. A scheduled post going live changes nothing in the
database, so fragments expire by themselves when the next one is due.
"""

import time

from django.core.cache import cache, caches
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone

from blog.models import Category, Page, Post, Tag
from blog.sanitize import plain_text

GENERATION_KEY = "blog:navigation-generation"
MAX_AGE = 3600
WORDS_PER_MINUTE = 220


def generation():
    """The current content generation, kept where every worker process sees it."""
    return caches["shared"].get_or_set(GENERATION_KEY, time.time_ns, None)


def new_generation():
    caches["shared"].set(GENERATION_KEY, time.time_ns(), None)


def _timeout(current):
    """Seconds until the next scheduled post goes live, at most an hour (one query a generation)."""
    key = f"blog:next-due:{current}"
    due = cache.get(key)
    if due is None or (due and due <= time.time()):
        # Unknown, or the scheduled post has gone live since: look again.
        first = Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now()).aggregate(
            next=Min("published_at")
        )["next"]
        due = first.timestamp() if first else 0
        cache.set(key, due, MAX_AGE)
    if not due:
        return MAX_AGE
    return max(1, min(MAX_AGE, int(due - time.time()) + 1))


def cached_fragment(name, render):
    """The HTML of a fragment from the cache, rendered (and stored) when missing."""
    current = generation()
    key = f"blog:fragment:{current}:{name}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, _timeout(current))
    return html


def published_filter(prefix="posts__"):
    return Q(**{f"{prefix}status": Post.Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now()})


def menu_pages():
    """Published pages marked for the menu, as a tree (children under their parent)."""
    pages = list(Page.objects.published().filter(show_in_menu=True).order_by("menu_order", "title"))
    by_id = {page.pk: page for page in pages}
    roots = []
    for page in pages:
        page.menu_children = []
    for page in pages:
        if page.parent_id in by_id:
            by_id[page.parent_id].menu_children.append(page)
        elif page.parent_id is None:
            roots.append(page)
    return roots


def sidebar_context():
    """Recent posts, categories and months with counts, and the tag cloud (other apps add widgets by tag)."""
    posts = Post.objects.published()
    tags = list(
        Tag.objects.annotate(total=Count("posts", filter=published_filter())).filter(total__gt=0).order_by("name")
    )
    most = max((tag.total for tag in tags), default=1)
    for tag in tags:
        tag.weight = 1 + round(4 * (tag.total - 1) / max(most - 1, 1))
    return {
        "recent_posts": list(posts.order_by("-published_at", "-pk").only("title", "slug", "published_at")[:5]),
        "categories": list(
            Category.objects.annotate(total=Count("posts", filter=published_filter()))
            .filter(total__gt=0)
            .order_by("name")
        ),
        "months": list(
            posts.annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(total=Count("pk"))
            .order_by("-month")
        ),
        "tags": tags,
    }


def menu_html():
    return cached_fragment("menu", lambda: render_to_string("blog/includes/menu.html", {"pages": menu_pages()}))


def sidebar_html():
    return cached_fragment("sidebar", lambda: render_to_string("blog/includes/sidebar.html", sidebar_context()))


def post_neighbours_html(post):
    """Previous/next post links and up to three related posts (sharing tags or categories)."""

    def render():
        posts = Post.objects.published()
        older = posts.filter(published_at__lt=post.published_at).order_by("-published_at", "-pk").first()
        newer = posts.filter(published_at__gt=post.published_at).order_by("published_at", "pk").first()
        tag_ids = [tag.pk for tag in post.tags.all()]
        category_ids = [category.pk for category in post.categories.all()]
        related = list(
            posts.exclude(pk=post.pk)
            .filter(Q(tags__in=tag_ids) | Q(categories__in=category_ids))
            .annotate(shared=Count("pk"))
            .order_by("-shared", "-published_at")[:3]
        )
        return render_to_string(
            "blog/includes/post_neighbours.html", {"older": older, "newer": newer, "related": related}
        )

    return cached_fragment(f"post-{post.pk}-{post.updated_at.timestamp()}", render)


def reading_minutes(html):
    words = len(plain_text(html).split())
    return max(1, round(words / WORDS_PER_MINUTE))


@receiver([post_save, post_delete])
def _content_changed(sender, **kwargs):
    # Other apps whose rows the fragments show start a new generation themselves (comments does).
    if sender in (Post, Page, Category, Tag):
        new_generation()


@receiver(m2m_changed, sender=Post.categories.through)
@receiver(m2m_changed, sender=Post.tags.through)
def _taxonomy_changed(sender, **kwargs):
    new_generation()
