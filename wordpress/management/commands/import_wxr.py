"""``manage.py import_wxr FILE``: bring a WordPress site's export in (see wordpress.importer)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import import_wxr
from wordpress.wxr.reader import WXRError


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0–1.2): authors, categories, tags, posts, pages and comments "
        "with their threads. Running it again updates in place and creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xml file from WordPress's Tools › Export")
        parser.add_argument(
            "--author-map",
            nargs="*",
            default=[],
            metavar="OLD=NEW",
            help="give the posts of WordPress login OLD to the user NEW here",
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")

    def handle(self, *args, file, author_map, dry_run, **options):
        mapping = {}
        for pair in author_map:
            old, sep, new = pair.partition("=")
            if not (sep and old and new):
                raise CommandError(f"--author-map takes OLD=NEW pairs, not {pair!r}.")
            mapping[old] = new
        progress = Progress(self.stderr) if sys.stderr.isatty() else None
        try:
            report = import_wxr(file, author_map=mapping, dry_run=dry_run, progress=progress)
        except WXRError as error:
            raise CommandError(f"{error.message} Nothing was imported.") from None
        finally:
            if progress:
                progress.close()
        if dry_run:
            self.stdout.write("Dry run: nothing was written. This is what the import would do:")
        self.stdout.write(report.table())
        if report.problems:
            self.stdout.write(f"\nNot imported or changed on the way ({len(report.problems)}):")
            for problem in report.problems:
                self.stdout.write(f"  - {problem}")


class Progress:
    """A one-line count of the items imported, on a terminal only."""

    def __init__(self, stream):
        self.stream, self.count = stream, 0

    def __call__(self):
        self.count += 1
        if self.count % 10 == 0:
            self.stream.write(f"\rImported {self.count} items…", ending="")
            self.stream.flush()

    def close(self):
        self.stream.write("\r" + " " * 40 + "\r", ending="")
