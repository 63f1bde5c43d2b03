"""Search results for the page: titles and excerpts escaped, with the reader's words in <mark>."""

import re
from typing import NamedTuple

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from blog.models import Post

EXCERPT_CHARS = 260


class SearchResult(NamedTuple):
    post: Post
    title: str  # safe HTML
    excerpt: str  # safe HTML


def highlight_results(posts, terms):
    """Each post with its title and an excerpt of its text around the first match, words in <mark>."""
    results = []
    for post in posts:
        document = getattr(post, "search_document", None)
        text = (document.body if document else "") or post.summary
        results.append(SearchResult(post, mark_terms(post.title, terms), highlight(text, terms)))
    return results


def _terms_pattern(terms):
    # A word that starts with a term, or with the term less a common ending
    # ("loves" marks "love" and "lovely"), near enough to both databases' stemming.
    stems = set()
    for term in terms:
        stems.add(term)
        for ending in ("ing", "ed", "es", "s"):
            if term.endswith(ending) and len(term) - len(ending) >= 3:
                stems.add(term[: -len(ending)])
                break
    if not stems:
        return None
    alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def mark_terms(text, terms):
    """The text escaped, with every word matching a term wrapped in <mark>."""
    pattern = _terms_pattern(terms)
    if pattern is None:
        return escape(text)
    # Split the raw text at the matches, escape every piece, and only then add the <mark> tags:
    # no text from the post is ever trusted as HTML.
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group()))
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 (every piece escaped above)


def highlight(text, terms, length=EXCERPT_CHARS):
    """About ``length`` characters of plain text around the first match (or its start), escaped and marked."""
    pattern = _terms_pattern(terms)
    found = pattern.search(text) if pattern else None
    start = 0
    if found and found.start() > length // 3:
        # Begin a word or so before the match, at a word boundary.
        start = text.rfind(" ", 0, found.start() - length // 4) + 1
    end = start + length
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    fragment = text[start:end].strip()
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return format_html("{}{}{}", prefix, mark_terms(fragment, terms), suffix)
