"""Suite-wide pytest setup: the browser / live-server parts (app fixtures live beside each app's tests)."""

import os

import pytest

# pytest-django's live_server binds "localhost" by default; serve on 127.0.0.1 as `make run` does.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


def require_tool(available, reason):
    """Skip a test whose external tool (chromium, java, node_modules/...) is missing.

    Under CI (CI=true) a missing tool is a failure, never a skip.
    """
    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: every test tool must be installed, see .ci/run)", pytrace=False)
    pytest.skip(reason)


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


# Queries the navigation adds when its cache is cold: the page menu, five sidebar
# lists and the next scheduled post; a post's neighbours add older, newer, related.
NAVIGATION_QUERIES = 7
NEIGHBOUR_QUERIES = 3


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
