"""What a reader typed, made into safe stored HTML (WordPress's rules for a logged-out commenter).

nh3 is the sanitiser: it runs first, to reduce the text to the allowed tags, and last,
after paragraphs and links were added, so whatever is stored is nh3-clean.
"""

import html as html_lib
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.utils.html import escape

from blog.sanitize import URL_SCHEMES

# kses $allowedtags (without the obsolete acronym).
COMMENT_TAGS = {"a", "abbr", "b", "blockquote", "cite", "code", "del", "em", "i", "q", "s", "strike", "strong"}
COMMENT_ATTRIBUTES = {
    "*": set(),  # else nh3 allows lang and title everywhere
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"datetime"},
}
# A reader's own <p> and <br> are removed; these come only from blank lines and newlines.
OUTPUT_TAGS = COMMENT_TAGS | {"p", "br"}
LINK_REL = "nofollow ugc"

CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# nh3 escapes < and > in text and in attribute values, so this splits its output exactly.
TAG_RE = re.compile(r"(<[^<>]*>)")
TAG_NAME_RE = re.compile(r"</?([a-z]+)")
BLOCKQUOTE_RE = re.compile(r"</?blockquote\b[^<>]*>")
# WordPress's make_clickable: trailing punctuation is not part of the URL (a closing parenthesis
# is when it closes one opened inside the URL); &lt; and &gt; end it.
URL_CHAR = r"(?:\([\w#%~/@\[\]*+=&$.,;:!?'-]*\)|(?!&[lg]t;)[\w#%~/@\[\]*(+=&$-])"
URL_RE = re.compile(rf"(?<![\w/.@-])(?:https?://|www\.){URL_CHAR}+(?:[',.;:!?)]{URL_CHAR}+)*", re.IGNORECASE)
NO_LINKIFY = {"a", "code"}
# Placeholders for paragraph and line breaks: control characters never survive the first step.
PARA, BR = "\x00", "\x01"


def sanitize_comment_html(text):
    """Return the reader's text as safe HTML: allowed tags only, paragraphs, nofollow ugc links."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    # Again after nh3, which turns &#1; into a raw control character.
    text = CONTROL_RE.sub("", _clean(CONTROL_RE.sub("", text), COMMENT_TAGS))
    return _clean(_autop(text), OUTPUT_TAGS)


def clean_stored_comment_html(html):
    """Clean stored comment HTML again before display (no new paragraphs or links are added)."""
    return _clean(html or "", OUTPUT_TAGS)


def sanitize_plain(text):
    """Return a one-line field (name, email, URL) with control characters removed and spaces folded."""
    return CONTROL_RE.sub("", " ".join((text or "").split()))


def link_urls(html):
    """The href of every link in an HTML fragment, in order (entities decoded)."""
    collector = _LinkCollector()
    collector.feed(html or "")
    collector.close()
    return collector.urls


def count_links(html):
    """Number of links (``<a>`` with an href) in sanitised HTML, bare URLs included once auto-linked."""
    return len(link_urls(html))


def _clean(html, tags):
    return nh3.clean(
        html,
        tags=tags,
        attributes=COMMENT_ATTRIBUTES,
        attribute_filter=_drop_unsafe_url,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _drop_unsafe_url(element, attribute, value):
    # nh3 checks the scheme of href but not of cite.
    if attribute not in {"href", "cite"}:
        return value
    try:
        scheme = urlsplit(re.sub(r"[\x00-\x20]", "", value)).scheme
    except ValueError:
        return None
    return value if not scheme or scheme.lower() in URL_SCHEMES else None


def _autop(html):
    """Link bare URLs, then make paragraphs of blank lines and <br> of newlines, in text only."""
    parts, no_link_depth = [], 0
    for token in TAG_RE.split(html):
        if token.startswith("<"):
            if TAG_NAME_RE.match(token)[1] in NO_LINKIFY:
                no_link_depth += -1 if token.startswith("</") else 1
            parts.append(PARA + token + PARA if BLOCKQUOTE_RE.fullmatch(token) else token)
        else:
            if not no_link_depth:
                token = URL_RE.sub(_link, token)
            parts.append(re.sub(r"\n\s*\n", PARA, token).replace("\n", BR))
    blocks = []
    for block in "".join(parts).split(PARA):
        block = block.strip(" \t\n" + BR)
        if BLOCKQUOTE_RE.fullmatch(block):
            blocks.append(block)
        elif block:
            blocks.append(f"<p>{block}</p>")
    # No text between blocks: even a newline would reopen an inline tag left open across them.
    return "".join(blocks).replace(BR, "<br>\n")


def _link(match):
    text = match[0]
    url = html_lib.unescape(text)
    if not url.lower().startswith(("http://", "https://")):
        url = f"http://{url}"
    return f'<a href="{escape(url)}">{text}</a>'


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href is not None:
            self.urls.append(href)
