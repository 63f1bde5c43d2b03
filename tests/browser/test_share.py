"""The share bar in Chromium: names, copy link, Web Share, the email flow, no outside requests."""

import pytest
from playwright.sync_api import expect

from blog.models import Share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NETWORKS = ["X", "Facebook", "LinkedIn", "Reddit", "Bluesky", "WhatsApp", "Telegram"]


@pytest.fixture(autouse=True)
def no_typing_delay(settings):
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 0


def test_every_share_button_has_an_accessible_name(live_server, page, demo_post):
    page.goto(f"{live_server.url}{demo_post.get_absolute_url()}")
    bar = page.get_by_role("navigation", name=f"Share “{demo_post.title}”")
    for network in NETWORKS:
        link = bar.get_by_role("link", name=f"Share on {network}")
        expect(link).to_have_count(1)
        expect(link).to_have_attribute("href", demo_post.share_url(network.lower()))
    expect(bar.get_by_role("link", name="Share by email")).to_have_count(1)
    expect(bar.get_by_role("link", name="Copy link")).to_have_count(1)


def test_a_network_opens_in_a_new_tab_without_a_handle_on_the_article(live_server, page, demo_post):
    # The site's counting redirect is fetched for real, and not followed: nothing leaves 127.0.0.1.
    redirects = []

    def stop_at_the_redirect(route):
        answer = route.fetch(max_redirects=0)
        redirects.append((answer.status, answer.headers.get("location", "")))
        route.fulfill(status=200, body="on my way to the network")

    page.context.route("**/share/bluesky/", stop_at_the_redirect)
    page.goto(f"{live_server.url}{demo_post.get_absolute_url()}")
    link = page.locator(".share-bar").get_by_role("link", name="Share on Bluesky")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "nofollow noopener")
    with page.context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url == f"{live_server.url}{demo_post.share_url('bluesky')}"
    [(status, location)] = redirects
    assert status == 302 and location.startswith("https://bsky.app/intent/compose?text=")
    assert tab.evaluate("window.opener") is None
    assert page.url == f"{live_server.url}{demo_post.get_absolute_url()}"
    assert Share.objects.filter(network="bluesky").count() == 1


def test_copy_link_puts_the_permalink_on_the_clipboard(live_server, open_page, demo_post, settings):
    settings.SITE_URL = live_server.url
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}{demo_post.get_absolute_url()}")
    url_before = page.url
    page.locator(".share-bar .share-copy").click()
    status = page.locator(".share-bar .share-status")
    expect(status).to_have_text("Link copied")
    expect(status).to_be_visible()
    assert status.evaluate("element => element.getBoundingClientRect().height") > 0
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}{demo_post.get_absolute_url()}"
    assert page.url == url_before


def test_without_javascript_copy_link_is_the_permalink(live_server, open_page, demo_post, settings):
    settings.SITE_URL = live_server.url
    page = open_page(java_script_enabled=False)
    page.goto(f"{live_server.url}{demo_post.get_absolute_url()}")
    copy = page.locator(".share-bar .share-copy")
    expect(copy).to_have_attribute("href", f"{live_server.url}{demo_post.get_absolute_url()}")
    expect(page.locator(".share-native")).to_be_hidden()


def test_native_share_button_appears_only_with_web_share(live_server, open_page, demo_post):
    page = open_page()
    page.add_init_script("navigator.share = function () { window.__shared = true; return Promise.resolve(); };")
    page.goto(f"{live_server.url}{demo_post.get_absolute_url()}")
    button = page.locator(".share-bar").get_by_role("button", name="Share…")
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.__shared") is True


def test_share_by_email_thanks_the_reader(live_server, page, demo_post):
    page.goto(f"{live_server.url}{demo_post.get_absolute_url()}")
    page.locator(".share-bar").get_by_role("link", name="Share by email").click()
    page.get_by_label("Your name").fill("Sam Sender")
    page.get_by_label("Your email").fill("sam@example.com")
    page.get_by_label("Your friend’s email").fill("friend@example.org")
    page.get_by_label("Message (optional)").fill("For you.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"**{demo_post.get_absolute_url()}")
    expect(page.get_by_role("status").filter(has_text="Thank you for sharing!")).to_be_visible()
    assert Share.objects.filter(network="email").count() == 1
