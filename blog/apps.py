from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        # Signal receivers that keep the search index in step (blog.search also defines its models).
        from blog import search  # noqa: F401
