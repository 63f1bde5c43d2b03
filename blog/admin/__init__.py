"""The blog's admin; Django's autodiscovery imports this package, which registers each part.

sturdy.py    SturdyAdminMixin, the base of every ModelAdmin here and in comments
posts.py     posts, with the editorial rules of blog.permissions
editor.py    the visual editor on the body of posts and pages (a mixin)
media.py     the media library (images), its upload and chooser JSON, the featured image field
pages.py     static pages
preview.py   the Preview and "Get a preview link" buttons of posts and pages
taxonomy.py  categories and tags
users.py     users, groups and author profiles
writing.py   Settings › Writing (the default category)
"""

from blog.admin import media, pages, posts, taxonomy, users, writing  # noqa: F401
from blog.admin.sturdy import SturdyAdminMixin

__all__ = ["SturdyAdminMixin"]
