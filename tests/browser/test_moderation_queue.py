"""The comment queue in Chromium: it fits a laptop and a phone, its row actions show on hover,
on keyboard focus and on touch, Reply and Quick Edit open under the row, and each view is valid
HTML with no accessibility violations."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.admin import log_in
from tests.browser.test_validity import AXE_JS, AXE_TAGS, describe_axe, describe_vnu, vnu, vnu_errors  # noqa: F401
from tests.comments.test_admin import COMMENT_PERMS, staff
from tests.factories import CommentFactory
from tests.tools import require_tool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "/admin/comments/comment/"
VIEWS = {
    "all": "",
    "mine": "?status=mine",
    "pending": "?status=pending",
    "approved": "?status=approved",
    "spam": "?status=spam",
    "trash": "?status=trash",
}
LAPTOP = {"viewport": {"width": 1280, "height": 800}}
SMALL_LAPTOP = {"viewport": {"width": 1024, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}

# Every element that could be scrolled sideways (its content wider than its box, and not
# clipped on purpose as the screen-reader-only text is), and the page itself.
SIDEWAYS = """() => {
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) found.push(`the page: ${root.scrollWidth} > ${root.clientWidth}`);
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".visually-hidden")) continue;
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth) {
      found.push(`${el.tagName.toLowerCase()}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
  }
  return found;
}"""


@pytest.fixture
def moderator(demo_post):
    """A moderator who also wrote the demo article (so "Mine" has rows), without superuser rights."""
    user = staff(*COMMENT_PERMS, "moderate_all_comments", username="moderator", first_name="Mo", last_name="Derator")
    demo_post.author = user
    demo_post.save(update_fields=["author"])
    return user


@pytest.fixture
def queue(demo_post, moderator):
    """The demo's four approved comments plus one of each other status, and the awkward ones:
    a long unbroken word, a very long site address, a reply, a reason for holding."""
    held = CommentFactory(
        post=demo_post,
        status=Comment.Status.PENDING,
        author_name="Quick Paster",
        author_url="https://www.example.com/" + "a-very-long-path/" * 8,
        body="<p>" + "Supercalifragilistic" * 12 + " and then some ordinary words to wrap.</p>",
        moderation_reason="Sent very quickly after the page loaded.",
    )
    CommentFactory(post=demo_post, parent=held, status=Comment.Status.PENDING, author_name="Second Thought")
    CommentFactory(post=demo_post, status=Comment.Status.SPAM, author_name="Cheap Pills")
    CommentFactory(post=demo_post, status=Comment.Status.TRASH, author_name="Regretted")
    return held


def open_queue(open_page, live_server, view="all", **context):
    page = open_page(**context)
    log_in(page, live_server, "moderator", QUEUE + VIEWS[view])
    return page


def comment_row(page, author):
    """The table row of one comment (not an inline Reply or Quick Edit row under it)."""
    author_name = page.locator(".comment-author").get_by_text(author, exact=True)
    return page.locator("#result_list tbody tr:not(.comment-inline-row)", has=author_name)


def on_screen(page, locator):
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def opacity(locator):
    return locator.evaluate("element => getComputedStyle(element).opacity")


@pytest.mark.parametrize("context", [SMALL_LAPTOP, LAPTOP, PHONE], ids=["1024x768", "1280x800", "390x844"])
@pytest.mark.parametrize("view", ["all", "pending", "spam", "trash"])
def test_the_queue_fits_without_scrolling_sideways(live_server, open_page, queue, context, view):
    page = open_queue(open_page, live_server, view, **context)
    expect(page.locator("#result_list tbody tr").first).to_be_visible()
    assert page.evaluate(SIDEWAYS) == []
    for row in page.locator("#result_list tbody tr").all():
        row.hover() if not context.get("has_touch") else row.scroll_into_view_if_needed()
        for action in row.locator(".row-action").all():
            assert on_screen(page, action), f"{action.text_content()} is off screen at {context['viewport']}"
            assert opacity(action.locator("xpath=..")) == "1"


def test_the_queue_shows_what_a_moderator_needs_in_each_row(live_server, open_page, queue):
    page = open_queue(open_page, live_server, "pending", **LAPTOP)
    reply = comment_row(page, "Second Thought")
    expect(reply.locator(".in-reply-to")).to_have_text("In reply to Quick Paster")
    held = comment_row(page, "Quick Paster")
    expect(held.locator(".why-held")).to_have_text("Why held: Sent very quickly after the page loaded.")
    expect(held.locator(".comment-author-card a[rel~=nofollow]")).to_have_text("example.com/a-very-long-path/a-…")
    expect(held.locator(".comment-author-card")).to_contain_text(queue.author_email)
    expect(held.locator(".field-post_column")).to_contain_text("Do’s And Don’ts When Your Partner Withdraws")
    submitted = queue.created_at.isoformat(timespec="seconds")
    expect(held.locator(".submitted-on time")).to_have_attribute("datetime", submitted)
    names = [name.strip() for name in held.locator(".row-action").all_text_contents()]
    assert names == ["Approve", "Spam", "Trash", "Reply", "Quick Edit"]


def test_row_actions_wait_for_hover_or_focus_on_a_laptop_and_are_always_there_on_touch(live_server, open_page, queue):
    page = open_queue(open_page, live_server, "pending", **LAPTOP)
    page.mouse.move(0, 0)
    actions = comment_row(page, "Quick Paster").locator(".row-actions")
    assert opacity(actions) == "0"
    comment_row(page, "Quick Paster").hover()
    assert opacity(actions) == "1"
    page.mouse.move(0, 0)
    assert opacity(actions) == "0"

    # The keyboard: Tab from the row's checkbox reaches its actions, which show while focused.
    comment_row(page, "Quick Paster").locator("input.action-select").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('row-action')"):
            break
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.closest('tr').innerText]")
    assert focused[0] == "Approve" and "Quick Paster" in focused[1]
    assert opacity(actions) == "1"
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    queue.refresh_from_db()
    assert queue.status == Comment.Status.APPROVED

    phone = open_queue(open_page, live_server, "pending", **PHONE)
    assert opacity(comment_row(phone, "Second Thought").locator(".row-actions")) == "1"


def test_reply_inline_publishes_under_the_comment_and_approves_it(live_server, open_page, queue):
    page = open_queue(open_page, live_server, "pending", **LAPTOP)
    row = comment_row(page, "Quick Paster")
    row.hover()
    row.get_by_role("link", name="Reply — Quick Paster").click()
    inline = page.locator("tr.comment-inline-row")
    expect(inline).to_have_count(1)
    textarea = inline.get_by_label("Your reply")
    expect(textarea).to_be_focused()
    assert page.url.endswith(QUEUE + "?status=pending")  # still the queue, not the reply page
    # Cancel closes it and gives the focus back to the link.
    inline.get_by_role("button", name="Cancel").click()
    expect(inline).to_have_count(0)
    expect(row.get_by_role("link", name="Reply — Quick Paster")).to_be_focused()

    page.keyboard.press("Enter")
    inline.get_by_label("Your reply").fill("Thank you for waiting: here it is.")
    inline.get_by_role("button", name="Publish reply").click()
    expect(page.locator(".messagelist")).to_contain_text("Your reply was published.")
    assert page.url.endswith(QUEUE + "?status=pending")
    reply = Comment.objects.get(parent=queue, user__username="moderator")
    assert reply.status == Comment.Status.APPROVED
    assert "Thank you for waiting" in reply.body
    queue.refresh_from_db()
    assert queue.status == Comment.Status.APPROVED


def test_quick_edit_inline_changes_the_row(live_server, open_page, queue):
    page = open_queue(open_page, live_server, "pending", **LAPTOP)
    row = comment_row(page, "Second Thought")
    row.hover()
    row.get_by_role("link", name="Quick Edit — Second Thought").click()
    inline = page.locator("tr.comment-inline-row")
    expect(inline.get_by_label("Name")).to_be_focused()
    inline.get_by_label("Name").fill("Third Thought")
    inline.get_by_role("button", name="Update Comment").click()
    expect(page.locator(".messagelist")).to_contain_text("The comment was updated.")
    expect(comment_row(page, "Third Thought")).to_have_count(1)
    assert Comment.objects.filter(author_name="Third Thought").count() == 1


def test_without_javascript_reply_is_a_page_of_its_own(live_server, open_page, queue):
    page = open_queue(open_page, live_server, "pending", java_script_enabled=False, **LAPTOP)
    row = comment_row(page, "Quick Paster")
    row.get_by_role("link", name="Reply — Quick Paster").click()
    page.wait_for_url(f"**{QUEUE}{queue.pk}/reply/?next=**")
    expect(page.locator(".breadcrumbs")).to_be_visible()
    page.get_by_label("Your reply").fill("Replying with scripts off.")
    page.get_by_role("button", name="Publish reply").click()
    expect(page.locator(".messagelist")).to_contain_text("Your reply was published.")
    assert page.url.endswith(QUEUE + "?status=pending")  # back where the moderator was
    assert Comment.objects.filter(parent=queue, body__contains="scripts off").exists()


def test_empty_spam_asks_first_then_deletes_only_spam(live_server, open_page, queue):
    page = open_queue(open_page, live_server, "spam", **LAPTOP)
    page.get_by_role("link", name="Empty Spam").click()
    page.get_by_role("button", name="Yes, delete them permanently").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment deleted permanently.")
    assert not Comment.objects.filter(status=Comment.Status.SPAM).exists()
    assert Comment.objects.filter(status=Comment.Status.TRASH).count() == 1


@pytest.mark.parametrize("view", list(VIEWS))
def test_each_queue_view_is_valid_html(client, queue, moderator, vnu, view):  # noqa: F811
    client.force_login(moderator)
    response = client.get(QUEUE + VIEWS[view])
    assert response.status_code == 200
    assert b'class="row-actions"' in response.content
    errors = vnu_errors(vnu, response.content)
    assert not errors, f"Nu Html Checker found {len(errors)} error(s) in the {view} view:\n{describe_vnu(errors)}"


@pytest.mark.parametrize("view", list(VIEWS))
def test_each_queue_view_has_no_accessibility_violations(live_server, open_page, queue, view):
    require_tool(AXE_JS.is_file(), f"{AXE_JS} missing (run `npm ci` or `make test`)")
    page = open_queue(open_page, live_server, view, bypass_csp=True, **LAPTOP)
    expect(page.locator("#result_list")).to_be_visible()
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = results["violations"]
    assert not violations, f"axe found {len(violations)} violation(s) in the {view} view:\n" + describe_axe(violations)
