"""What an import remembers of the WordPress sites it read: each site, and each thing taken from it.

Keyed by the site's address plus the WordPress id (or slug, for terms without an id),
so importing the same file again updates in place, and two sites' files, which
both have a post 1, never overwrite each other.
"""

from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """A WordPress site imported from, known by its address (``<wp:base_blog_url>``, else ``<link>``)."""

    url = models.CharField(_("address"), max_length=500, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    first_imported_at = models.DateTimeField(_("first imported"), auto_now_add=True)
    last_imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        verbose_name = _("WordPress site")
        verbose_name_plural = _("WordPress sites")

    def __str__(self):
        return self.title or self.url


class ImportedObject(models.Model):
    """One author, term, post, page, comment or attachment of a source, and the row it became here."""

    class Kind(models.TextChoices):
        AUTHOR = "author", _("author")
        CATEGORY = "category", _("category")
        TAG = "tag", _("tag")
        POST = "post", _("post")
        PAGE = "page", _("page")
        COMMENT = "comment", _("comment")
        ATTACHMENT = "attachment", _("attachment")

    source = models.ForeignKey(Source, verbose_name=_("site"), on_delete=models.CASCADE, related_name="imported")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The WordPress id as text, or "slug:…"/"login:…" where the export gives no id.
    key = models.CharField(_("WordPress key"), max_length=300)
    guid = models.CharField(_("GUID"), max_length=1000, blank=True)
    # The row in the kind's own table (users, categories, tags, posts, pages, comments, images);
    # None when nothing was stored for it (an attachment whose file was not given).
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    old_url = models.CharField(_("address on the old site"), max_length=2000, blank=True)
    old_path = models.CharField(max_length=2000, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "key"], name="imported_object_unique_key"),
        ]

    def __str__(self):
        return f"{self.source} {self.kind} {self.key}"

    def save(self, *args, **kwargs):
        self.old_path = old_path(self.old_url)
        super().save(*args, **kwargs)


def old_path(url):
    """The part of an old address a request here carries: path and query (``/archives/123``, ``/?p=1``)."""
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path
