"""`PORT=8401 make run`: every absolute link the site makes points at the port being served.

As `make run` runs it: DEBUG on, no SITE_URL, the development server on 127.0.0.1:$PORT.
"""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import unquote

import pytest

from tests.demo import ARTICLE
from tests.production_stack import ROOT, free_port


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "SITE_", "EMAIL_"))}
    environ |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "PORT": str(port),
        "EMAIL_URL": "dummy:",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, check=True, capture_output=True
        )

    manage("migrate", "--noinput", "-v0")
    manage("seed_demo")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def fetch(url):
    return urllib.request.urlopen(url, timeout=10).read().decode()


def test_the_article_points_at_the_port_it_is_served_on(served):
    html = fetch(served + ARTICLE)
    permalink = served + ARTICLE
    assert f'<link rel="canonical" href="{permalink}">' in html
    assert f'<meta property="og:url" content="{permalink}">' in html
    assert f'data-copy="{permalink}"' in html
    assert not re.search(r"127\.0\.0\.1:8000|localhost:8000", html)


def test_share_redirects_and_feeds_carry_the_port(served):
    share = re.search(r'href="([^"]+/share/x/)"', fetch(served + ARTICLE)).group(1)
    opener = urllib.request.build_opener(NoRedirects)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(served + share if share.startswith("/") else share, timeout=10)
    assert redirect.value.code == 302
    assert unquote(redirect.value.headers["Location"]).count(served + ARTICLE) == 1
    for feed in ("/feed/", "/feed/atom/", ARTICLE + "feed/"):
        xml = fetch(served + feed)
        assert served + ARTICLE in xml, feed
        assert ":8000" not in xml, feed
