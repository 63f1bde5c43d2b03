"""SQLite's full-text search: an FTS5 MATCH of quoted words, ranked by bm25() with the title weighted highest."""

from django.db.models import F, FloatField, Func, Lookup, Value

from blog.search.models import PostSearchIndex

# bm25() weights per FTS5 column: title, excerpt, taxonomy, body.
FTS_WEIGHTS = (10.0, 4.0, 4.0, 1.0)


class FTS5Match(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", (*lhs_params, *rhs_params)


# On this one field only, so no other TextField grows a "match" lookup.
PostSearchIndex._meta.get_field("document").register_lookup(FTS5Match)


def fts5_query(include, exclude):
    """An FTS5 MATCH expression: every phrase a quoted string of plain words, the excluded ones after NOT.

    A single bare word of three letters or more also matches as a prefix ("calm" finds "calmer").
    """

    def string(phrase):
        text = '"' + " ".join(phrase.words) + '"'
        return text + "*" if not phrase.quoted and len(phrase.words[0]) >= 3 else text

    wanted = " ".join(string(phrase) for phrase in include)
    return f"({wanted})" + "".join(f" NOT {string(phrase)}" for phrase in exclude)


def matching(posts, include, exclude):
    """These posts that have every phrase of ``include`` and none of ``exclude``, best first.

    The FTS5 table indexes the document table, kept in step by triggers.
    """
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
