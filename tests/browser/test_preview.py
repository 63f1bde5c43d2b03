"""An author previews unsaved edits in Chromium, then sends a reviewer a signed preview link."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from blog.models import Post
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def watch(context):
    """Console errors, uncaught exceptions and off-site requests of every tab of ``context``.

    Listened to on the context, so the tabs the form opens (formtarget=_blank) are watched
    from their very first message.
    """
    problems = []
    context.on("console", lambda message: message.type == "error" and problems.append(message.text))
    context.on("weberror", lambda error: problems.append(str(error.error)))
    context.on("request", lambda request: "127.0.0.1" not in request.url and problems.append(request.url))
    return problems


def test_author_previews_unsaved_edits_in_a_new_tab_and_shares_a_link(live_server, page, open_page):
    author = UserFactory(username="writer", is_staff=True)
    # An Author's rights on posts (transactional tests empty the tables, groups made by migrations too).
    author.user_permissions.set(
        Permission.objects.filter(codename__in=["add_post", "change_post", "view_post", "publish_post"])
    )
    post = PostFactory(author=author, title="Saved title", status=Post.Status.DRAFT, published_at=None)

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "writer")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/blog/post/{post.pk}/change/")
    problems = watch(page.context)
    page.fill("#id_title", "Unsaved new title")

    with page.context.expect_page() as opened:
        page.locator("input[name=_preview]").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("Preview — not published")
    expect(preview.locator("h1.entry-title")).to_have_text("Unsaved new title")
    expect(preview.locator('meta[name="robots"]')).to_have_attribute("content", "noindex, nofollow")
    assert problems == []
    # The edits are still in the form, unsaved.
    expect(page.locator("#id_title")).to_have_value("Unsaved new title")
    post.refresh_from_db()
    assert (post.title, post.status) == ("Saved title", Post.Status.DRAFT)

    with page.context.expect_page() as opened:
        page.locator("input[name=_preview_link]").click()
    link_page = opened.value
    link = link_page.locator("#preview-link").input_value()
    assert "/preview/" in link
    assert problems == []

    reviewer = open_page()  # no account, a fresh browser context
    reviewer.goto(link.replace(settings.SITE_URL, live_server.url))  # links are made on SITE_URL
    expect(reviewer.locator(".preview-banner")).to_be_visible()
    expect(reviewer.locator("h1.entry-title")).to_have_text("Saved title")
