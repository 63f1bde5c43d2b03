"""Migration 0012 moves each post's old featured image file into the media library.

Run in a child process on its own SQLite file: migrating backwards and forwards
inside the suite's database would empty the roles other tests rely on.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MIGRATE = """
from django.core.management import call_command
call_command("migrate", "blog", "{target}", verbosity=0)
"""

BEFORE = """
import io
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from PIL import Image

apps = MigrationLoader(connection).project_state(("blog", "0011_old_slugs")).apps
Post = apps.get_model("blog", "Post")
author = User.objects.create(username="old-author")
buffer = io.BytesIO()
Image.new("RGB", (1000, 500), "#8a3b12").save(buffer, "JPEG")
name = default_storage.save("featured/2025/01/cover.jpg", ContentFile(buffer.getvalue()))
common = dict(author_id=author.pk, body="<p>Hi</p>", status="draft")
Post.objects.create(title="With", slug="with", featured_image=name, featured_image_alt="An old cover",
                    featured_image_width=1000, featured_image_height=500, **common)
Post.objects.create(title="Gone", slug="gone", featured_image="featured/gone.png", **common)
Post.objects.create(title="Without", slug="without", **common)
"""

AFTER = """
import json
from django.db import connection
from django.db.migrations.loader import MigrationLoader
# The model as of 0012, not today's: later migrations add columns this database does not have yet.
Post = MigrationLoader(connection).project_state(("blog", "0012_images")).apps.get_model("blog", "Post")
rows = {}
for post in Post.objects.select_related("featured_image", "featured_image__uploaded_by"):
    image = post.featured_image
    rows[post.slug] = image and {
        "file": image.file.name, "alt": image.alt, "size": [image.width, image.height],
        "widths": sorted({r["width"] for r in image.renditions}), "social": bool(image.social_card),
        "uploaded_by": image.uploaded_by.username, "filesize": image.filesize,
    }
print(json.dumps(rows))
"""

UNDONE = """
import json
from django.db import connection
from django.db.migrations.loader import MigrationLoader
Post = MigrationLoader(connection).project_state(("blog", "0011_old_slugs")).apps.get_model("blog", "Post")
print(json.dumps({p.slug: [p.featured_image.name, p.featured_image_alt, p.featured_image_width]
                  for p in Post.objects.filter(slug__in=["with", "without"])}))
"""


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs on its own SQLite file")
def test_old_featured_images_become_library_images(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }

    def manage(*args):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    # One process for every step: Django starts once.
    script = "\n".join([MIGRATE.format(target="0011_old_slugs"), BEFORE, MIGRATE.format(target="0012_images"), AFTER])
    script += "\n".join(["", MIGRATE.format(target="0011_old_slugs"), UNDONE])
    rows, old = (json.loads(line) for line in manage("shell", "-c", script).strip().splitlines()[-2:])

    assert rows["without"] is None
    assert rows["with"] == {
        "file": "featured/2025/01/cover.jpg",
        "alt": "An old cover",
        "size": [1000, 500],
        "widths": [480, 960, 1000],
        "social": True,
        "uploaded_by": "old-author",
        "filesize": (tmp_path / "media/featured/2025/01/cover.jpg").stat().st_size,
    }
    # A file already missing still becomes a library image, with no renditions, and breaks nothing.
    assert rows["gone"]["widths"] == [] and rows["gone"]["alt"] == "Gone"

    # And back: the post's own columns again.
    assert old == {"with": ["featured/2025/01/cover.jpg", "An old cover", 1000], "without": ["", "", None]}
