"""``manage.py restore ARCHIVE``: put back a backup's database, media and secret key, then migrate."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError
from backups.services import backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database, MEDIA_ROOT and var/secret_key (when the site reads its key from it) "
        "with a backup made by `manage.py backup`, then migrate and empty the caches. "
        "Stop the site first. Refuses a site that already has posts or comments unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="A .tar.gz written by `manage.py backup`.")
        parser.add_argument("--force", action="store_true", help="Replace a database that already has content.")

    def handle(self, *args, archive, force=False, **options):
        try:
            manifest = backup_restore(path=archive, force=force, stdout=self.stdout)
        except BackupError as error:
            raise CommandError(str(error)) from None
        counts = manifest["restored_counts"]
        if manifest.get("counts", counts) != counts:
            self.stdout.write(self.style.WARNING(f"The archive's manifest counted {manifest['counts']}."))
        if not manifest.get("secret_key_included"):
            self.stdout.write("The archive has no secret key: set DJANGO_SECRET_KEY to the one the site had.")
        elif not manifest["secret_key_restored"]:
            self.stdout.write("The archive's secret key was not written: this site takes DJANGO_SECRET_KEY.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} (made {manifest.get('created_at', '?')}): "
                + ", ".join(_plural(counts[name], name) for name in ("posts", "comments", "images"))
                + "."
            )
        )


def _plural(count, plural):
    return f"{count} {plural if count != 1 else plural[:-1]}"
