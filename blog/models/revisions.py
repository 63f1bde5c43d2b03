"""The history of a post's or page's words: a revision per save that changed them, one autosave per writer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from blog.models.pages import Page
from blog.models.posts import Post

# Exactly one of the two keys is set: a revision or an autosave belongs to a post or to a page.
ONE_OWNER = (Q(post__isnull=False) & Q(page__isnull=True)) | (Q(post__isnull=True) & Q(page__isnull=False))


def owner_filter(obj):
    """The lookup that finds the revisions or autosaves of ``obj`` (a Post or a Page)."""
    return {obj._meta.model_name: obj}


class Revision(models.Model):
    """The title, excerpt and body of a post or page as one save left them, and who saved it."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    title = models.CharField(_("title"), max_length=300)
    excerpt = models.TextField(_("excerpt"), blank=True)
    body = models.TextField(_("body"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revisions",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    # What changed since the revision before, stored when saved so the list never diffs bodies.
    changed_fields = models.CharField(_("changed fields"), max_length=40, blank=True)
    words_added = models.PositiveIntegerField(_("words added"), default=0)
    words_removed = models.PositiveIntegerField(_("words removed"), default=0)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-pk"]
        constraints = [models.CheckConstraint(condition=ONE_OWNER, name="revision_of_post_or_page")]

    def __str__(self):
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def owner(self):
        return self.post if self.post_id else self.page

    @property
    def changed(self):
        """The names of the fields this save changed (empty for the first revision)."""
        return [name for name in self.changed_fields.split(",") if name]

    @property
    def summary(self):
        """What this save changed, in words: "Title, body: 12 words added, 3 removed." """
        if not self.changed:
            return gettext("First revision.")
        labels = {"title": gettext("title"), "excerpt": gettext("excerpt"), "body": gettext("body")}
        fields = ", ".join(labels.get(name, name) for name in self.changed).capitalize()
        if not (self.words_added or self.words_removed):
            return gettext("%(fields)s: markup only.") % {"fields": fields}
        added = ngettext("%(count)d word added", "%(count)d words added", self.words_added) % {
            "count": self.words_added
        }
        removed = ngettext("%(count)d removed", "%(count)d removed", self.words_removed) % {
            "count": self.words_removed
        }
        return gettext("%(fields)s: %(added)s, %(removed)s.") % {"fields": fields, "added": added, "removed": removed}


class Autosave(models.Model):
    """A writer's unsaved words for a post or page, kept by the change form's script: one per writer, overwritten."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="autosaves"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    excerpt = models.TextField(_("excerpt"), blank=True)
    body = models.TextField(_("body"), blank=True)
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="autosave_of_post_or_page"),
            models.UniqueConstraint(
                fields=["user", "post"], condition=Q(post__isnull=False), name="autosave_per_post"
            ),
            models.UniqueConstraint(
                fields=["user", "page"], condition=Q(page__isnull=False), name="autosave_per_page"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.saved_at:%Y-%m-%d %H:%M})"

    def differs_from(self, obj):
        """Do these words differ from what ``obj`` holds now?"""
        return (self.title, self.excerpt, self.body) != (obj.title, getattr(obj, "excerpt", ""), obj.body)
