"""WordPress's Settings › Writing: one row, editable in the admin."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from blog.models.taxonomy import Category

# The category WordPress creates on install, for posts saved without one.
UNCATEGORIZED = {"name": "Uncategorized", "slug": "uncategorized"}


class WritingSettings(models.Model):
    default_category = models.ForeignKey(
        Category,
        verbose_name=_("default post category"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A post saved without a category is filed here. Rename it freely; it cannot be deleted."),
    )

    class Meta:
        verbose_name = _("writing settings")
        verbose_name_plural = _("writing settings")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="writing_settings_singleton")]

    def __str__(self):
        return str(_("Writing settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    @transaction.atomic
    def load(cls):
        """The settings row; made the first time it is asked for, with "Uncategorized" as in WordPress."""
        settings_row = cls.objects.select_related("default_category").filter(pk=1).first()
        if settings_row is None:
            category, _created = Category.objects.get_or_create(
                slug=UNCATEGORIZED["slug"], defaults={"name": UNCATEGORIZED["name"]}
            )
            settings_row, _created = cls.objects.get_or_create(pk=1, defaults={"default_category": category})
        return settings_row


def default_category():
    """The category for posts saved without one (Settings › Writing)."""
    return WritingSettings.load().default_category
