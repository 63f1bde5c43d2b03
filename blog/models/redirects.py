"""Old addresses of a post: a changed slug keeps answering, with a permanent redirect (WordPress's old slugs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from blog.models.posts import Post


class OldSlug(models.Model):
    """A slug a post had before; every old slug points at the post itself, so a chain is one hop."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(_("old slug"), max_length=200, unique=True, allow_unicode=True)
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("old slug")
        verbose_name_plural = _("old slugs")

    def __str__(self):
        return self.slug
