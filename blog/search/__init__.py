"""Full-text search over published posts: search_posts(), the one function views call, and its companions."""

from typing import NamedTuple

from django.db import connections, router
from django.db.models import QuerySet

from blog.models import Post
from blog.search import postgresql, sqlite
from blog.search.highlighting import SearchResult, highlight_results
from blog.search.indexing import index_posts, rebuild_index
from blog.search.query import STOP_WORDS, clean_query, parse_query

__all__ = ["Search", "SearchResult", "highlight_results", "index_posts", "rebuild_index", "search_posts"]

# The two databases the project runs on; migration 0006 builds a full-text index for each.
BACKENDS = {"postgresql": postgresql.matching, "sqlite": sqlite.matching}


class Search(NamedTuple):
    posts: QuerySet
    query: str  # the reader's text as searched: control characters removed, cut at MAX_QUERY_LENGTH
    terms: list  # the words to highlight


def search_posts(query):
    """Published posts matching the reader's words, best first; never raises on odd input.

    Returns a Search: the (lazy) queryset, the cleaned query and the words to
    highlight. A query with no word to find gives an empty queryset.
    """
    query = clean_query(query)
    include, exclude = parse_query(query)
    # Drafts and scheduled posts are in the index too: only published ones are returned.
    posts = Post.objects.published()
    if not include:
        return Search(posts.none(), query, [])
    terms = list(dict.fromkeys(word for phrase in include for word in phrase.words if word not in STOP_WORDS))
    posts = BACKENDS[connections[router.db_for_read(Post)].vendor](posts, include, exclude)
    return Search(posts.select_related("search_document", "featured_image").defer("body"), query, terms)
