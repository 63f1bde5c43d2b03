"""``manage.py backup``: the database, the media and the file-based secret key in one dated archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError
from backups.services import backup_create


class Command(BaseCommand):
    help = (
        "Write the database, MEDIA_ROOT and var/secret_key (when the key comes from it) into "
        "var/backups/steady-ground-YYYYmmdd-HHMMSS.tar.gz (mode 600). The site may keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Write the archive here instead (it must not exist).")

    def handle(self, *args, output=None, **options):
        try:
            written = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not written.manifest["secret_key_included"]:
            self.stdout.write(
                "The secret key is not in the archive: it comes from DJANGO_SECRET_KEY, "
                "which you must keep yourself to restore this site as it was (signed links, sessions)."
            )
        self.stdout.write(self.style.SUCCESS(f"Backup written: {written.path} ({_size(written.size)})"))


def _size(size):
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return None
