"""``manage.py setup_demo``: what ``make run`` does before serving, in a few lines ending with the login."""

import io
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from blog import demo
from blog.accounts import admin_ensure
from blog.models import Post

MANAGE = ".venv/bin/python manage.py"


class Command(BaseCommand):
    help = (
        "Migrate the database, load the demo site (seed_demo) and make sure an admin exists "
        "(ensure_admin), one line each, then print the site's address and the admin login in a box. "
        "-v 2 shows the migrations and the seed in full."
    )

    def handle(self, *args, verbosity, **options):
        self.stdout.write(self.migrate(verbosity))
        self.stdout.write(self.seed(verbosity))
        try:
            login = admin_ensure()
        except ImproperlyConfigured as error:
            raise CommandError(error) from None
        self.stdout.write(self.style.SUCCESS(box(self.summary(login))))

    def migrate(self, verbosity):
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        call_command("migrate", verbosity=max(verbosity - 1, 0), interactive=False, stdout=self.stdout)
        if not pending:
            return "Database up to date"
        return f"Database ready ({pending} migration{'s' if pending != 1 else ''} applied)"

    def seed(self, verbosity):
        present = Post.objects.filter(slug=demo.SLUG).exists()
        out = self.stdout if verbosity > 1 else io.StringIO()
        # The seed's INFO records (each comment stored, approved) say what the one line below
        # sums up; warnings and errors still show.
        disabled = logging.root.manager.disable
        if verbosity < 2:
            logging.disable(max(disabled, logging.INFO))
        try:
            call_command("seed_demo", verbosity=verbosity, stdout=out)
        finally:
            logging.disable(disabled)
        return (
            "Demo site already loaded"
            if present
            else "Demo site loaded (the article, its comments and the About page)"
        )

    def summary(self, login):
        site = settings.SITE_URL.rstrip("/")
        lines = [
            f"{settings.SITE_TITLE} is running at {site}/",
            f"Admin: {site}{reverse('admin:index')}",
        ]
        if login.source == "generated":
            lines.append(f"Login: {login.username} / {login.password}   (shown only once)")
        elif login.source == "environment":
            lines.append(f"Login: {login.username} (password from DJANGO_SUPERUSER_PASSWORD)")
        else:
            lines.append(f"Login: {login.username} (password as set earlier)")
            lines.append(f"Forgot it? {MANAGE} changepassword {login.username}")
        return lines


def box(lines):
    """The lines framed in box-drawing characters, as wide as the longest line."""
    width = max(len(line) for line in lines) + 2
    return "\n".join([f"┌{'─' * width}┐", *(f"│ {line.ljust(width - 2)} │" for line in lines), f"└{'─' * width}┘"])
