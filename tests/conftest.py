"""Suite-wide pytest setup: the browser / live-server parts (app fixtures live beside each app's tests)."""

import os

import pytest

# pytest-django's live_server binds "localhost" by default; serve on 127.0.0.1 as `make run` does.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rendered comment lists, sessions in cache)."""
    from django.core.cache import caches

    for alias in ("default", "shared"):
        caches[alias].clear()
    yield


@pytest.fixture
def demo(db):
    """The demo article with its four comments, as `manage.py seed_demo` loads it."""
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def assert_page_queries(client, django_assert_max_num_queries):
    """Fetch a page twice: at most ``cold`` queries with empty caches, then at most ``warm``."""

    def check(url, *, warm, cold, **params):
        with django_assert_max_num_queries(cold):
            first = client.get(url, params)
        with django_assert_max_num_queries(warm):
            second = client.get(url, params)
        assert first.status_code == second.status_code == 200
        return second

    return check
