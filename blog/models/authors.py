"""What readers see about the people who write."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def display_name(user):
    """The name readers see for a user: the profile's display name, else the full name, else the username.

    Lists load the profile with their authors (``select_related("author__author_profile")``),
    so they run no query per author.
    """
    profile = getattr(user, "author_profile", None)  # None: no profile (RelatedObjectDoesNotExist)
    return (profile and profile.display_name) or user.get_full_name() or user.get_username()


class AuthorProfile(models.Model):
    """What readers see about an author on their archive page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="author_profile"
    )
    bio = models.TextField(_("biographical info"), blank=True, help_text=_("Plain text, shown on your author page."))
    website = models.URLField(_("website"), blank=True)
    display_name = models.CharField(
        _("display name publicly as"),
        max_length=150,
        blank=True,
        help_text=_("The name on your posts' bylines, author page and feeds. Empty: your full name, else username."),
    )

    class Meta:
        verbose_name = _("author profile")
        verbose_name_plural = _("author profiles")

    def __str__(self):
        return str(self.user)
