"""The two operator actions: ``backup_create`` writes an archive, ``backup_restore`` puts one back.

``manage.py backup`` and ``manage.py restore`` call them; each raises BackupError with one
sentence for the operator, and changes nothing on the site before the archive is checked.
"""

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from backups import archive, databases

ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
KEY_LEFT_OUT = "Not included: the site's key comes from DJANGO_SECRET_KEY; keep it with this archive."


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    manifest: dict


def backup_create(*, output=None, now=None):
    """Write the database, MEDIA_ROOT and (when it comes from var/secret_key) the key into one archive.

    ``output`` defaults to ``var/backups/steady-ground-<time>.tar.gz``. The site may keep running.
    """
    if connection.in_atomic_block:
        raise archive.BackupError(
            "A backup cannot be taken inside a transaction: it would miss what is not committed."
        )
    now = now or timezone.now()
    path = Path(output) if output else archive.default_path(var_dir=settings.VAR_DIR, now=now)
    if not output:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.chmod(0o700)
    if path.exists():
        raise archive.BackupError(f"{path} already exists: choose another --output.")
    key = _file_based_secret_key()
    manifest = {
        "format": archive.FORMAT_VERSION,
        "created_at": now.isoformat(),
        "django": django.get_version(),
        "engine": databases.engine(),
        "migrations": _latest_migrations(),
        "counts": _counts(),
        "secret_key_included": key is not None,
    }
    if key is None:
        manifest["secret_key_note"] = KEY_LEFT_OUT
    with tempfile.TemporaryDirectory(prefix="steady-ground-backup-") as scratch:
        dump = Path(scratch) / "database"
        databases.dump(destination=dump)
        archive.write_archive(
            path=path, manifest=manifest, database=dump, media_root=Path(settings.MEDIA_ROOT), secret_key=key
        )
    return Written(path=path, size=path.stat().st_size, manifest=manifest)


def backup_restore(*, path, force=False, stdout=None):
    """Replace the database, MEDIA_ROOT and the file-based secret key with the archive at ``path``.

    The whole archive is checked first (its database too); it is refused when its engine differs
    from the site's, or (unless ``force``) when the site already has posts or comments. Afterwards
    ``migrate`` brings an older backup up to this version and both caches are emptied.
    Returns the archive's manifest, with what was restored (``secret_key_restored``, ``restored_counts``).
    """
    with tempfile.TemporaryDirectory(prefix="steady-ground-restore-") as scratch:
        unpacked = Path(scratch)
        manifest = archive.open_archive(path=path, into=unpacked)
        site_engine = databases.engine()
        if manifest["engine"] != site_engine:
            raise archive.BackupError(
                f"This backup holds a {ENGINE_NAMES[manifest['engine']]} database and this site uses "
                f"{ENGINE_NAMES[site_engine]}: restore it into a site with the same engine (DATABASE_URL)."
            )
        if not force and not databases.is_empty():
            raise archive.BackupError(
                "This site's database already has posts or comments: restore into an empty site, "
                "or pass --force to replace them."
            )
        database = unpacked / archive.DATABASE_FILES[manifest["engine"]]
        databases.check(source=database)
        databases.load(source=database)
        _replace_media(unpacked / archive.MEDIA)
        key = archive.read_secret_key(unpacked=unpacked)
    key_restored = key is not None and _restore_secret_key(key)
    call_command("migrate", interactive=False, verbosity=0, stdout=stdout)
    for alias in ("default", "shared"):
        caches[alias].clear()
    return {**manifest, "secret_key_restored": key_restored, "restored_counts": _counts()}


def _file_based_secret_key():
    """The key when the site's SECRET_KEY is the one in var/secret_key, else None (from the environment)."""
    key_file = Path(settings.VAR_DIR) / "secret_key"
    if key_file.is_file() and key_file.read_text().strip() == settings.SECRET_KEY:
        return settings.SECRET_KEY
    return None


def _restore_secret_key(key):
    """Write var/secret_key (mode 600) when this site reads its key from there; True if written."""
    key_file = Path(settings.VAR_DIR) / "secret_key"
    if not (key_file.is_file() and key_file.read_text().strip() == settings.SECRET_KEY):
        return False
    key_file.write_text(key)
    key_file.chmod(0o600)
    return True


def _replace_media(unpacked_media):
    """Empty MEDIA_ROOT (the folder itself stays: it may be a mount) and copy the archive's media in."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if unpacked_media.is_dir():
        shutil.copytree(unpacked_media, media_root, dirs_exist_ok=True)


def _latest_migrations():
    """{app label: name of its latest applied migration}."""
    latest = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        latest[app] = name
    return latest


def _counts():
    from blog.models import Image, Post
    from comments.models import Comment

    return {
        "posts": Post._base_manager.count(),
        "comments": Comment._base_manager.count(),
        "images": Image._base_manager.count(),
    }
