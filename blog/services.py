"""Actions that write posts and their taxonomy; views, admin and commands call these."""

from django.db import transaction
from django.utils.text import slugify

from blog.models import Category, Post, Tag


@transaction.atomic
def category_get_or_create(*, name, slug=None, parent=None, description=""):
    """Return the category with this slug, creating it (validated) when missing."""
    slug = slug or slugify(name, allow_unicode=True)
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        category = Category(name=name, slug=slug, parent=parent, description=description)
        category.full_clean()
        category.save()
    return category


@transaction.atomic
def tag_get_or_create(*, name, slug=None):
    """Return the tag with this slug, creating it when missing."""
    slug = slug or slugify(name, allow_unicode=True)
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        tag = Tag(name=name, slug=slug)
        tag.full_clean()
        tag.save()
    return tag


@transaction.atomic
def post_create(
    *,
    author,
    title,
    body,
    categories,
    tags=(),
    slug=None,
    excerpt="",
    status=Post.Status.DRAFT,
    published_at=None,
    sticky=False,
    comments_open=True,
):
    """Create a post after full validation; its body is sanitised on save.

    Raises ValidationError for invalid data (duplicate slug, missing date on a
    published post, no category).
    """
    post = Post(
        author=author,
        title=title,
        slug=slug or slugify(title, allow_unicode=True),
        body=body,
        excerpt=excerpt,
        status=status,
        published_at=published_at,
        sticky=sticky,
        comments_open=comments_open,
    )
    if not categories:
        categories = [category_get_or_create(name="Uncategorized")]
    post.full_clean()
    post.save()
    post.categories.set(categories)
    post.tags.set(tags)
    return post
