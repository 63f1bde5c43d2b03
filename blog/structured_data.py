"""What a post tells crawlers and link previews: Open Graph, Twitter Card and JSON-LD."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from blog.models import display_name
from blog.renditions import SOCIAL_SIZE

DEFAULT_IMAGE = {"path": "img/og-default.png", "width": 1200, "height": 630}


def absolute(url):
    """An absolute URL on the canonical origin (SITE_URL, read now), for links that leave the page.

    The one builder of such URLs: feeds, sitemaps, robots.txt, share links and emails use it.
    """
    if url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL.rstrip('/')}{url if url.startswith('/') else '/' + url}"


def post_image(post):
    """The image a preview shows: the featured image, else the site's default card (with its size)."""
    image = post.featured_image
    if image is not None and image.social_card:
        return {
            "url": absolute(image.social_card_url),
            "width": SOCIAL_SIZE[0],
            "height": SOCIAL_SIZE[1],
            "alt": image.alt or post.title,
            "featured": True,
        }
    if image is not None and image.width and image.height:
        return {
            "url": absolute(image.url),
            "width": image.width,
            "height": image.height,
            "alt": image.alt or post.title,
            "featured": True,
        }
    return {
        "url": absolute(static(DEFAULT_IMAGE["path"])),
        "width": DEFAULT_IMAGE["width"],
        "height": DEFAULT_IMAGE["height"],
        "alt": settings.SITE_TITLE,
        "featured": False,
    }


def meta_description(post):
    """The summary, short enough for a search result or a link preview."""
    return Truncator(post.summary).chars(300)


def post_json_ld(post, *, extra=None):
    """schema.org BlogPosting for a post; ``extra`` adds properties other apps know (its comments)."""
    url = absolute(post.get_absolute_url())
    image = post_image(post)
    author = {
        "@type": "Person",
        "name": display_name(post.author),
        "url": absolute(reverse("blog:author", kwargs={"username": post.author.get_username()})),
    }
    return {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "@id": f"{url}#post-{post.pk}",
        "headline": post.title,
        "description": meta_description(post),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": timezone.localtime(post.published_at).isoformat(timespec="seconds"),
        "dateModified": timezone.localtime(post.modified_at).isoformat(timespec="seconds"),
        "author": author,
        "publisher": {"@type": "Organization", "name": settings.SITE_TITLE, "url": absolute("/")},
        "image": {"@type": "ImageObject", "url": image["url"], "width": image["width"], "height": image["height"]},
        "articleSection": [category.name for category in post.categories.all()],
        "keywords": [tag.name for tag in post.tags.all()],
        # What other parts of the page add about the post (the comments app: commentCount, comment).
        **(extra or {}),
    }
