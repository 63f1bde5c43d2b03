"""Rewrite the search index from the posts (after a bulk import, raw SQL or a fixture load)."""

from django.core.management.base import BaseCommand

from blog.search import rebuild_index


class Command(BaseCommand):
    help = "Rewrite every post's search document and rebuild the database's full-text index from them."

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} post{'s' if count != 1 else ''}."))
