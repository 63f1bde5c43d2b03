from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordPressConfig(AppConfig):
    """Moving a WordPress site in and out: WXR import and export, and the old site's links."""

    name = "wordpress"
    verbose_name = _("WordPress import and export")
