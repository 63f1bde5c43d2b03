"""Responsive images on public pages: the <picture> of a library image, and the same for images in a body.

``responsive_body(html)`` finds the <img> of a post or page body whose ``src`` is a
library image's original and gives it its renditions (a WebP <source>, srcset,
sizes, width, height, lazy loading), with one query for the whole body. The
``{% responsive_image %}`` tag (blog/templatetags/blog_images.py) renders the same
template, ``blog/includes/image.html``, for a featured image.
"""

import html as html_lib
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import get_template

# The column is 42rem wide less its padding (static/css/site.css): the width an image is shown at.
DEFAULT_SIZES = "(max-width: 42rem) calc(100vw - 2.5rem), 39.5rem"
IMAGE_TEMPLATE = "blog/includes/image.html"

IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
PICTURE_TAG = re.compile(r"<(/?)picture\b", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([^\s"\'<>/=]+)(?:\s*=\s*"([^"]*)")?')
# What an author set on the <img> that the picture keeps.
KEPT_ATTRIBUTES = ("alt", "title", "class", "id", "width", "height")


def image_context(image, *, sizes=DEFAULT_SIZES, loading="lazy", fetchpriority="", **attributes):
    """The context of ``blog/includes/image.html`` for ``image`` (attributes: alt, title, class, id…)."""
    eager = loading == "eager"
    return {
        "image": image,
        "sizes": sizes,
        "loading": "eager" if eager else "lazy",
        "decoding": "auto" if eager else "async",
        "fetchpriority": fetchpriority if fetchpriority in ("high", "low", "auto") else "",
        "alt": attributes.get("alt", image.alt),
        "width": attributes.get("width") or image.width or "",
        "height": attributes.get("height") or image.height or "",
        "attributes": {key: attributes[key] for key in ("title", "class", "id") if attributes.get(key)},
    }


def media_name(src):
    """The storage name an <img src> points at, when it is under MEDIA_URL (relative or on SITE_URL); else None."""
    base = getattr(default_storage, "base_url", None)
    if not base or not src:
        return None
    parts = urlsplit(html_lib.unescape(src))
    if parts.scheme or parts.netloc:
        site = urlsplit(settings.SITE_URL)
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None
    path = unquote(parts.path)
    return path[len(base) :] if path.startswith(base) and len(path) > len(base) else None


def responsive_body(html):
    """``html`` with each library image given its renditions; one query whatever the number of images."""
    if not html or "<img" not in html.lower():
        return html
    tags = [(match, dict(ATTRIBUTE.findall(match.group(0)[4:].rstrip("/>")))) for match in IMG_TAG.finditer(html)]
    names = {media_name(attributes.get("src")) for _match, attributes in tags} - {None}
    if not names:
        return html
    from blog.models import Image

    images = {image.file.name: image for image in Image.objects.filter(file__in=names)}
    if not images:
        return html
    template = get_template(IMAGE_TEMPLATE)
    pieces, position = [], 0
    for match, attributes in tags:
        image = images.get(media_name(attributes.get("src")))
        if image is None or inside_picture(html, match.start()):
            continue
        kept = {key: html_lib.unescape(attributes[key]) for key in KEPT_ATTRIBUTES if attributes.get(key)}
        if not ("width" in kept and "height" in kept):
            # Half a size would stretch the picture: the stored size, or the author's pair.
            kept.pop("width", None), kept.pop("height", None)
        pieces += [html[position : match.start()], template.render(image_context(image, **kept)).strip()]
        position = match.end()
    return "".join(pieces) + html[position:]


def inside_picture(html, index):
    """Is the tag at ``index`` already inside a <picture> the author wrote?"""
    depth = 0
    for match in PICTURE_TAG.finditer(html, 0, index):
        depth += -1 if match.group(1) else 1
    return depth > 0
