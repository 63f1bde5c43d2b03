"""WordPress content into the HTML this site stores (then cleaned by ``blog.sanitize``).

- Gutenberg's block comments (``<!-- wp:paragraph -->``) go, the HTML between them stays;
  other HTML comments (``<!--more-->``) go too.
- Content written before the block editor gets WordPress's ``wpautop``: a blank line
  makes a paragraph, a single newline a ``<br>``; never inside ``<pre>`` or around blocks.
- ``[caption]`` becomes a ``<figure>`` with its ``<figcaption>``; ``[embed]URL[/embed]`` and
  a URL alone on its line become a plain link (no third-party player is loaded: privacy);
  ``[gallery]`` is dropped (its images are the post's attachments); unknown shortcodes stay as text.
"""

import re

from django.utils.html import escape

HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
BLOCK_MARK = "<!-- wp:"
BLOCK_TAGS = (
    "address|article|aside|blockquote|dd|details|div|dl|dt|figcaption|figure|footer|form|h[1-6]|header|hr|"
    "li|main|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul|audio|video|iframe|caption"
)
OPENS_OR_CLOSES_BLOCK = re.compile(rf"^\s*</?(?:{BLOCK_TAGS})\b", re.IGNORECASE)
ENDS_WITH_BLOCK = re.compile(rf"</?(?:{BLOCK_TAGS})\b[^>]*>\s*$", re.IGNORECASE)
PRE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
CAPTION = re.compile(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
EMBED = re.compile(r"\[embed\b[^\]]*\]\s*(https?://[^\s\[<]+)\s*\[/embed\]", re.IGNORECASE)
LONE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
GALLERY = re.compile(r"\[gallery\b[^\]]*\]", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
IMAGE_PART = re.compile(r"^(\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.IGNORECASE | re.DOTALL)


def convert_post_content(raw):
    """The HTML of a post or page body from its ``<content:encoded>``."""
    html = raw or ""
    uses_blocks = BLOCK_MARK in html
    html = HTML_COMMENT.sub("", html)
    html = CAPTION.sub(_caption, html)
    html = EMBED.sub(lambda match: _link(match.group(1)), html)
    html = GALLERY.sub("", html)
    if not uses_blocks:
        html = LONE_URL.sub(lambda match: _link(match.group(1)), html)
        html = wpautop(html)
    return html.strip()


def convert_comment_content(raw):
    """A comment's HTML: WordPress shows comments through wpautop too; shortcodes are not run."""
    return wpautop(HTML_COMMENT.sub("", raw or "")).strip()


def wpautop(text):
    """Paragraphs from blank lines and ``<br>`` from single newlines, as WordPress's ``wpautop``."""
    kept = {}

    def keep(match):
        key = f"\x00pre{len(kept)}\x00"
        kept[key] = match.group(0)
        return f"\n\n{key}\n\n"

    text = PRE.sub(keep, text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk in kept or OPENS_OR_CLOSES_BLOCK.match(chunk) or ENDS_WITH_BLOCK.search(chunk):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    html = "\n".join(paragraphs)
    for key, block in kept.items():
        html = html.replace(key, block)
    return html


def _attributes(text):
    return {name.lower(): next(v for v in values if v is not None) for name, *values in ATTRIBUTE.findall(text)}


def _caption(match):
    attributes = _attributes(match.group(1))
    inner = match.group(2).strip()
    found = IMAGE_PART.match(inner)
    image, words = (found.group(1), found.group(2).strip()) if found else (inner, "")
    words = words or escape(attributes.get("caption", ""))
    align = attributes.get("align", "")
    classes = " ".join(filter(None, ["wp-caption", re.sub(r"[^\w-]", "", align)]))
    caption = f"<figcaption>{words}</figcaption>" if words else ""
    return f'<figure class="{classes}">{image}{caption}</figure>'


def _link(url):
    return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'
