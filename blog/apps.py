from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Blog")

    def ready(self):
        # Signal receivers: cache invalidation of the navigation fragments; the search index.
        from blog import navigation  # noqa: F401
        from blog.search import indexing

        indexing.connect()
