"""Benchmark: the article page with 4 and 2,000 threaded comments, and comment posting.

Runs against a throw-away SQLite database (or DATABASE_URL if set) with the
production code paths (DEBUG off, no debug toolbar), in one process through
Django's test client, so it measures Django + the database, not the network.

    .venv/bin/python bench/article.py            # default: 200 page views, 200 posts
    .venv/bin/python bench/article.py --views 50

Prints median, p95 and requests per second for each case.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django():
    os.environ.setdefault("DJANGO_VAR_DIR", tempfile.mkdtemp(prefix="blog-bench-"))
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    # Plain HTTP through the test client; the benchmark is not about TLS redirects.
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 0
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def timed(fn, count):
    samples = []
    for i in range(count):
        start = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - start)
    samples.sort()
    return {
        "n": count,
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1] * 1000, 2),
        "per_second": round(count / sum(samples), 1),
    }


def add_threaded_comments(post, total):
    """Bulk-add approved comments: a third top-level, the rest nested up to depth 5."""
    from comments.models import Comment

    made = []
    for i in range(total):
        parent = made[-1] if i % 3 and made[-1].depth < 5 else None
        comment = Comment.objects.create(
            post=post,
            parent=parent,
            author_name=f"Reader {i}",
            author_email=f"r{i}@example.com",
            body=f"<p>Comment {i}: thank you, this is helpful and kind.</p>",
            status=Comment.Status.APPROVED,
        )
        comment.place_in_thread()
        made.append(comment)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=200)
    parser.add_argument("--posts", type=int, default=200)
    args = parser.parse_args()
    setup_django()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from blog.antispam import form_timestamp
    from blog.models import Post
    from comments.models import Comment

    post = Post.objects.get(slug="dos-and-donts-when-your-partner-withdraws")
    url = post.get_absolute_url()
    client = Client()
    results = {}

    def view(_i):
        response = client.get(url)
        assert response.status_code == 200

    def queries():
        with CaptureQueriesContext(connection) as captured:
            view(0)
        return len(captured)

    view(0)  # warm up templates and connections
    results["article, 4 comments"] = {**timed(view, args.views), "queries": queries()}
    add_threaded_comments(post, 2000 - 4)
    count = Comment.objects.approved().filter(post=post).count()
    view(0)
    size = len(client.get(url).content)
    results[f"article, {count} comments"] = {**timed(view, args.views), "queries": queries(), "html_kb": size // 1024}

    def send(i):
        response = client.post(
            "/comments/post/",
            {
                "body": f"Benchmark comment {i}",
                "name": f"Bench {i}",
                "email": f"bench{i}@example.com",
                "post": post.pk,
                "parent": 0,
                "ts": form_timestamp(post.pk, now=time.time() - 60),
            },
            REMOTE_ADDR=f"10.9.{i // 250}.{i % 250}",
        )
        assert response.status_code == 303, response.status_code

    results["POST /comments/post/ (with 2,000 comments on the post)"] = timed(send, args.posts)

    engine = connection.vendor
    print(f"database: {engine}, python {sys.version.split()[0]}")
    for name, numbers in results.items():
        print(f"{name:55} " + "  ".join(f"{k}={v}" for k, v in numbers.items()))


if __name__ == "__main__":
    main()
