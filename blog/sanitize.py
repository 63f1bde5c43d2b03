"""The one place where HTML from authors and readers is cleaned (nh3).

Everything stored or shown as HTML goes through one of these functions; a
template trusts HTML only through the ``sanitized`` filter, which calls them
again, so a row written by an import or raw SQL is still made safe.
"""

import html as html_lib
import re

import nh3
from django.utils.text import Truncator

URL_SCHEMES = {"http", "https", "mailto"}

# Authors write full articles: headings, lists, figures, tables, images.
POST_TAGS = nh3.ALLOWED_TAGS | {"figure", "figcaption", "picture", "source", "mark", "time"}
POST_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "fetchpriority", "srcset", "sizes", "title"},
    "source": {"srcset", "type", "media", "sizes"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed", "type"},
}


def sanitize_post_html(html):
    """Return the author's HTML with scripts, handlers and unsafe URLs removed."""
    return nh3.clean(
        html or "",
        tags=POST_TAGS,
        attributes=POST_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Where one block of text ends and the next begins: list items, paragraphs, headings, cells…
BLOCK_START = re.compile(
    r"<(?=/?(?:address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|nav|ol"
    r"|p|pre|section|table|td|th|tr|ul)\b)",
    re.IGNORECASE,
)


def plain_text(html):
    """Text of an HTML fragment with whitespace folded, for excerpts and meta tags; blocks stay words apart."""
    # A space before each block's tag keeps "<li>Breathe</li><li>Wait</li>" two words. nh3
    # then drops every tag (and the content of script/style); unescape the entities it leaves.
    text = html_lib.unescape(nh3.clean(BLOCK_START.sub(" <", html or ""), tags=set()))
    return re.sub(r"\s+", " ", text).strip()


def excerpt_from_html(html, words=55):
    """The first ``words`` words of the text, ending in an ellipsis when cut (WordPress: 55)."""
    return Truncator(plain_text(html)).words(words, truncate="…")
