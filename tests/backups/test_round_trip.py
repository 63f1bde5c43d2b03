"""Back up, wipe, restore: the real site (DEBUG off, gunicorn) shows the same posts, comments and images.

Every step is a process as the operator runs it: ``migrate``, ``collectstatic`` and ``seed_demo``,
a picture and comments added, ``manage.py backup`` while gunicorn serves, the database and the
media wiped, ``manage.py restore``, gunicorn started again. On SQLite the site's file in a var/
of its own; on PostgreSQL (when DATABASE_URL points at one) a scratch database, dropped after.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from tests.production_stack import ROOT, ProductionStack, free_port

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = urlsplit(DATABASE_URL).scheme in {"postgres", "postgresql", "pgsql"}

ADD_CONTENT = """
from blog.models import Post
from tests.factories import CommentFactory, ImageFactory
post = Post.objects.get()
post.featured_image = ImageFactory(alt="A lighthouse at dusk", uploaded_by=post.author)
post.save(update_fields=["featured_image"])
CommentFactory(post=post, author_name="Robin Restored", author_email="robin@example.com")
CommentFactory(post=post, author_name="Held Back", author_email="held@example.com", status="pending")
print(post.get_absolute_url())
"""

ROWS = """
import json
from comments.models import Comment
print(json.dumps([[c.author_name, c.author_email, c.status, c.body] for c in Comment.objects.order_by("pk")]))
"""


class SQLiteSite:
    engine = "sqlite"

    def __init__(self, tmp_path):
        self.stack = ProductionStack(tmp_path / "var", email_port=free_port(), EMAIL_URL="dummy:")

    def wipe(self):
        for suffix in ("", "-wal", "-shm"):
            (self.stack.var_dir / f"db.sqlite3{suffix}").unlink(missing_ok=True)
        shutil.rmtree(self.stack.var_dir / "media")

    def close(self):
        pass


class PostgreSQLSite:
    """A scratch database on the server of DATABASE_URL: wiped by dropping and creating it again."""

    engine = "postgresql"

    def __init__(self, tmp_path):
        self.name = f"backup_round_trip_{secrets.token_hex(4)}"
        self.admin_url = DATABASE_URL
        self._sql(f'CREATE DATABASE "{self.name}"')
        url = urlsplit(DATABASE_URL)._replace(path=f"/{self.name}").geturl()
        self.stack = ProductionStack(tmp_path / "var", email_port=free_port(), EMAIL_URL="dummy:", DATABASE_URL=url)

    def _sql(self, statement):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def wipe(self):
        self._sql(f'DROP DATABASE "{self.name}" WITH (FORCE)')
        self._sql(f'CREATE DATABASE "{self.name}"')
        shutil.rmtree(self.stack.var_dir / "media")

    def close(self):
        self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(
    params=[
        pytest.param(
            SQLiteSite, id="sqlite", marks=pytest.mark.skipif(ON_POSTGRES, reason="DATABASE_URL is PostgreSQL")
        ),
        pytest.param(
            PostgreSQLSite, id="postgresql", marks=pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL")
        ),
    ]
)
def site(request, tmp_path):
    site = request.param(tmp_path)
    site.stack.var_dir.mkdir()
    yield site
    site.stack.stop()
    site.close()


def what_readers_see(stack, url):
    """The post page's title, comments (ids and names), heading and pictures with their files' hashes."""
    page = stack.get(url)
    assert page.status == 200, page.text[:500]
    pictures = sorted(set(re.findall(r"/media/([^\"'\s,]+)", page.text)))
    return {
        "title": re.search(r'<h1 class="entry-title">(.*?)</h1>', page.text, re.S).group(1),
        "heading": re.search(r'<h2 [^>]*class="comments-title">(.*?)</h2>', page.text, re.S).group(1),
        "comments": re.findall(r'<li id="comment-(\d+)".*?<b class="fn">(.*?)</b>', page.text, re.S),
        "pictures": {
            name: hashlib.sha256((stack.var_dir / "media" / name).read_bytes()).hexdigest() for name in pictures
        },
    }


def run(stack, *args):
    """``manage.py`` as the operator runs it, whatever its exit code."""
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=stack.env, capture_output=True, text=True, check=False
    )


def test_backup_wipe_restore_shows_the_same_site(site, tmp_path):
    stack = site.stack
    stack.prepare()
    url = stack.manage("shell", "--no-imports", "-c", ADD_CONTENT).stdout.strip().splitlines()[-1]
    rows = stack.manage("shell", "--no-imports", "-c", ROWS).stdout
    stack.start_web(workers=1)  # the backup is taken while the site serves
    seen = what_readers_see(stack, url)
    backup = stack.manage("backup", "--output", str(tmp_path / "site.tar.gz")).stdout
    stack.stop()
    assert seen["heading"] == "5 thoughts on “Do’s And Don’ts When Your Partner Withdraws”"
    assert "Robin Restored" in [name for _id, name in seen["comments"]]
    assert len(seen["comments"]) == 5 and len(seen["pictures"]) > 1, seen
    assert f"Backup written: {tmp_path / 'site.tar.gz'}" in backup
    assert "DJANGO_SECRET_KEY" in backup  # production's key comes from the environment: not in the archive

    site.wipe()
    restored = stack.manage("restore", str(tmp_path / "site.tar.gz")).stdout

    assert "1 post, 6 comments, 1 image." in restored
    assert stack.manage("shell", "--no-imports", "-c", ROWS).stdout == rows  # the held comment and the emails too
    assert json.loads(rows)[-1][:3] == ["Held Back", "held@example.com", "pending"]
    stack.start_web(workers=1)
    assert what_readers_see(stack, url) == seen
    stack.stop()

    # Restoring again over the restored site: refused in one line, then replaced with --force.
    stack.manage("shell", "--no-imports", "-c", ADD_CONTENT)
    refused = run(stack, "restore", str(tmp_path / "site.tar.gz"))
    assert refused.returncode == 1
    assert refused.stderr.strip().startswith("CommandError: This site's database already has posts or comments")
    assert "Traceback" not in refused.stderr
    stack.manage("restore", str(tmp_path / "site.tar.gz"), "--force")
    assert stack.manage("shell", "--no-imports", "-c", ROWS).stdout == rows
    assert sorted(path.name for path in (stack.var_dir / "media").rglob("*") if path.is_file()) == sorted(
        path.rsplit("/", 1)[-1] for path in seen["pictures"]
    )
