"""The blog's models, one module per idea; import them from here (``from blog.models import Post``)."""

from blog.models.authors import AuthorProfile, display_name
from blog.models.media import Image
from blog.models.pages import Page
from blog.models.posts import Post
from blog.models.redirects import OldSlug
from blog.models.revisions import Autosave, Revision
from blog.models.shares import Share
from blog.models.taxonomy import Category, CategoryTree, Tag
from blog.models.writing import WritingSettings, default_category

__all__ = [
    "AuthorProfile",
    "Autosave",
    "Category",
    "CategoryTree",
    "Image",
    "OldSlug",
    "Page",
    "Post",
    "Revision",
    "Share",
    "Tag",
    "WritingSettings",
    "default_category",
    "display_name",
]

# The search package's models, registered with the blog's. Imported last: blog.search
# imports Post, Category and Tag from this package, so they must exist by now.
from blog.search.models import PostSearchDocument, PostSearchIndex, PostSearchVector  # noqa: E402, F401
