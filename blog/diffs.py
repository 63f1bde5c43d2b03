"""Readable differences between two versions of a text: paragraphs first, then words inside the changed ones.

A difference is a list of ``(kind, text)`` segments, kind ``equal``, ``insert`` or
``delete``: templates show them with ``<ins>`` / ``<del>`` and ordinary escaping,
so no HTML is built here.
"""

import difflib
import html
import re

import nh3

from blog.sanitize import BLOCK_START

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
TOKENS = re.compile(r"\s+|[^\s]+")


def text_lines(body):
    """The text of an HTML body, one line per block (paragraph, heading, list item…), tags and entities gone."""
    text = html.unescape(nh3.clean(BLOCK_START.sub("\n<", body or ""), tags=set()))
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]


def _append(segments, kind, text):
    if not text:
        return
    if segments and segments[-1][0] == kind:
        segments[-1] = (kind, segments[-1][1] + text)
    else:
        segments.append((kind, text))


def diff_words(old, new):
    """Segments turning ``old`` into ``new`` word by word (whitespace kept as written)."""
    before, after = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    segments = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == EQUAL:
            _append(segments, EQUAL, "".join(before[i1:i2]))
            continue
        _append(segments, DELETE, "".join(before[i1:i2]))
        _append(segments, INSERT, "".join(after[j1:j2]))
    return segments


def diff_lines(old_lines, new_lines):
    """Segments turning one list of lines into another: whole paragraphs, words only where a paragraph changed.

    Matching paragraphs first keeps a long body quick to compare: words are
    compared only inside the runs of paragraphs that differ.
    """
    segments = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for index, (op, i1, i2, j1, j2) in enumerate(matcher.get_opcodes()):
        if index:
            _append(segments, EQUAL, "\n")
        old, new = "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])
        if op == EQUAL:
            _append(segments, EQUAL, old)
        elif op == "replace":
            for kind, text in diff_words(old, new):
                _append(segments, kind, text)
        else:
            _append(segments, DELETE, old)
            _append(segments, INSERT, new)
    return segments


def word_counts(segments):
    """How many words the segments add and remove: ``(added, removed)``."""
    added = sum(len(text.split()) for kind, text in segments if kind == INSERT)
    removed = sum(len(text.split()) for kind, text in segments if kind == DELETE)
    return added, removed


def compare(old, new):
    """The differences of title, excerpt and body between two versions (anything with those attributes).

    ``old`` may be None (the first version: everything is new). Returns a dict of
    field name to segments; a page's excerpt (it has none) is left out.
    """
    result = {
        "title": diff_words(old.title if old else "", new.title),
        "excerpt": diff_words(getattr(old, "excerpt", ""), getattr(new, "excerpt", "")),
        "body": diff_lines(text_lines(old.body) if old else [], text_lines(new.body)),
    }
    if not result["excerpt"]:
        del result["excerpt"]
    return result
