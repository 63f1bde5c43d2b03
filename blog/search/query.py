"""The reader's search text read into phrases to find and phrases to leave out."""

import re
import unicodedata
from typing import NamedTuple

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
# Lucene's English stop words, a subset of PostgreSQL's: ignored on every database,
# so SQLite does not demand "the" where PostgreSQL would drop it, and they are never marked.
LUCENE_STOP_WORDS = (
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these "
    "they this to was will with"
)
STOP_WORDS = frozenset(LUCENE_STOP_WORDS.split())


class Phrase(NamedTuple):
    words: tuple
    quoted: bool


# A chunk of the query: an optional "-" (leave out), then a "quoted phrase" or a bare run of characters.
QUERY_CHUNK = re.compile(r'(-)?(?:"([^"]*)"?|([^\s"]+))')
WORD = re.compile(r"[^\W_]+")


def clean_query(raw):
    """The reader's text without control characters (PostgreSQL refuses NUL), folded and cut to length."""
    text = "".join(" " if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") else char for char in raw or "")
    return re.sub(r"\s+", " ", text[:MAX_QUERY_LENGTH]).strip()


def parse_query(query):
    """The phrases to find and the phrases to leave out, as websearch_to_tsquery reads them.

    Every chunk (a word, "a quoted phrase", or -a word to exclude) keeps only its
    letters and digits, so what reaches a full-text engine is never its syntax.
    Stop words are dropped, except inside quotes where they hold the words apart.
    """
    include, exclude = [], []
    for negated, quoted, bare in QUERY_CHUNK.findall(query):
        words = tuple(WORD.findall((quoted or bare).lower()))
        if all(word in STOP_WORDS for word in words):
            continue
        if not quoted:
            words = tuple(word for word in words if word not in STOP_WORDS)
        target = exclude if negated else include
        phrase = Phrase(words, bool(quoted) or len(words) > 1)
        if phrase not in target:
            target.append(phrase)
    return include[:MAX_TERMS], exclude[:MAX_TERMS]
