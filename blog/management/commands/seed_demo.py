"""``manage.py seed_demo``: load the demo site through each installed app's own ``demo.seed()``."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = (
        "Create the demo article with its author, category, tags and four approved comments. "
        "Running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        # INSTALLED_APPS order: the blog's post exists before the comments app comments on it.
        for app in apps.get_app_configs():
            if module_has_submodule(app.module, "demo"):
                import_module(f"{app.name}.demo").seed(self)
