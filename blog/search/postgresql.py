"""PostgreSQL's full-text search: websearch_to_tsquery against the stored weighted tsvector, ranked by ts_rank."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db.models import ExpressionWrapper, F

# PostgreSQL text search configuration: the one migration 0006's generated column is built with.
SEARCH_CONFIG = "english"


def matching(posts, include, exclude):
    """These posts that have every phrase of ``include`` and none of ``exclude``, best first.

    The vector is a generated column of the document table (title A; excerpt and
    taxonomy B; body C) with a GIN index.
    """
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
