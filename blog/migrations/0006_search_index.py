"""Search: a plain-text document per post, and the database's own full-text index over it.

PostgreSQL gets a weighted tsvector as a stored generated column with a GIN
index; SQLite gets an FTS5 table with the documents as external content, kept in
step by triggers. Two unmanaged models map them (blog.search). Existing posts
are indexed at the end.
"""

import django.db.models.deletion
from django.db import migrations, models

from blog.sanitize import plain_text

# A stored generated column: PostgreSQL recomputes it in the same statement as every
# write of the text, and ranking reads it instead of parsing the text again.
POSTGRESQL_STATEMENTS = [
    """
    ALTER TABLE blog_postsearchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, excerpt), 'B')
        || setweight(to_tsvector('english'::regconfig, taxonomy), 'B')
        || setweight(to_tsvector('english'::regconfig, body), 'C')
    ) STORED
    """,
    "CREATE INDEX blog_postsearchdocument_fts_idx ON blog_postsearchdocument USING gin (search_vector)",
]

# External content: the FTS5 table keeps only the index and reads text from the documents.
# post_id is also an UNINDEXED column, for joining (see blog.search.PostSearchIndex).
SQLITE_STATEMENTS = [
    """
    CREATE VIRTUAL TABLE blog_postsearchindex USING fts5(
        title, excerpt, taxonomy, body, post_id UNINDEXED,
        content='blog_postsearchdocument', content_rowid='post_id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER blog_postsearchindex_ai AFTER INSERT ON blog_postsearchdocument BEGIN
        INSERT INTO blog_postsearchindex(rowid, title, excerpt, taxonomy, body, post_id)
        VALUES (new.post_id, new.title, new.excerpt, new.taxonomy, new.body, new.post_id);
    END
    """,
    """
    CREATE TRIGGER blog_postsearchindex_ad AFTER DELETE ON blog_postsearchdocument BEGIN
        INSERT INTO blog_postsearchindex(blog_postsearchindex, rowid, title, excerpt, taxonomy, body, post_id)
        VALUES ('delete', old.post_id, old.title, old.excerpt, old.taxonomy, old.body, old.post_id);
    END
    """,
    """
    CREATE TRIGGER blog_postsearchindex_au AFTER UPDATE ON blog_postsearchdocument BEGIN
        INSERT INTO blog_postsearchindex(blog_postsearchindex, rowid, title, excerpt, taxonomy, body, post_id)
        VALUES ('delete', old.post_id, old.title, old.excerpt, old.taxonomy, old.body, old.post_id);
        INSERT INTO blog_postsearchindex(rowid, title, excerpt, taxonomy, body, post_id)
        VALUES (new.post_id, new.title, new.excerpt, new.taxonomy, new.body, new.post_id);
    END
    """,
]


def create_full_text_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_STATEMENTS:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in SQLITE_STATEMENTS:
            schema_editor.execute(statement)


def drop_full_text_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE blog_postsearchdocument DROP COLUMN IF EXISTS search_vector")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS blog_postsearchindex_ai")
        schema_editor.execute("DROP TRIGGER IF EXISTS blog_postsearchindex_ad")
        schema_editor.execute("DROP TRIGGER IF EXISTS blog_postsearchindex_au")
        schema_editor.execute("DROP TABLE IF EXISTS blog_postsearchindex")


def index_existing_posts(apps, schema_editor):
    Post = apps.get_model("blog", "Post")
    PostSearchDocument = apps.get_model("blog", "PostSearchDocument")
    db = schema_editor.connection.alias
    posts = Post.objects.using(db).order_by("pk").prefetch_related("categories", "tags")
    documents = []
    for post in posts.iterator(chunk_size=500):
        names = [category.name for category in post.categories.all()] + [tag.name for tag in post.tags.all()]
        documents.append(
            PostSearchDocument(
                post_id=post.pk,
                title=post.title,
                excerpt=post.excerpt,
                taxonomy=" · ".join(names),
                body=plain_text(post.body),
            )
        )
        if len(documents) == 500:
            PostSearchDocument.objects.using(db).bulk_create(documents)
            documents = []
    PostSearchDocument.objects.using(db).bulk_create(documents)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0005_pages_and_author_profiles"),
    ]

    operations = [
        migrations.CreateModel(
            name="PostSearchDocument",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="blog.post",
                        verbose_name="post",
                    ),
                ),
                ("title", models.TextField(verbose_name="title")),
                ("excerpt", models.TextField(blank=True, verbose_name="excerpt")),
                ("taxonomy", models.TextField(blank=True, verbose_name="categories and tags")),
                ("body", models.TextField(blank=True, verbose_name="body text")),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
            },
        ),
        migrations.CreateModel(
            name="PostSearchIndex",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        db_column="post_id",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_index",
                        serialize=False,
                        to="blog.post",
                    ),
                ),
                ("document", models.TextField(db_column="blog_postsearchindex")),
            ],
            options={
                "db_table": "blog_postsearchindex",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="PostSearchVector",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        db_column="post_id",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_vector",
                        serialize=False,
                        to="blog.post",
                    ),
                ),
                ("vector", models.TextField(db_column="search_vector")),
            ],
            options={
                "db_table": "blog_postsearchdocument",
                "managed": False,
            },
        ),
        migrations.RunPython(create_full_text_index, drop_full_text_index, elidable=False),
        migrations.RunPython(index_existing_posts, migrations.RunPython.noop, elidable=False),
    ]
