"""Static pages (About, Contact…), addressed by their path of slugs."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blog.sanitize import sanitize_post_html

# First path segments that belong to the site's own URLs, not to pages.
RESERVED_PAGE_SLUGS = {
    "admin",
    "author",
    "category",
    "comments",
    "feed",
    "healthz",
    "media",
    "preview",
    "robots.txt",
    "search",
    "sitemap.xml",
    "static",
    "tag",
    "favicon.ico",
}


def ancestor_paths(path):
    """The paths of a page's parents, top first: "a/b/c" → ["a", "a/b"]."""
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]


class PageQuerySet(models.QuerySet):
    def published(self):
        """Pages whose own status is published (see ``public`` for their parents too)."""
        return self.filter(status=Page.Status.PUBLISHED)

    def public(self):
        """Published pages whose parents are all published too: what readers may see (one query)."""
        pages = list(self.published())
        paths = {page.path for page in pages}
        return [page for page in pages if all(parent in paths for parent in ancestor_paths(page.path))]

    def public_at(self, path):
        """The page readers see at ``path``, or None (a draft parent hides its children)."""
        wanted = [*ancestor_paths(path), path]
        pages = {page.path: page for page in self.published().filter(path__in=wanted)}
        return pages[path] if len(pages) == len(wanted) else None


class Page(models.Model):
    """A static page (About, Contact…): outside the date flow, nested by parent, listed in the menu.

    A separate model rather than a kind of Post: pages have no date, category,
    tags or share bar, and their URL is their path of slugs.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent page"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    body = models.TextField(
        _("body"), help_text=_("Scripts and unsafe HTML are removed on save (without JavaScript, type HTML here).")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    menu_order = models.IntegerField(_("menu order"), default=0, help_text=_("Lower numbers come first in the menu."))
    show_in_menu = models.BooleanField(_("show in the site menu"), default=True)
    comments_open = models.BooleanField(_("comments open"), default=False)
    path = models.CharField(max_length=1000, unique=True, editable=False, default="")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The page's id on the WordPress site it was imported from: old /?page_id=<id> links keep it.
    wordpress_id = models.PositiveIntegerField(_("WordPress ID"), null=True, blank=True, unique=True, editable=False)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["menu_order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="page_unique_slug_per_parent"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_post_html(self.body)
        self.path = self.build_path()
        super().save(*args, **kwargs)
        # Children's paths follow their parent's.
        for child in self.children.all():
            child.save()

    def get_absolute_url(self):
        return reverse("blog:page", kwargs={"path": self.path})

    @property
    def shortlink(self):
        """WordPress's short address, /?page_id=<id>: the old WordPress id when imported, else its own."""
        if self.wordpress_id:
            return f"{reverse('blog:post_list')}?page_id={self.wordpress_id}"
        if self.pk is None or getattr(self, "pk_is_taken", False):
            return None
        return f"{reverse('blog:post_list')}?page_id={self.pk}"

    def clean(self):
        self.validate_slug_is_free()
        if self.slug and Page.objects.filter(path=self.build_path()).exclude(pk=self.pk).exists():
            raise ValidationError({"slug": _("Another page already has this address.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A page cannot be inside itself.")})
            ancestor = ancestor.parent

    def build_path(self):
        return f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug

    def validate_slug_is_free(self):
        """A top-level page may not take a slug the site's own URLs use (feed, search, a year…)."""
        if self.parent_id is None and (self.slug in RESERVED_PAGE_SLUGS or self.slug.isdigit()):
            raise ValidationError(
                {"slug": _("“%(slug)s” is used by the site itself; choose another slug.") % {"slug": self.slug}}
            )
