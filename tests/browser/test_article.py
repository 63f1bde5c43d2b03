"""The demo article in a real browser (headless Chromium), with and without JavaScript."""

import pytest

from tests.demo import ARTICLE, HEADINGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Do’s And Don’ts When Your Partner Withdraws"
SECTIONS = HEADINGS  # the ten section titles of the seed


def assert_article(page):
    assert page.locator("h1.entry-title").inner_text().strip() == TITLE
    headings = [text.strip() for text in page.locator(".entry-content h2").all_inner_texts()]
    assert headings == SECTIONS


def test_article_page_shows_title_and_all_sections(live_server, demo_post, page):
    response = page.goto(live_server.url + ARTICLE)
    assert response.status == 200
    assert page.title().startswith(TITLE)
    assert page.locator(f"article#post-{demo_post.pk}").count() == 1
    assert_article(page)
    page.wait_for_load_state("networkidle")
    assert page.external_requests() == []
    assert page.console_errors == []
    assert page.page_errors == []


def test_front_page_links_to_the_article(live_server, demo_post, page):
    page.goto(live_server.url + "/")
    link = page.locator("h2.entry-title a", has_text=TITLE)
    assert link.count() == 1
    link.click()
    page.wait_for_url(live_server.url + ARTICLE)
    assert_article(page)
    page.wait_for_load_state("networkidle")
    assert page.external_requests() == []
    assert page.console_errors == []


def test_article_works_without_javascript(live_server, demo_post, open_page):
    page = open_page(java_script_enabled=False)
    response = page.goto(live_server.url + ARTICLE)
    assert response.status == 200
    assert_article(page)
    page.goto(live_server.url + "/")
    page.locator("main .entry-title").get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(live_server.url + ARTICLE)
    assert_article(page)
    assert page.external_requests() == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_search_button_is_level_with_its_field(live_server, demo_post, open_page, width):
    page = open_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + "/search/?q=nothing-like-this")
    forms = page.locator("form.search-form")
    assert forms.count() == 2  # the search page's own and the footer's
    for form in forms.all():
        field = form.locator("input[type=search]").bounding_box()
        button = form.get_by_role("button", name="Search").bounding_box()
        assert abs(field["y"] - button["y"]) <= 1 and abs(field["height"] - button["height"]) <= 1, (field, button)
        assert button["x"] > field["x"] + field["width"]  # beside it, not under it
