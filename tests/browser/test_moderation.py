"""A moderator approves a held comment from the admin in Chromium, and readers then see it."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def test_moderator_filters_pending_and_approves_with_the_bulk_action(live_server, page, demo_post):
    moderator = UserFactory(username="moderator", is_staff=True)
    moderator.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_comment", "change_comment", "moderate_comment", "moderate_all_comments"]
        )
    )
    held = CommentFactory(
        post=demo_post, status="pending", author_name="Quiet Reader", body="<p>Held for a human.</p>"
    )

    page.goto(f"{live_server.url}{demo_post.get_absolute_url()}")
    expect(page.locator("#comments")).not_to_contain_text("Held for a human.")

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "moderator")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".pending-comments")).to_contain_text("1 comment waiting for moderation")

    page.goto(f"{live_server.url}/admin/comments/comment/")
    page.get_by_role("link", name="Pending (1)").click()
    page.wait_for_url("**status=pending**")
    row = page.locator("#result_list tbody tr", has_text="Quiet Reader")
    expect(row).to_have_count(1)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "approve")
    page.locator("button[name=index]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")

    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED
    page.goto(f"{live_server.url}{demo_post.get_absolute_url()}")
    expect(page.locator(f"#comment-{held.pk}")).to_contain_text("Held for a human.")
    expect(page.locator("#comments-title")).to_have_text("5 thoughts on “Do’s And Don’ts When Your Partner Withdraws”")
