"""Comments posted at the same moment are all stored, each exactly once."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from comments.models import Comment
from tests.factories import PostFactory, old_timestamp

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_fifty_comments_from_fifty_threads_are_all_stored_once():
    post = PostFactory()
    barrier = threading.Barrier(50)
    statuses, errors = [], []

    def send(i):
        try:
            client = Client()
            data = {
                "body": f"Concurrent comment {i}",
                "name": f"Reader {i}",
                "email": f"reader{i}@example.com",
                "post": post.pk,
                "parent": 0,
                "ts": old_timestamp(post.pk),
            }
            barrier.wait(timeout=30)
            statuses.append(client.post("/comments/post/", data, REMOTE_ADDR=f"10.0.{i // 250}.{i % 250}").status_code)
        except Exception as error:  # noqa: BLE001 - collected and reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert statuses == [303] * 50
    bodies = sorted(Comment.objects.filter(post=post).values_list("body", flat=True))
    assert bodies == sorted(f"<p>Concurrent comment {i}</p>" for i in range(50))
    # Paths are unique and complete, so the thread renders every comment once.
    assert Comment.objects.filter(post=post).values("path").distinct().count() == 50


@pytest.mark.django_db(transaction=True)
def test_two_identical_comments_sent_at_once_are_stored_once():
    post = PostFactory()
    barrier = threading.Barrier(2)
    statuses, errors = [], []
    data = {
        "body": "Pressed the button twice",
        "name": "Double Clicker",
        "email": "double@example.com",
        "post": post.pk,
        "parent": 0,
        "ts": old_timestamp(post.pk),
    }

    def send(ip):
        try:
            client = Client()
            barrier.wait(timeout=30)
            statuses.append(client.post("/comments/post/", data, REMOTE_ADDR=ip).status_code)
        except Exception as error:  # noqa: BLE001 - collected and reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(ip,)) for ip in ("198.51.100.1", "198.51.100.2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    # One is stored; the other is told it is a duplicate (not a flood: the text is the same).
    assert sorted(statuses) == [303, 409]
    stored = Comment.objects.filter(post=post).values_list("body", flat=True)
    assert list(stored) == ["<p>Pressed the button twice</p>"]


WORKER = """
import sys, django
django.setup()
from blog.models import Post
from comments import services
post = Post.objects.get(slug="dos-and-donts-when-your-partner-withdraws")
worker = int(sys.argv[1])
for i in range(10):
    services.comment_create(
        post=post, body=f"process {worker} comment {i}", author_name=f"P{worker}",
        author_email=f"p{worker}-{i}@example.com", ip_address=None,
    )
"""


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the multi-process check is about SQLite")
def test_several_processes_writing_to_one_sqlite_file_lose_nothing(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_VAR_DIR": str(tmp_path),
    }
    python = sys.executable
    for command in (["migrate", "-v0"], ["seed_demo"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    workers = [
        subprocess.Popen([python, "-c", WORKER, str(n)], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for n in range(4)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    count = subprocess.run(
        [python, "manage.py", "shell", "-c", "from comments.models import Comment; print(Comment.objects.count())"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert count.stdout.strip().splitlines()[-1] == str(4 + 4 * 10)
