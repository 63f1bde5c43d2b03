"""The backup archive: one gzipped tar holding a manifest, the database, the media and the key.

Layout (nothing else is accepted when reading)::

    manifest.json        what the archive holds (FORMAT_VERSION, engine, migrations, counts)
    database.sqlite3     SQLite: a copy made with the online backup API
    database.pgdump      PostgreSQL: ``pg_dump -Fc``
    media/…              the MEDIA_ROOT tree
    secret_key           the key of var/secret_key, only when the site's key came from it

The archive holds the secret key and commenters' emails: it is written mode 600.
"""

import gzip
import io
import json
import os
import stat
import tarfile
import time
import zlib
from pathlib import Path, PurePosixPath

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
KEY_FILE = "secret_key"
# What a damaged or foreign file raises somewhere between gzip and tar.
UNREADABLE = (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeDecodeError)


class BackupError(Exception):
    """A backup that cannot be written or restored; the message is one sentence for the operator."""


def default_path(*, var_dir: Path, now):
    """``var/backups/steady-ground-YYYYmmdd-HHMMSS.tar.gz`` for the time ``now``."""
    return Path(var_dir) / "backups" / f"steady-ground-{now:%Y%m%d-%H%M%S}.tar.gz"


def write_archive(*, path: Path, manifest, database: Path, media_root: Path, secret_key=None):
    """Write the archive at ``path`` (mode 600, its folder made mode 700), all or nothing.

    ``database`` is the dump file; ``secret_key`` the key's text, or None to leave it out.
    Only regular files and folders of the media are kept (a link could point anywhere).
    The archive is written beside ``path`` under a temporary name and renamed when complete.
    """
    path = Path(path)
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an older partial file may have had another mode
    try:
        with os.fdopen(descriptor, "wb") as file, tarfile.open(fileobj=file, mode="w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
            tar.add(database, arcname=DATABASE_FILES[manifest["engine"]], filter=_private)
            if Path(media_root).is_dir():
                tar.add(media_root, arcname=MEDIA, filter=_regular_only)
            if secret_key is not None:
                _add_bytes(tar, KEY_FILE, secret_key.encode())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _anonymous(info):
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _private(info):
    info.mode = 0o600
    return _anonymous(info)


def _regular_only(info):
    return _anonymous(info) if info.isfile() or info.isdir() else None


def open_archive(*, path: Path, into: Path):
    """Check the whole archive at ``path``, unpack it into the folder ``into`` and return its manifest.

    Refused with BackupError: a missing file, anything that is not a readable gzipped tar
    (truncated, corrupted), a member outside the layout above (absolute, ``..``, a link,
    a device), a manifest that is missing, unreadable or of an unknown format version, or a
    database file that does not match the manifest. Nothing outside ``into`` is written.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    try:
        with gzip.open(path) as stream, tarfile.open(fileobj=stream, mode="r:") as tar:
            members = tar.getmembers()  # reads to tar's end marker: a truncated file fails here
            for member in members:
                _check_member(member)
            manifest = _read_manifest(tar)
            expected = DATABASE_FILES[manifest["engine"]]
            if expected not in {member.name for member in members if member.isfile()}:
                raise BackupError(f"{path} is not a complete backup: it has no {expected}.")
            tar.extractall(into, filter="data")
            # gzip checks its CRC only at the end of the stream, which tar stops short of.
            while stream.read(1 << 20):
                pass
    except BackupError:
        raise
    except tarfile.FilterError as error:
        raise BackupError(f"{path} holds a file that cannot be restored safely ({error}).") from None
    except UNREADABLE:
        raise BackupError(f"{path} is not a Steady Ground backup (not a complete .tar.gz archive).") from None
    return manifest


def _check_member(member):
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts:
        raise BackupError(f"The archive holds {member.name!r}, a path outside the backup: refused.")
    if not (member.isfile() or member.isdir()):
        raise BackupError(f"The archive holds {member.name!r}, which is not a plain file or folder: refused.")
    top = name.parts[0] if name.parts else ""
    allowed_files = {MANIFEST, KEY_FILE, *DATABASE_FILES.values()}
    if not (top == MEDIA or (member.isfile() and str(name) in allowed_files)):
        raise BackupError(f"The archive holds {member.name!r}, which is not part of a backup: refused.")
    if stat.S_IMODE(member.mode) & (stat.S_ISUID | stat.S_ISGID):
        raise BackupError(f"The archive holds {member.name!r} with set-id bits: refused.")


def _read_manifest(tar):
    try:
        file = tar.extractfile(MANIFEST)
    except KeyError:
        raise BackupError("The archive has no manifest.json: it is not a Steady Ground backup.") from None
    try:
        manifest = json.loads(file.read())
    except ValueError:
        raise BackupError("The archive's manifest.json is not readable JSON.") from None
    if not isinstance(manifest, dict) or "format" not in manifest:
        raise BackupError("The archive's manifest.json is not a Steady Ground manifest.")
    if manifest["format"] != FORMAT_VERSION:
        raise BackupError(
            f"The archive is in backup format {manifest['format']!r}; this version reads format {FORMAT_VERSION}."
        )
    if manifest.get("engine") not in DATABASE_FILES:
        raise BackupError(f"The archive's manifest names an unknown database engine {manifest.get('engine')!r}.")
    return manifest


def read_secret_key(*, unpacked: Path):
    """The key in an unpacked archive, or None when the backup left it out."""
    file = Path(unpacked) / KEY_FILE
    return file.read_text().strip() if file.is_file() else None
