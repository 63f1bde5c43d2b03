"""``manage.py restore`` refuses, in one sentence and before changing anything, what it cannot restore safely."""

import io
import tarfile

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from tests.backups.conftest import database_member, make_archive, other_engine, tar_member, valid_manifest
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def restore(path, *args):
    call_command("restore", str(path), *args, stdout=io.StringIO())


@pytest.fixture
def refused(site_dirs):
    """Restoring ``path`` fails with a CommandError matching ``message``, and the media are untouched."""

    def check(path, message):
        with pytest.raises(CommandError, match=message) as error:
            restore(path)
        assert "\n" not in str(error.value)
        assert (site_dirs.MEDIA_ROOT / "images" / "already-here.png").read_bytes() == b"the site's own picture"

    return check


def test_a_missing_file_is_refused(refused, tmp_path):
    refused(tmp_path / "nowhere.tar.gz", "does not exist")


def test_a_file_that_is_not_an_archive_is_refused(refused, tmp_path):
    (tmp_path / "notes.tar.gz").write_text("my shopping list")

    refused(tmp_path / "notes.tar.gz", "is not a Steady Ground backup")


def test_a_truncated_archive_is_refused(refused, tmp_path):
    big = [tar_member("media/images/photo.png", bytes(range(256)) * 4000)]
    make_archive(tmp_path / "whole.tar.gz", manifest=valid_manifest(), members=[*big, database_member()])
    whole = (tmp_path / "whole.tar.gz").read_bytes()
    (tmp_path / "cut.tar.gz").write_bytes(whole[: len(whole) // 2])

    refused(tmp_path / "cut.tar.gz", "is not a Steady Ground backup")


@pytest.mark.parametrize("where", [0.5, -8], ids=["inside", "checksum"])
def test_a_corrupted_archive_is_refused(refused, tmp_path, where):
    make_archive(tmp_path / "b.tar.gz", manifest=valid_manifest())
    data = bytearray((tmp_path / "b.tar.gz").read_bytes())
    data[int(len(data) * where) if where > 0 else where] ^= 0xFF
    (tmp_path / "b.tar.gz").write_bytes(bytes(data))

    refused(tmp_path / "b.tar.gz", "is not a Steady Ground backup|manifest")


def test_a_damaged_database_is_refused_before_the_site_is_touched(refused, tmp_path):
    keeper = UserFactory(username="keeper")
    make_archive(tmp_path / "b.tar.gz", manifest=valid_manifest(), members=[database_member()])

    refused(tmp_path / "b.tar.gz", "The archive's database is not a")
    assert User.objects.filter(pk=keeper.pk).exists()


def test_a_tar_without_manifest_is_refused(refused, tmp_path):
    make_archive(tmp_path / "b.tar.gz", manifest=None)

    refused(tmp_path / "b.tar.gz", "no manifest.json")


def test_an_unreadable_manifest_is_refused(refused, tmp_path):
    make_archive(tmp_path / "b.tar.gz", manifest=b"{not json")

    refused(tmp_path / "b.tar.gz", "not readable JSON")


def test_an_unknown_format_version_is_refused(refused, tmp_path):
    make_archive(tmp_path / "b.tar.gz", manifest=valid_manifest(format=99))

    refused(tmp_path / "b.tar.gz", "format 99")


@pytest.mark.parametrize(
    "member",
    [
        tar_member("../evil", b"owned"),
        tar_member("media/../../evil", b"owned"),
        tar_member("/etc/evil", b"owned"),
    ],
    ids=["parent", "parent-inside-media", "absolute"],
)
def test_a_member_outside_the_archive_is_refused(refused, tmp_path, member):
    make_archive(tmp_path / "b.tar.gz", manifest=valid_manifest(), members=[database_member(), member])

    refused(tmp_path / "b.tar.gz", "outside the backup")
    assert not (tmp_path / "evil").exists()


@pytest.mark.parametrize(
    "member",
    [
        tar_member("media/link.png", type=tarfile.SYMTYPE, linkname="/etc/passwd"),
        tar_member("media/hard.png", type=tarfile.LNKTYPE, linkname="manifest.json"),
        tar_member("media/fifo", type=tarfile.FIFOTYPE),
    ],
    ids=["symlink", "hard-link", "fifo"],
)
def test_a_link_or_device_is_refused(refused, tmp_path, member):
    make_archive(tmp_path / "b.tar.gz", manifest=valid_manifest(), members=[database_member(), member])

    refused(tmp_path / "b.tar.gz", "not a plain file or folder")


def test_a_member_that_is_no_part_of_a_backup_is_refused(refused, tmp_path):
    members = [database_member(), tar_member("config/settings.py", b"DEBUG = True")]
    make_archive(tmp_path / "b.tar.gz", manifest=valid_manifest(), members=members)

    refused(tmp_path / "b.tar.gz", "not part of a backup")


def test_an_archive_without_its_database_is_refused(refused, tmp_path):
    make_archive(tmp_path / "b.tar.gz", manifest=valid_manifest(), members=[])

    refused(tmp_path / "b.tar.gz", "not a complete backup")


def test_an_archive_of_the_other_engine_is_refused(refused, tmp_path):
    make_archive(tmp_path / "b.tar.gz", manifest=valid_manifest(engine=other_engine()))

    refused(tmp_path / "b.tar.gz", "restore it into a site with the same engine")


def test_a_site_with_posts_is_not_overwritten_without_force(refused, tmp_path):
    PostFactory()
    make_archive(tmp_path / "b.tar.gz", manifest=valid_manifest())

    refused(tmp_path / "b.tar.gz", "already has posts or comments.*--force")
