"""The search document of each post, and maps of the two full-text indexes over it (migration 0006 fills them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

FTS_TABLE = "blog_postsearchindex"


def index_post_key(related_name):
    """The post column of a map over an index: the documents' post id, no constraint of its own."""
    return models.OneToOneField(
        "blog.Post",
        primary_key=True,
        db_column="post_id",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name=related_name,
    )


class PostSearchDocument(models.Model):
    """The searchable text of one post (any status), rewritten whenever the post or its taxonomy changes."""

    # "blog.Post" by name, not imported: blog.models imports this module, to register these models.
    post = models.OneToOneField(
        "blog.Post", verbose_name=_("post"), primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    title = models.TextField(_("title"))
    excerpt = models.TextField(_("excerpt"), blank=True)
    taxonomy = models.TextField(_("categories and tags"), blank=True)
    body = models.TextField(_("body text"), blank=True)

    TEXT_FIELDS = ("title", "excerpt", "taxonomy", "body")

    class Meta:
        app_label = "blog"
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return self.title


class PostSearchVector(models.Model):
    """PostgreSQL only: the documents' stored tsvector column (generated, GIN-indexed; migration 0006)."""

    post = index_post_key("search_vector")
    # A tsvector: a plain field here, so no contrib.postgres app is needed.
    vector = models.TextField(db_column="search_vector")

    class Meta:
        app_label = "blog"
        managed = False
        db_table = "blog_postsearchdocument"

    def __str__(self):
        return str(self.pk)


class PostSearchIndex(models.Model):
    """SQLite only: the FTS5 table over the documents (rowid = post id; migration 0006)."""

    # Joined on FTS5's UNINDEXED copy of the post id, not its rowid: with no rowid
    # constraint to use, SQLite's planner always starts from the MATCH (one full-text
    # lookup) instead of running the MATCH again for every published post.
    post = index_post_key("search_index")
    # FTS5's hidden column named after its table: the left side of MATCH and the argument of bm25().
    document = models.TextField(db_column=FTS_TABLE)

    class Meta:
        app_label = "blog"
        managed = False
        db_table = FTS_TABLE

    def __str__(self):
        return str(self.pk)
