"""``manage.py backup``: what the archive holds, who may read it, and when it holds the secret key."""

import io
import json
import re
import stat
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import CommentFactory, ImageFactory, PostFactory

# Committed rows: the dump is taken by another connection (SQLite) or another process (pg_dump).
pytestmark = pytest.mark.django_db(transaction=True)


def run_backup(*args):
    out = io.StringIO()
    call_command("backup", *args, stdout=out)
    return out.getvalue()


def read_archive(path):
    with tarfile.open(path, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        return manifest, {member.name: member for member in tar.getmembers()}


def test_backup_is_dated_in_var_backups_readable_only_by_its_owner(site_dirs):
    output = run_backup()

    folder = site_dirs.VAR_DIR / "backups"
    [path] = folder.iterdir()
    assert re.fullmatch(r"steady-ground-\d{8}-\d{6}\.tar\.gz", path.name)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert re.search(rf"Backup written: {re.escape(str(path))} \(\d+(\.\d)? (bytes|KB|MB)\)$", output.strip())


def test_backup_to_output_holds_manifest_database_and_media(site_dirs, tmp_path):
    post = PostFactory(featured_image=ImageFactory())
    CommentFactory(post=post)
    CommentFactory(post=post, status="pending")

    run_backup("--output", str(tmp_path / "copy.tar.gz"))

    manifest, members = read_archive(tmp_path / "copy.tar.gz")
    assert stat.S_IMODE((tmp_path / "copy.tar.gz").stat().st_mode) == 0o600
    assert manifest["format"] == 1
    assert manifest["engine"] == connection.vendor
    assert manifest["counts"] == {"posts": 1, "comments": 2, "images": 1}
    assert manifest["django"].startswith("6.")
    assert manifest["migrations"]["blog"].startswith("00")
    assert manifest["migrations"]["comments"].startswith("00")
    database = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[connection.vendor]
    assert members[database].isfile() and members[database].size > 0
    assert "media/images/already-here.png" in members
    assert f"media/{post.featured_image.file.name}" in members
    assert all(member.isfile() or member.isdir() for member in members.values())


def test_an_existing_output_is_never_overwritten(site_dirs, tmp_path):
    (tmp_path / "taken.tar.gz").write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="already exists"):
        run_backup("--output", str(tmp_path / "taken.tar.gz"))

    assert (tmp_path / "taken.tar.gz").read_bytes() == b"an older backup"


def test_secret_key_from_var_secret_key_is_in_the_archive(site_dirs, tmp_path):
    site_dirs.SECRET_KEY = "a-key-generated-into-var-" + "x" * 30
    (site_dirs.VAR_DIR / "secret_key").write_text(site_dirs.SECRET_KEY)

    output = run_backup("--output", str(tmp_path / "b.tar.gz"))

    manifest, members = read_archive(tmp_path / "b.tar.gz")
    assert manifest["secret_key_included"] is True
    with tarfile.open(tmp_path / "b.tar.gz") as tar:
        assert tar.extractfile("secret_key").read().decode() == site_dirs.SECRET_KEY
    assert "DJANGO_SECRET_KEY" not in output


def test_secret_key_from_the_environment_is_left_out_and_the_operator_told(site_dirs, tmp_path):
    site_dirs.SECRET_KEY = "a-key-from-DJANGO_SECRET_KEY-" + "y" * 30
    (site_dirs.VAR_DIR / "secret_key").write_text("an old development key, not the one in use")

    output = run_backup("--output", str(tmp_path / "b.tar.gz"))

    manifest, members = read_archive(tmp_path / "b.tar.gz")
    assert "secret_key" not in members
    assert manifest["secret_key_included"] is False
    assert "DJANGO_SECRET_KEY" in manifest["secret_key_note"]
    assert "DJANGO_SECRET_KEY" in output and "keep" in output
    with tarfile.open(tmp_path / "b.tar.gz") as tar:
        assert site_dirs.SECRET_KEY.encode() not in b"".join(
            tar.extractfile(member).read() for member in tar.getmembers() if member.isfile()
        )
