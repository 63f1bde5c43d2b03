"""A refused comment in Chromium: the reader lands on the error summary, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_typing_delay(settings):
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 0


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_refused_comment_lands_focused_on_the_error_summary(live_server, open_page, demo_post, javascript):
    page = open_page(java_script_enabled=javascript, viewport={"width": 800, "height": 600})
    page.goto(f"{live_server.url}{demo_post.get_absolute_url()}")
    page.fill("#id_body", "Words I do not want to lose")
    page.fill("#id_email", "not-an-email")
    page.locator("#submit").click()
    page.wait_for_url("**/comments/post/")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.title().startswith("Error: ")
    expect(page.locator("#id_body")).to_have_value("Words I do not want to lose")
    name = page.locator("#id_name")
    summary.get_by_role("link", name="Please fill in your name.").click()
    expect(name).to_be_in_viewport()
    if javascript:
        expect(name).to_be_focused()
    # The browser logs the 400 answer itself; nothing else may be logged.
    assert page.console_errors and all("status of 400" in error for error in page.console_errors)
    page.console_errors.clear()
