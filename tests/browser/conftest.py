"""Headless Chromium (Python Playwright, the system browser) against pytest-django's live server.

Fixtures:
  browser    one Chromium per test session
  open_page  factory: open_page(**context_options) -> Page in a fresh context, recorded
  page       open_page() with the default context
Every recorded page carries ``.requests`` (every URL requested), ``.console_errors``
(console messages of type "error"), ``.page_errors`` (uncaught exceptions) and
``.external_requests()``; after the test each page must have made no request off
127.0.0.1/localhost and logged no error.
"""

import io
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.tools import require_tool

# Playwright's sync API keeps an event loop in this thread, so Django sees a
# "running loop" and refuses ORM calls (SynchronousOnlyOperation) from the test
# and fixtures. Nothing here is really async: allow it, as usual for Playwright + Django.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    """$CHROME_PATH if set, else /usr/bin/chromium (Debian's package), else chromium on PATH; None if absent."""
    path = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return None if os.environ.get("CHROME_PATH") else shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    wanted = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
    require_tool(executable, f"Chromium not found at {wanted} (apt-get install chromium, or set CHROME_PATH)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def external_requests(page):
    """Requested URLs whose host is not 127.0.0.1/localhost (data:, blob:, about: are local)."""
    off_site = []
    for url in page.requests:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            off_site.append(url)
    return off_site


def _record(page):
    page.requests = []
    page.console_errors = []
    page.page_errors = []
    page.external_requests = lambda: external_requests(page)
    page.on("request", lambda request: page.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            message.type == "error" and page.console_errors.append(f"{message.text} at {message.location.get('url')}")
        ),
    )
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    return page


@pytest.fixture
def open_page(browser):
    contexts, pages = [], []

    def factory(**context_options):
        context = browser.new_context(**context_options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = _record(context.new_page())
        pages.append(page)
        return page

    yield factory
    problems = []
    for page in pages:
        problems += [f"request left 127.0.0.1: {url}" for url in page.external_requests()]
        problems += [f"console error: {text}" for text in page.console_errors]
        problems += [f"page error: {text}" for text in page.page_errors]
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def demo_post(transactional_db):
    """The demo article, loaded the way `manage.py seed_demo` loads it."""
    from blog.models import Post

    call_command("seed_demo", stdout=io.StringIO())
    return Post.objects.get(slug="dos-and-donts-when-your-partner-withdraws")
