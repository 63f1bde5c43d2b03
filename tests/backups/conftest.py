import io
import json
import tarfile
import time

import pytest
from django.db import connection

from backups import archive


@pytest.fixture
def site_dirs(settings, tmp_path):
    """A var/ folder and a MEDIA_ROOT of the test's own, with one picture already in the media."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR.mkdir()
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "already-here.png").write_bytes(b"the site's own picture")
    return settings


def other_engine():
    return "postgresql" if connection.vendor == "sqlite" else "sqlite"


def valid_manifest(**changes):
    return {
        "format": archive.FORMAT_VERSION,
        "created_at": "2026-12-01T09:00:00+00:00",
        "engine": connection.vendor,
        "counts": {"posts": 0, "comments": 0, "images": 0},
        "secret_key_included": False,
        **changes,
    }


def tar_member(name, data=b"", **attributes):
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(time.time())
    for attribute, value in attributes.items():
        setattr(info, attribute, value)
    return info, data


def database_member(engine=None):
    return tar_member(archive.DATABASE_FILES[engine or connection.vendor], b"a database")


def make_archive(path, *, manifest=None, members=None):
    """A hand-made archive: ``manifest`` (dict, bytes, or None to leave it out) and extra ``members``."""
    if members is None:
        engine = manifest.get("engine", connection.vendor) if isinstance(manifest, dict) else connection.vendor
        members = [database_member(engine)]
    with tarfile.open(path, "w:gz") as tar:
        if manifest is not None:
            data = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
            tar.addfile(*_as_file(*tar_member(archive.MANIFEST, data)))
        for info, data in members:
            tar.addfile(*_as_file(info, data))
    return path


def _as_file(info, data):
    return info, (io.BytesIO(data) if info.isfile() else None)
