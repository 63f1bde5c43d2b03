"""Full-text search over published posts: the one function views call, and the index behind it.

Each post has a ``PostSearchDocument``: its title, excerpt, category and tag names
and body as plain text, rewritten by the signal receivers below inside the same
transaction as the save that changed them. The database searches it with its own
full-text engine:

- PostgreSQL: ``websearch_to_tsquery`` against a weighted tsvector (title A;
  excerpt and taxonomy B; body C) that the database stores as a generated column
  of the document table, with a GIN index; ranked with ``ts_rank``.
- SQLite: an FTS5 table over the document table, kept in step by triggers, queried
  with ``MATCH`` and ranked with ``bm25()`` (title weighted highest).

Both indexes are created by migration 0006, which also fills them. Every search
starts from ``Post.objects.published()``: drafts and scheduled posts are indexed
(a scheduled post goes live without a save) but never returned.
"""

import re
import unicodedata
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, router
from django.db.models import ExpressionWrapper, F, FloatField, Func, Lookup, QuerySet, Value
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from blog.models import Post
from blog.search.indexing import index_posts, rebuild_index  # noqa: F401
from blog.search.models import PostSearchDocument, PostSearchIndex  # noqa: F401

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
# PostgreSQL text search configuration: the one migration 0006's generated column is built with.
SEARCH_CONFIG = "english"
# bm25() weights per FTS5 column: title, excerpt, taxonomy, body.
FTS_WEIGHTS = (10.0, 4.0, 4.0, 1.0)
# Lucene's English stop words, a subset of PostgreSQL's: ignored on every database,
# so SQLite does not demand "the" where PostgreSQL would drop it, and they are never marked.
LUCENE_STOP_WORDS = (
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these "
    "they this to was will with"
)
STOP_WORDS = frozenset(LUCENE_STOP_WORDS.split())
EXCERPT_CHARS = 260


class FTS5Match(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", (*lhs_params, *rhs_params)


# On this one field only, so no other TextField grows a "match" lookup.
PostSearchIndex._meta.get_field("document").register_lookup(FTS5Match)


class Search(NamedTuple):
    posts: QuerySet
    query: str  # the reader's text as searched: control characters removed, cut at MAX_QUERY_LENGTH
    terms: list  # the words to highlight


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


def search_posts(query):
    """Published posts matching the reader's words, best first; never raises on odd input.

    Returns a Search: the (lazy) queryset, the cleaned query and the words to
    highlight. A query with no word to find gives an empty queryset.
    """
    query = clean_query(query)
    include, exclude = parse_query(query)
    posts = Post.objects.published()
    if not include:
        return Search(posts.none(), query, [])
    terms = list(dict.fromkeys(word for phrase in include for word in phrase.words if word not in STOP_WORDS))
    # The two databases the project runs on; migration 0006 builds a full-text index for each.
    backends = {"postgresql": _search_postgresql, "sqlite": _search_sqlite}
    posts = backends[connections[router.db_for_read(Post)].vendor](posts, include, exclude)
    return Search(posts.select_related("search_document").defer("body"), query, terms)


def _search_postgresql(posts, include, exclude):
    # websearch_to_tsquery would take the raw text without error; giving it the parsed
    # phrases instead makes both databases read a query the same way ("or" is a stop word).
    text = " ".join([f'"{" ".join(phrase.words)}"' for phrase in include])
    text += "".join(f' -"{" ".join(phrase.words)}"' for phrase in exclude)
    search_query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    vector = ExpressionWrapper(F("search_vector__vector"), output_field=SearchVectorField())
    return (
        posts.alias(search=vector)
        .filter(search=search_query)
        .annotate(rank=SearchRank(vector, search_query))
        .order_by("-rank", "-published_at", "-pk")
    )


def fts5_query(include, exclude):
    """An FTS5 MATCH expression: every phrase a quoted string of plain words, the excluded ones after NOT.

    A single bare word of three letters or more also matches as a prefix ("calm" finds "calmer").
    """

    def string(phrase):
        text = '"' + " ".join(phrase.words) + '"'
        return text + "*" if not phrase.quoted and len(phrase.words[0]) >= 3 else text

    wanted = " ".join(string(phrase) for phrase in include)
    return f"({wanted})" + "".join(f" NOT {string(phrase)}" for phrase in exclude)


def _search_sqlite(posts, include, exclude):
    rank = Func(
        F("search_index__document"),
        *(Value(weight) for weight in FTS_WEIGHTS),
        function="bm25",
        output_field=FloatField(),
    )
    return (
        posts.filter(search_index__document__match=fts5_query(include, exclude))
        .annotate(rank=rank)
        .order_by("rank", "-published_at", "-pk")  # bm25: lower is better
    )


# Highlighting


class SearchResult(NamedTuple):
    post: Post
    title: str  # safe HTML
    excerpt: str  # safe HTML


def highlight_results(posts, terms):
    """Each post with its title and an excerpt of its text around the first match, words in <mark>."""
    results = []
    for post in posts:
        document = getattr(post, "search_document", None)
        text = (document.body if document else "") or post.excerpt
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
