"""How posts are sorted: categories (a tree) and tags."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CategoryTree:
    """All categories in one query, to walk parents and children without more."""

    def __init__(self, categories):
        self.by_id = {category.pk: category for category in categories}
        self.children = {}
        for category in categories:
            self.children.setdefault(category.parent_id, []).append(category.pk)

    def descendant_ids(self, pk):
        """The category and everything below it."""
        found, todo = [], [pk]
        while todo:
            current = todo.pop()
            if current in found:
                continue  # a cycle written around the admin's validation
            found.append(current)
            todo.extend(self.children.get(current, []))
        return found

    def ancestors(self, pk):
        """Parents from the top down, without the category itself."""
        chain, current = [], self.by_id[pk].parent_id
        while current is not None and current in self.by_id and self.by_id[current] not in chain:
            chain.insert(0, self.by_id[current])
            current = self.by_id[current].parent_id
        return chain


class Category(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    # Its id on the WordPress site it was imported from: old /?cat=<id> links answer with it.
    wordpress_id = models.PositiveBigIntegerField(
        _("WordPress ID"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"slug": self.slug})

    @classmethod
    def tree(cls):
        return CategoryTree(list(cls.objects.all()))

    def clean(self):
        # A category may not become its own ancestor.
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot be inside itself.")})
            ancestor = ancestor.parent


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})
