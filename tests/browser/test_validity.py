"""HTML validity (Nu Html Checker, vnu) and accessibility (axe-core) of the rendered pages.

Both tools come from npm (package.json: vnu-jar, axe-core, installed by `make test`);
vnu runs on the system java, once per session, as a local HTTP service.
"""

import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from tests.tools import NODE_MODULES, require_tool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE_URL = "/2017/03/06/dos-and-donts-when-your-partner-withdraws/"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
VNU_START_TIMEOUT = 90


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def vnu():
    """Base URL of a Nu Html Checker service on 127.0.0.1, started once and stopped by its PID."""
    java = shutil.which("java")
    require_tool(java, "java not found (apt-get install default-jre-headless)")
    require_tool(VNU_JAR.is_file(), f"{VNU_JAR} missing (run `npm ci` or `make test`)")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [java, "-Xss8m", "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", str(VNU_JAR)]
            + ["nu.validator.servlet.Main", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_answering(url, process, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_answering(url, process, log):
    deadline = time.monotonic() + VNU_START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                output = log.read().decode(errors="replace")[-3000:]
                pytest.fail(f"vnu did not start on {url} (exit code {process.poll()}):\n{output}", pytrace=False)
            time.sleep(0.25)


def fetch(url):
    """(status, body bytes) of a GET, without raising on 4xx."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def vnu_errors(vnu_url, html):
    request = urllib.request.Request(
        vnu_url + "?out=json", data=html, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        messages = json.load(response)["messages"]
    return [message for message in messages if message["type"] in ("error", "non-document-error")]


def describe_vnu(errors):
    return "\n".join(
        f"line {m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m['message']}  [{m.get('extract', '').strip()}]"
        for m in errors
    )


# One page of each type the site serves to readers.
PAGES = {
    "front-page": "/",
    "article": ARTICLE_URL,
    "article-replying": ARTICLE_URL + "?replytocom=1",
    "share-by-email": ARTICLE_URL + "share/",
    "category": "/category/relationships/",
    "tag": "/tag/boundaries/",
    "author": "/author/blogauthor/",
    "month": "/2017/03/",
    "search": "/search/?q=partner",
    "page": "/about/",
}


@pytest.mark.parametrize(
    ("path", "status"),
    [*((path, 200) for path in PAGES.values()), ("/no-such-page/here/", 404)],
    ids=[*PAGES, "404"],
)
def test_html_is_valid(live_server, demo_post, vnu, path, status):
    got, html = fetch(live_server.url + path)
    assert got == status
    errors = vnu_errors(vnu, html)
    assert not errors, f"Nu Html Checker found {len(errors)} error(s) in {path}:\n{describe_vnu(errors)}"


REFUSED_COMMENTS = {
    "missing-fields": {"name": "", "email": "not-an-email"},
    "tampered-parent": {"parent": "abc"},
    "unknown-parent": {"parent": "987654"},
}


@pytest.mark.parametrize("changes", list(REFUSED_COMMENTS.values()), ids=list(REFUSED_COMMENTS))
def test_refused_comment_page_is_valid(client, demo_post, vnu, changes):
    """The article shown again at /comments/post/ after a refused comment (400), errors and all."""
    from blog.antispam import form_timestamp

    data = {
        "body": "Words to keep",
        "name": "Robin Reader",
        "email": "robin@example.com",
        "post": demo_post.pk,
        "parent": 0,
        "ts": form_timestamp(demo_post.pk, now=time.time() - 60),
        **changes,
    }
    response = client.post("/comments/post/", data, REMOTE_ADDR="203.0.113.30")
    assert response.status_code == 400
    assert b'class="error-summary"' in response.content
    errors = vnu_errors(vnu, response.content)
    assert not errors, f"Nu Html Checker found {len(errors)} error(s):\n{describe_vnu(errors)}"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_refused_comment_page_has_no_accessibility_violations(live_server, demo_post, open_page, color_scheme):
    """axe on the article shown again with the error summary and the errors beside the fields."""
    require_tool(AXE_JS.is_file(), f"{AXE_JS} missing (run `npm ci` or `make test`)")
    page = open_page(bypass_csp=True, color_scheme=color_scheme)
    page.goto(live_server.url + ARTICLE_URL)
    page.fill("#id_body", "Words to keep")
    page.fill("#id_email", "not-an-email")
    page.locator("#submit").click()
    page.wait_for_url("**/comments/post/")
    assert page.locator(".error-summary").count() == 1
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = results["violations"]
    assert not violations, f"axe found {len(violations)} violation(s) ({color_scheme}):\n" + describe_axe(violations)
    assert all("status of 400" in error for error in page.console_errors)
    page.console_errors.clear()


def test_post_only_page_is_valid(client, db, vnu):
    response = client.get("/comments/post/")
    assert response.status_code == 405
    errors = vnu_errors(vnu, response.content)
    assert not errors, f"Nu Html Checker found {len(errors)} error(s):\n{describe_vnu(errors)}"


def describe_axe(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '')}".rstrip())
    return "\n".join(lines)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_no_accessibility_violations(live_server, demo_post, open_page, path, color_scheme):
    require_tool(AXE_JS.is_file(), f"{AXE_JS} missing (run `npm ci` or `make test`)")
    # The site's CSP forbids inline script; axe is injected, so this context bypasses CSP.
    page = open_page(bypass_csp=True, color_scheme=color_scheme)
    response = page.goto(live_server.url + path)
    assert response.status == 200
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = results["violations"]
    assert not violations, f"axe found {len(violations)} violation(s) on {path} ({color_scheme}):\n" + describe_axe(
        violations
    )
