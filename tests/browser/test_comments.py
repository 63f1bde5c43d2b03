"""Readers commenting in a real Chromium: reply/cancel with and without JavaScript, remember-me, XSS payloads."""

import re
import time
import warnings

import pytest
from playwright.sync_api import expect

from blog.antispam import form_timestamp
from comments import services
from comments.models import Comment
from comments.sanitize import sanitize_comment_html, sanitize_plain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_typing_delay(settings):
    # The anti-bot check wants a few seconds between showing and sending the form;
    # a test types instantly.
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 0


def article(live_server, post, query=""):
    return f"{live_server.url}{post.get_absolute_url()}{query}"


def fill_reader(page, name="Robin Reader", email="robin@example.com", url=""):
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    if url:
        page.fill("#id_url", url)


def test_reply_moves_the_form_under_the_comment_and_cancel_restores_it(live_server, page, demo_post):
    jenna = Comment.objects.get(author_name="Jenna")
    page.goto(article(live_server, demo_post))
    reply = page.locator(f'a.comment-reply-link[data-commentid="{jenna.pk}"]')
    expect(reply).to_have_accessible_name("Reply to Jenna")
    url_before = page.url

    reply.click()

    assert page.url == url_before  # no navigation
    assert page.evaluate(f"document.getElementById('div-comment-{jenna.pk}').nextElementSibling.id") == "respond"
    expect(page.locator("input[name=parent]")).to_have_value(str(jenna.pk))
    expect(page.locator("#reply-title")).to_contain_text("Reply to Jenna")
    expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
    expect(page.locator("#id_body")).to_be_focused()
    expect(page.locator("#respond [aria-live]")).to_contain_text("Reply to Jenna")

    page.locator("#cancel-comment-reply-link").click()

    assert page.url == url_before
    expect(page.locator("input[name=parent]")).to_have_value("0")
    expect(page.locator("#reply-title")).to_contain_text("Leave a Reply")
    expect(page.locator("#reply-title")).not_to_contain_text("Reply to Jenna")
    expect(page.locator("#cancel-comment-reply-link")).to_be_hidden()
    assert page.evaluate("document.querySelector('.comment-list').nextElementSibling.id") == "respond"


def test_reply_link_works_from_the_keyboard(live_server, page, demo_post):
    marcus = Comment.objects.get(author_name="Marcus")
    page.goto(article(live_server, demo_post))
    page.locator(f'a.comment-reply-link[data-commentid="{marcus.pk}"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("input[name=parent]")).to_have_value(str(marcus.pk))
    expect(page.locator("#id_body")).to_be_focused()


def test_posting_a_reply_with_javascript_lands_on_the_held_comment(live_server, page, demo_post):
    jenna = Comment.objects.get(author_name="Jenna")
    page.goto(article(live_server, demo_post))
    page.locator(f'a.comment-reply-link[data-commentid="{jenna.pk}"]').click()
    page.fill("#id_body", "Thank you both, this helped me too.")
    fill_reader(page)
    page.get_by_role("button", name="Post Comment").click()

    comment = Comment.objects.get(author_name="Robin Reader")
    page.wait_for_url(f"**?unapproved={comment.pk}&moderation-hash=*#comment-{comment.pk}")
    held = page.locator(f"#comment-{comment.pk}")
    expect(held.locator(".comment-awaiting-moderation")).to_have_text("Your comment is awaiting moderation.")
    assert comment.parent_id == jenna.pk
    # Nested under Jenna's thread.
    expect(page.locator(f"#comment-{jenna.pk} > ol.children > #comment-{comment.pk}")).to_have_count(1)


def test_without_javascript_reply_and_post_work(live_server, open_page, demo_post):
    page = open_page(java_script_enabled=False)
    marcus = Comment.objects.get(author_name="Marcus")
    page.goto(article(live_server, demo_post))
    page.locator(f'a.comment-reply-link[data-commentid="{marcus.pk}"]').click()

    page.wait_for_url(f"**?replytocom={marcus.pk}#respond")
    expect(page.locator("#reply-title")).to_contain_text("Leave a Reply to Marcus")
    expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
    expect(page.locator("input[name=parent]")).to_have_value(str(marcus.pk))

    page.fill("#id_body", "Posted without any script.")
    fill_reader(page)
    page.get_by_role("button", name="Post Comment").click()
    comment = Comment.objects.get(author_name="Robin Reader")
    page.wait_for_url(f"**#comment-{comment.pk}")
    expect(page.locator(f"#comment-{comment.pk} .comment-awaiting-moderation")).to_be_visible()
    assert comment.parent_id == marcus.pk


def test_without_javascript_reply_works_after_a_refused_comment(live_server, open_page, demo_post, settings):
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 0
    page = open_page(java_script_enabled=False)
    jenna = Comment.objects.get(author_name="Jenna")
    page.goto(article(live_server, demo_post))
    page.fill("#id_body", "Forgot my name.")
    page.fill("#id_email", "robin@example.com")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**/comments/post/")
    expect(page.locator("#id_name_error")).to_have_text("Please fill in your name.")

    # The page answering at /comments/post/ links back to the article.
    page.locator(f'a.comment-reply-link[data-commentid="{jenna.pk}"]').click()
    page.wait_for_url(f"{article(live_server, demo_post)}?replytocom={jenna.pk}#respond")
    expect(page.locator("#reply-title")).to_contain_text("Leave a Reply to Jenna")
    expect(page.locator("input[name=parent]")).to_have_value(str(jenna.pk))

    page.fill("#id_body", "Second try, as a reply.")
    fill_reader(page)
    page.get_by_role("button", name="Post Comment").click()
    comment = Comment.objects.get(author_name="Robin Reader")
    page.wait_for_url(f"**#comment-{comment.pk}")
    assert comment.parent_id == jenna.pk
    # Chromium logs the 400 status itself; that one is expected.
    assert all("status of 400" in error for error in page.console_errors)
    page.console_errors.clear()


def test_invalid_post_shows_errors_beside_fields_and_keeps_the_text(live_server, page, demo_post):
    page.goto(article(live_server, demo_post))
    page.fill("#id_body", "My words must survive.")
    page.fill("#id_email", "not-an-email")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    expect(page.locator("#id_name_error")).to_have_text("Please fill in your name.")
    expect(page.locator("#id_email_error")).to_have_text("Please enter a valid email address.")
    expect(page.locator("#id_body")).to_have_value("My words must survive.")
    expect(page.locator("#id_email")).to_have_value("not-an-email")
    expect(page.locator("#id_email")).to_have_attribute("aria-describedby", "email-notes id_email_error")
    assert Comment.objects.filter(author_name="").count() == 0
    # Chromium logs the 400 status itself; that one is expected.
    assert all("status of 400" in error for error in page.console_errors)
    page.console_errors.clear()


def test_remember_me_prefills_the_form_next_time(live_server, page, demo_post):
    page.goto(article(live_server, demo_post))
    page.fill("#id_body", "Remember me, please.")
    fill_reader(page, url="https://robin.example/")
    page.check("#id_remember")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**#comment-*")

    page.goto(article(live_server, demo_post))
    expect(page.locator("#id_name")).to_have_value("Robin Reader")
    expect(page.locator("#id_email")).to_have_value("robin@example.com")
    expect(page.locator("#id_url")).to_have_value("https://robin.example/")
    expect(page.locator("#id_remember")).to_be_checked()

    # Unticking forgets the details again.
    page.fill("#id_body", "Now forget me.")
    page.uncheck("#id_remember")
    Comment.objects.update(created_at=Comment.objects.first().created_at.replace(year=2020))
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**#comment-*")
    page.goto(article(live_server, demo_post))
    expect(page.locator("#id_name")).to_have_value("")
    expect(page.locator("#id_remember")).not_to_be_checked()


def xss_payloads():
    import brs_kb

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # brs_kb builds entries with utcnow()
        return [entry["payload"] for entry in brs_kb.get_all_payloads().values()]


def post_through_the_form(client, post, payloads):
    """Each payload as body and name through POST /comments/post/ (the real form and view), then approved.

    Distinct senders (address, email, form stamp), so neither the flood nor the duplicate check refuses them.
    """
    page = client.get(post.get_absolute_url()).content.decode()
    shown = dict(re.findall(r'<input type="hidden" name="(post|parent|ts)" value="([^"]*)"', page))
    assert set(shown) == {"post", "parent", "ts"}
    posted = []
    for i, payload in enumerate(payloads):
        # One stamp carries a few sends at most (a bot's replays are refused): each reader has their own.
        data = {**shown, "body": payload, "name": payload[:245], "email": f"payload{i}@example.com", "homepage": ""}
        data["ts"] = form_timestamp(post.pk, now=time.time() - 60)
        response = client.post("/comments/post/", data, REMOTE_ADDR=f"10.9.{i // 250}.{i % 250 + 1}")
        assert response.status_code == 303, (payload, response.status_code)
        posted.append(int(response["Location"].rsplit("#comment-", 1)[1]))
    stored = list(Comment.objects.filter(pk__in=posted))
    assert len(stored) == len(payloads)
    for comment in stored:
        if not comment.is_approved:
            services.comment_approve(comment=comment)
    return posted


def sample_for_the_form(payloads, every=20):
    """Every ``every``-th payload that the form takes (a text left after stripping) and that stays distinct
    once sanitised (else the duplicate check answers 409, rightly)."""
    sample, seen = [], set()
    for payload in payloads[::every]:
        key = (sanitize_comment_html(payload.strip()), sanitize_plain(payload[:245].strip()))
        if payload.strip() and payload[:245].strip() and key not in seen:
            seen.add(key)
            sample.append(payload)
    return sample


def test_no_xss_payload_executes_in_chromium(live_server, open_page, demo_post, client):
    """Every brs-kb payload as a comment body, name and website, on pages rendered by the site.

    Most are stored as comment_create stores them (the sanitisers run; no form
    validation); a sample (every 20th) goes through the whole posting path:
    POST /comments/post/ with the real form, the view and comment_create.

    The browser context bypasses the CSP, so only the sanitiser and escaping stand
    between the payloads and the reader.
    """
    payloads = xss_payloads()
    assert len(payloads) > 4000
    sample = sample_for_the_form(payloads)
    assert len(sample) > 150
    posted = post_through_the_form(client, demo_post, sample)
    root = Comment.objects.filter(post=demo_post, parent=None).first()
    comments = [
        Comment(
            post=demo_post,
            author_name=sanitize_plain(payload)[:245],
            author_url=sanitize_plain(payload)[:200],
            body=sanitize_comment_html(payload),
            status=Comment.Status.APPROVED,
            path="",
            depth=1,
        )
        for payload in payloads
    ]
    created = Comment.objects.bulk_create(comments, batch_size=500)
    for comment in created:
        comment.path, comment.depth, comment.thread_root = f"{comment.pk:010d}", 1, comment.pk
    Comment.objects.bulk_update(created, ["path", "depth", "thread_root"], batch_size=500)
    assert root is not None

    page = open_page(bypass_csp=True)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(
        "window.__xss = []; ['alert','confirm','prompt','print'].forEach(function (n) {"
        " window[n] = function () { window.__xss.push(n); }; });"
    )
    response = page.goto(article(live_server, demo_post), wait_until="load", timeout=120_000)
    assert response.status == 200
    page.wait_for_timeout(500)
    expect(page.locator("li.comment")).to_have_count(len(payloads) + len(posted) + 4, timeout=60_000)
    for pk in posted:
        assert page.locator(f"#comment-{pk}").count() == 1
    assert dialogs == []
    assert page.evaluate("window.__xss") == []
    assert (
        page.locator(
            ".comment-content script, .comment-content img, .comment-content iframe, "
            ".comment-content svg, .comment-author a[href^='javascript']"
        ).count()
        == 0
    )
    # The trap works: a real call is caught (so the empty lists above mean something).
    page.evaluate("alert('control')")
    assert page.evaluate("window.__xss") == ["alert"]
    # Payloads that try to load things never reach another host, and nothing logs an
    # error: the fixture checks both after the test.
