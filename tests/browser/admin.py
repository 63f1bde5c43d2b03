"""What the browser tests of the admin share: logging in, the editor's hooks, CSP violations, uploads."""

import mimetypes
from pathlib import Path

from django.conf import settings
from playwright.sync_api import expect

# The factories' password (tests/factories.py, UserFactory).
PASSWORD = "correct horse battery staple"
# The visual editor's editable area (its block-type picker holds another .ProseMirror).
EDITABLE = ".ProseMirror[contenteditable=true]"

# Record every CSP violation of the page (they are console errors too, which the conftest refuses).
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def log_in(page, live_server, username, next_url="/admin/"):
    """Log in through the admin's own form, as a person does."""
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()


def serve_media(page):
    """The live server does not serve uploads (DEBUG is off, as in production): answer /media/ from MEDIA_ROOT."""

    def answer(route):
        name = route.request.url.split("/media/", 1)[1].split("?", 1)[0]
        path = Path(settings.MEDIA_ROOT) / name
        if not path.is_file():
            return route.fulfill(status=404, body="")
        return route.fulfill(status=200, body=path.read_bytes(), content_type=mimetypes.guess_type(name)[0])

    page.route("**/media/**", answer)
