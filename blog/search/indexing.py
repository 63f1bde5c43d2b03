"""Keeping each post's search document in step with the post, its categories and its tags."""

from django.db import connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from blog.models import Category, Post, Tag
from blog.sanitize import plain_text
from blog.search.models import PostSearchDocument


def index_posts(post_ids=None, *, batch_size=500):
    """Write the search documents of these posts (all posts when None) from their current rows.

    Side effects: upserts PostSearchDocument rows (on SQLite, triggers update the
    FTS5 table in the same statement). Runs in the caller's transaction when
    there is one; a few queries per batch, whatever the number of posts.
    """
    posts = Post.objects.order_by("pk").prefetch_related("categories", "tags")
    if post_ids is not None:
        post_ids = sorted(set(post_ids))
        if not post_ids:
            return 0
    ids = post_ids if post_ids is not None else list(Post.objects.order_by("pk").values_list("pk", flat=True))
    count = 0
    with transaction.atomic():
        for offset in range(0, len(ids), batch_size):
            batch = posts.filter(pk__in=ids[offset : offset + batch_size])
            documents = [document_for(post) for post in batch]
            PostSearchDocument.objects.bulk_create(
                documents,
                update_conflicts=True,
                unique_fields=["post"],
                update_fields=PostSearchDocument.TEXT_FIELDS,
            )
            count += len(documents)
    return count


def document_for(post):
    """The unsaved search document of a post whose categories and tags are prefetched."""
    names = [category.name for category in post.categories.all()] + [tag.name for tag in post.tags.all()]
    return PostSearchDocument(
        post=post, title=post.title, excerpt=post.summary, taxonomy=" · ".join(names), body=plain_text(post.body)
    )


def rebuild_index():
    """Rewrite every search document, then (SQLite) rebuild the FTS5 table from them.

    Side effects: one transaction; documents of deleted posts are already gone
    (they cascade), so only current posts are written.
    """
    with transaction.atomic():
        count = index_posts()
        connection = connections[router.db_for_write(PostSearchDocument)]
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO blog_postsearchindex(blog_postsearchindex) VALUES ('rebuild')")
    return count


# The receivers rewrite a post's document inside the transaction of the save that changed
# it. Posts of every status are indexed (a scheduled post goes live without a save), and
# search_posts() returns only published ones.


def post_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures load rows one by one: rebuild_search_index afterwards
        index_posts([instance.pk])


def taxonomy_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            index_posts([instance.pk])
    elif action == "pre_clear":
        # From the tag's or category's side a clear names no posts: note them first.
        instance._search_post_ids = list(instance.posts.values_list("pk", flat=True))
    elif action == "post_clear":
        index_posts(instance.__dict__.pop("_search_post_ids", []))
    elif action in ("post_add", "post_remove"):
        index_posts(pk_set or [])


def term_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:  # a rename shows in every post that has it
        index_posts(instance.posts.values_list("pk", flat=True))


def term_deleting(sender, instance, **kwargs):
    instance._search_post_ids = list(instance.posts.values_list("pk", flat=True))


def term_deleted(sender, instance, **kwargs):
    index_posts(instance.__dict__.pop("_search_post_ids", []))


def connect():
    """Connect the receivers above to the post, taxonomy and term signals (from BlogConfig.ready()).

    Side effects: none beyond the connections; the dispatch_uids make a second call a no-op.
    """
    post_save.connect(post_saved, sender=Post, dispatch_uid="search_post_saved")
    m2m_changed.connect(taxonomy_changed, sender=Post.tags.through, dispatch_uid="search_post_tags_changed")
    m2m_changed.connect(
        taxonomy_changed, sender=Post.categories.through, dispatch_uid="search_post_categories_changed"
    )
    post_save.connect(term_saved, sender=Tag, dispatch_uid="search_tag_saved")
    post_save.connect(term_saved, sender=Category, dispatch_uid="search_category_saved")
    pre_delete.connect(term_deleting, sender=Tag, dispatch_uid="search_tag_deleting")
    pre_delete.connect(term_deleting, sender=Category, dispatch_uid="search_category_deleting")
    post_delete.connect(term_deleted, sender=Tag, dispatch_uid="search_tag_deleted")
    post_delete.connect(term_deleted, sender=Category, dispatch_uid="search_category_deleted")
