"""POST /comments/post/: every path a reader (or a bot) can take."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from blog.antispam import MAX_STAMP_USES, form_timestamp
from blog.models import Post
from comments.models import Comment, DiscussionSettings
from tests.factories import CommentFactory, PostFactory, UserFactory, old_timestamp

pytestmark = pytest.mark.django_db

URL = "/comments/post/"


def post_comment(client, data, ip="203.0.113.5", **extra):
    return client.post(URL, data, REMOTE_ADDR=ip, **extra)


def test_first_comment_is_held_and_shown_only_to_its_writer(client, comment_data):
    post = PostFactory()
    response = post_comment(client, comment_data(post))

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "First comment" in comment.moderation_reason
    assert response.status_code == 303
    location = response["Location"]
    parts = urlsplit(location)
    assert parts.path == post.get_absolute_url()
    assert parts.fragment == f"comment-{comment.pk}"
    query = parse_qs(parts.query)
    assert query["unapproved"] == [str(comment.pk)]
    assert query["moderation-hash"] == [comment.moderation_hash()]

    page = client.get(location)
    assertContains(page, f'id="comment-{comment.pk}"')
    assertContains(page, '<em class="comment-awaiting-moderation">Your comment is awaiting moderation.</em>')
    # The count counts approved comments only.
    assertNotContains(page, "thought on")


def test_held_comment_is_hidden_from_everyone_else(client, comment_data):
    post = PostFactory()
    post_comment(client, comment_data(post, body="Only I can see this"))
    comment = Comment.objects.get()
    other = client.__class__()
    assertNotContains(other.get(post.get_absolute_url()), "Only I can see this")
    forged = f"{post.get_absolute_url()}?unapproved={comment.pk}&moderation-hash=0123456789abcdef0123456789abcdef"
    assertNotContains(other.get(forged), "Only I can see this")


def test_moderation_hash_link_expires_after_ten_minutes(client, comment_data):
    post = PostFactory()
    post_comment(client, comment_data(post, body="Short-lived preview"))
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    comment.refresh_from_db()
    url = f"{post.get_absolute_url()}?unapproved={comment.pk}&moderation-hash={comment.moderation_hash()}"
    assertNotContains(client.__class__().get(url), "Short-lived preview")
    # The writer's own browser still sees it through its signed cookie.
    assertContains(client.get(post.get_absolute_url()), "Short-lived preview")


def test_moderation_hash_is_32_hex_keyed_by_the_secret_key(settings):
    comment = CommentFactory(status=Comment.Status.PENDING)
    first = comment.moderation_hash()
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first == comment.moderation_hash()
    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789abcdefghijklmnop"
    assert comment.moderation_hash() != first


def test_known_author_is_approved_at_once(client, comment_data):
    post = PostFactory()
    CommentFactory(post=post, author_name="Riley Reader", author_email="riley@example.com")
    response = post_comment(client, comment_data(post, body="Back again"))
    comment = Comment.objects.get(body__contains="Back again")
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    assertContains(client.__class__().get(post.get_absolute_url()), "Back again")


def test_reply_is_threaded_under_its_parent(client, comment_data):
    post = PostFactory()
    parent = CommentFactory(post=post, author_name="Riley Reader", author_email="riley@example.com")
    post_comment(client, comment_data(post, parent=parent.pk, body="A reply"))
    reply = Comment.objects.get(body__contains="A reply")
    assert reply.parent == parent
    assert reply.depth == 2
    assert reply.thread_root == parent.pk
    html = client.get(post.get_absolute_url()).content.decode()
    assert re.search(
        rf'<li id="comment-{parent.pk}" class="comment depth-1">.*<ol class="children">\s*'
        rf'<li id="comment-{reply.pk}" class="comment depth-2">',
        html,
        re.S,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"body": ""}, "body", "Please type your comment text."),
        ({"body": "   \n  "}, "body", "Please type your comment text."),
        ({"name": ""}, "name", "Please fill in your name."),
        ({"email": ""}, "email", "Please fill in your email address."),
        ({"email": "not-an-email"}, "email", "Please enter a valid email address."),
        ({"body": "a" * 65526}, "body", "Ensure this value has at most 65525 characters"),
        ({"name": "n" * 246}, "name", "Your name is too long"),
        ({"email": "e" * 95 + "@x.com"}, "email", "Your email address is too long"),
        ({"url": "https://example.com/" + "u" * 190}, "url", "Your URL is too long"),
        ({"url": "javascript:alert(1)"}, "url", "Please enter a valid web address"),
    ],
)
def test_invalid_input_is_a_400_with_the_error_beside_the_field_and_values_kept(
    client, comment_data, overrides, field, message
):
    post = PostFactory()
    data = comment_data(post, **{"body": "Keep my words", "name": "Riley Reader", **overrides})
    response = post_comment(client, data)

    assert response.status_code == 400
    assert Comment.objects.count() == 0
    html = response.content.decode()
    error = re.search(rf'<span class="field-error" id="id_{field}_error">([^<]*)</span>', html)
    assert error and message in error.group(1).replace("&#x27;", "'")
    assert 'aria-describedby="' in html and f"id_{field}_error" in html
    # Every value the reader typed is still in the form.
    for key in ("body", "name", "email", "url"):
        value = data[key]
        if value and len(value) < 1000 and key != field:
            assert value in html
    assertContains(response, f'<article id="post-{post.pk}"', status_code=400)


def test_oversized_body_keeps_the_text(client, comment_data):
    post = PostFactory()
    text = "é" * 65526
    response = post_comment(client, comment_data(post, body=text))
    assert response.status_code == 400
    assert text in response.content.decode()


def test_exactly_the_maximum_length_is_accepted(client, comment_data):
    post = PostFactory()
    response = post_comment(client, comment_data(post, body="a" * 65525))
    assert response.status_code == 303


def test_unknown_post_is_a_404(client, comment_data):
    post = PostFactory()
    data = comment_data(post)
    data["post"] = 999999
    assert post_comment(client, data).status_code == 404
    data["post"] = "abc"
    assert post_comment(client, data).status_code == 404
    del data["post"]
    assert post_comment(client, data).status_code == 404
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("status", [Post.Status.DRAFT, Post.Status.PRIVATE, Post.Status.PENDING])
def test_unpublished_post_takes_no_comments(client, comment_data, status):
    post = PostFactory(status=status)
    assert post_comment(client, comment_data(post)).status_code == 404
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "head", "put"])
def test_get_is_not_allowed_and_says_so_in_a_page(client, method):
    response = getattr(client, method)(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    if method == "head":
        return
    html = response.content.decode()
    assert "This address only receives comments. Go back to the article" in html
    assert '<a href="/">Go to the front page</a>' in html
    assert '<header class="site-header">' in html  # the site's own page (base.html)


def reply_link_targets(html):
    return re.findall(r'class="comment-reply-link" href="([^"]*)"', html)


@pytest.mark.parametrize("refusal", ["invalid", "duplicate", "flood"])
def test_refused_comment_page_links_back_to_the_article(client, comment_data, refusal):
    post = PostFactory()
    first = CommentFactory(post=post, author_name="Riley Reader", author_email="riley@example.com", body="<p>Hi</p>")
    reply = CommentFactory(post=post, parent=first)
    url = post.get_absolute_url()
    # The article caches its comment list: the page shown after a refusal must not reuse it.
    article = client.get(url).content.decode()
    assert reply_link_targets(article) == [f"?replytocom={pk}#respond" for pk in (first.pk, reply.pk)]

    data = comment_data(post, body="Hi")
    if refusal == "invalid":
        data["name"] = ""
    elif refusal == "flood":
        assert post_comment(client, comment_data(post, body="Earlier")).status_code == 303
        data["body"] = "Later"
    response = post_comment(client, data)
    assert response.status_code == {"invalid": 400, "duplicate": 409, "flood": 429}[refusal]
    html = response.content.decode()
    targets = reply_link_targets(html)
    assert targets and all(target.startswith(f"{url}?replytocom=") for target in targets)
    # The article itself keeps the contract's relative links.
    assert reply_link_targets(client.get(url).content.decode())[0] == f"?replytocom={first.pk}#respond"


def test_reply_link_on_the_refused_page_opens_the_reply_form(client, comment_data):
    post = PostFactory()
    first = CommentFactory(post=post, author_name="Jenna")
    response = post_comment(client, comment_data(post, name=""))
    target = reply_link_targets(response.content.decode())[0]
    page = client.get(target.split("#")[0])
    assertContains(page, "Leave a Reply to Jenna")
    assertContains(page, f'<input type="hidden" name="parent" value="{first.pk}" id="id_parent">')


@pytest.mark.parametrize("parent", ["abc", "-5", "9" * 30, "1.5", ""])
def test_tampered_hidden_field_is_a_400_with_a_message_and_the_text_kept(client, comment_data, settings, parent):
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 0
    post = PostFactory()
    data = comment_data(post, body="Please keep this text", url="https://riley.example/")
    data["parent"] = parent
    response = post_comment(client, data)
    assert response.status_code == 400
    assert Comment.objects.count() == 0
    html = response.content.decode()
    summary_re = r'<div class="error-summary" role="alert"[^>]*id="comment-form-errors"[^>]*>(.*?)</div>'
    errors = re.search(summary_re, html, re.S)
    assert errors and "The form was changed in a way we cannot use. Please post again." in errors.group(1)
    for value in ("Please keep this text", "Riley Reader", "riley@example.com", "https://riley.example/"):
        assert value in html
    # Hidden inputs carry no aria-* (nothing to describe them), and the parent is reset so a second try works.
    assert re.search(r'<input type="hidden" name="parent" value="0" id="id_parent">', html)
    assert not re.search(r'<input type="hidden"[^>]*aria-', html)

    # Sending the form as shown again works.
    shown = dict(re.findall(r'<input type="hidden" name="(parent|post|ts)" value="([^"]*)"', html))
    assert post_comment(client, {**data, **shown}).status_code == 303
    assert Comment.objects.get().parent is None


def test_unavailable_parent_is_reset_so_the_comment_can_be_sent_again(client, comment_data):
    post = PostFactory()
    gone = CommentFactory(post=post, status=Comment.Status.TRASH)
    response = post_comment(client, comment_data(post, parent=gone.pk, body="Orphan text"))
    assert response.status_code == 400
    assertContains(response, "not available", status_code=400)
    assertContains(response, '<input type="hidden" name="parent" value="0" id="id_parent">', status_code=400)
    assertContains(response, "Leave a Reply <small>", status_code=400)


def test_closed_post_refuses_with_400_and_keeps_the_text(client, comment_data):
    post = PostFactory(comments_open=False)
    response = post_comment(client, comment_data(post, body="Too late?"))
    assert response.status_code == 400
    assertContains(response, "Sorry, comments are closed for this item.", status_code=400)
    assertContains(response, "Your comment was not posted. Here is your text, to copy and keep:", status_code=400)
    assertContains(
        response, '<textarea id="unsent-comment" readonly rows="6" cols="45">Too late?</textarea>', status_code=400
    )
    assert Comment.objects.count() == 0


def test_old_post_closes_when_the_setting_says_so(client, comment_data, discussion):
    discussion.close_comments_for_old_posts = True
    discussion.save()
    post = PostFactory(published_at=timezone.now() - datetime.timedelta(days=20))
    assert post_comment(client, comment_data(post)).status_code == 400
    page = client.get(post.get_absolute_url())
    assertContains(page, "Comments are closed.")
    assertNotContains(page, 'id="commentform"')


@pytest.mark.parametrize("kind", ["unknown", "other-post", "pending", "spam", "trash"])
def test_bad_parent_is_refused_with_400(client, comment_data, kind):
    post = PostFactory()
    if kind == "unknown":
        parent_id = 987654
    elif kind == "other-post":
        parent_id = CommentFactory().pk
    else:
        parent_id = CommentFactory(post=post, status=kind).pk
    response = post_comment(client, comment_data(post, parent=parent_id, body="Orphan?"))
    assert response.status_code == 400
    assertContains(response, "not available", status_code=400)
    assertContains(response, "Orphan?", status_code=400)
    assert not Comment.objects.filter(body__contains="Orphan").exists()


def test_reply_below_the_maximum_depth_is_refused(client, comment_data):
    post = PostFactory()
    comment = CommentFactory(post=post)
    for _ in range(4):
        comment = CommentFactory(post=post, parent=comment)
    assert comment.depth == 5
    response = post_comment(client, comment_data(post, parent=comment.pk))
    assert response.status_code == 400
    assertContains(response, "cannot nest any deeper", status_code=400)


def test_duplicate_comment_is_a_409(client, comment_data):
    post = PostFactory()
    assert post_comment(client, comment_data(post, body="Same words")).status_code == 303
    response = post_comment(client, comment_data(post, body="Same words"), ip="198.51.100.7")
    assert response.status_code == 409
    assertContains(
        response, "Duplicate comment detected; it looks as though you’ve already said that!", status_code=409
    )
    assert Comment.objects.count() == 1


def test_second_comment_within_fifteen_seconds_is_a_429(client, comment_data):
    post = PostFactory()
    assert post_comment(client, comment_data(post, body="First")).status_code == 303
    response = post_comment(client, comment_data(post, body="Second", email="other@example.com"))
    assert response.status_code == 429
    assertContains(response, "You are posting comments too quickly. Slow down.", status_code=429)
    assertContains(response, "Second", status_code=429)
    assert Comment.objects.count() == 1


def test_flood_check_passes_after_fifteen_seconds(client, comment_data):
    post = PostFactory()
    post_comment(client, comment_data(post, body="First"))
    Comment.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=16))
    assert post_comment(client, comment_data(post, body="Second")).status_code == 303


def test_moderators_skip_the_flood_check_and_are_approved(client, comment_data):
    post = PostFactory()
    client.force_login(post.author)
    data = comment_data(post)
    for key in ("name", "email", "url"):
        data.pop(key)
    for body in ("One", "Two"):
        response = post_comment(client, {**data, "body": body})
        assert response.status_code == 303
    assert list(Comment.objects.values_list("status", flat=True)) == ["approved", "approved"]
    assert Comment.objects.filter(user=post.author).count() == 2


def test_logged_in_form_has_no_name_or_email(client):
    user = UserFactory(first_name="Mo", last_name="Derator")
    post = PostFactory()
    client.force_login(user)
    page = client.get(post.get_absolute_url())
    assertContains(page, "Logged in as Mo Derator.")
    assertNotContains(page, 'name="email"')
    assertNotContains(page, 'name="name"')


def test_honeypot_stores_the_comment_as_spam_quietly(client, comment_data):
    post = PostFactory()
    response = post_comment(client, comment_data(post, homepage="http://spam.example"))
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert "hidden" in comment.moderation_reason
    assertNotContains(client.get(response["Location"]), "calm and thoughtful")


def test_too_fast_submission_is_held_and_its_writer_told(client, comment_data, settings):
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 3
    discussion = DiscussionSettings.load()
    discussion.comment_previously_approved = False  # nothing else would hold it
    discussion.save()
    post = PostFactory()
    response = post_comment(client, comment_data(post, body="Pasted in a hurry", ts=form_timestamp(post.pk)))
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == "Sent very quickly after the page loaded."
    page = client.get(response["Location"])
    assertContains(page, "Pasted in a hurry")
    assertContains(page, "Your comment is awaiting moderation.")


def test_sending_a_held_comment_again_says_it_awaits_moderation(client, comment_data, settings):
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 3
    post = PostFactory()
    data = comment_data(post, body="Pasted twice", ts=form_timestamp(post.pk))
    assert post_comment(client, data).status_code == 303
    again = post_comment(client, data)
    assert again.status_code == 409
    assertContains(again, "Nothing is lost: your comment is awaiting moderation", status_code=409)
    assertContains(again, "Pasted twice", status_code=409)
    assert Comment.objects.count() == 1


def test_sending_a_spam_comment_again_is_a_duplicate(client, comment_data):
    post = PostFactory()
    CommentFactory(post=post, body="<p>Buy now</p>", author_name="Riley Reader", status=Comment.Status.SPAM)
    again = post_comment(client, comment_data(post, body="Buy now"))
    assertContains(again, "Duplicate comment detected", status_code=409)
    assertNotContains(again, "awaiting moderation", status_code=409)


@pytest.mark.parametrize("token", ["", "garbage", "eyJwb3N0IjoxfQ:forged:signature"])
def test_tampered_timestamp_is_a_400_with_the_text_kept(client, comment_data, token):
    post = PostFactory()
    response = post_comment(client, comment_data(post, body="Please keep this", ts=token))
    assert response.status_code == 400
    assertContains(response, "could not be verified", status_code=400)
    assertContains(response, "Please keep this", status_code=400)
    assert Comment.objects.count() == 0


def test_expired_form_is_a_400_with_a_fresh_timestamp(client, comment_data):
    post = PostFactory()
    response = post_comment(client, comment_data(post, ts=old_timestamp(post.pk, seconds_ago=3 * 24 * 3600)))
    assert response.status_code == 400
    assertContains(response, "open for too long", status_code=400)
    fresh = re.search(r'name="ts" value="([^"]+)"', response.content.decode()).group(1)
    assert fresh != comment_data(post)["ts"]


def test_timestamp_for_another_post_is_refused(client, comment_data):
    post, other = PostFactory(), PostFactory()
    response = post_comment(client, comment_data(post, ts=old_timestamp(other.pk)))
    assert response.status_code == 400


def test_remember_sets_cookies_and_prefills_the_form(client, comment_data):
    post = PostFactory()
    response = post_comment(
        client, comment_data(post, remember="on", name="Riley Reader", url="https://riley.example/")
    )
    assert response.cookies["comment_author"].value == "Riley%20Reader"
    assert response.cookies["comment_author_email"].value == "riley%40example.com"
    assert response.cookies["comment_author"]["max-age"] == 30_000_000
    assert response.cookies["comment_author"]["httponly"]
    page = client.get(post.get_absolute_url())
    assertContains(page, 'value="Riley Reader"')
    assertContains(page, 'value="riley@example.com"')
    assertContains(page, 'value="https://riley.example/"')
    assertContains(page, 'name="remember" class="checkboxinput" id="id_remember" checked')


def test_unticked_remember_deletes_the_cookies(client, comment_data):
    post = PostFactory()
    client.cookies["comment_author"] = "Old%20Name"
    response = post_comment(client, comment_data(post))
    assert response.cookies["comment_author"].value == ""
    assert response.cookies["comment_author"]["max-age"] == 0


def test_comment_html_is_sanitised_and_links_are_nofollow(client, comment_data):
    post = PostFactory()
    CommentFactory(post=post, author_name="Riley Reader", author_email="riley@example.com")
    body = '<script>alert(1)</script><a href="https://ok.example/" onclick="x()">ok</a> <b>bold</b>'
    post_comment(client, comment_data(post, body=body))
    stored = Comment.objects.latest("pk").body
    assert "<script" not in stored and "onclick" not in stored
    assert '<a href="https://ok.example/" rel="nofollow ugc">ok</a>' in stored
    assert "<b>bold</b>" in stored


def test_author_name_links_to_their_site_and_email_is_never_shown(client):
    comment = CommentFactory(
        author_name="Site Owner", author_email="secret-address@example.com", author_url="https://owner.example/"
    )
    html = client.get(comment.post.get_absolute_url()).content.decode()
    assert '<a href="https://owner.example/" class="url" rel="external nofollow ugc">Site Owner</a>' in html
    assert "secret-address" not in html


def test_hostile_author_fields_are_escaped(client):
    comment = CommentFactory(author_name='<img src=x onerror="alert(1)">', author_url='https://x.example/?a="b"')
    html = client.get(comment.post.get_absolute_url()).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


@pytest.mark.parametrize(
    ("setting", "value", "body", "status", "reason"),
    [
        ("comment_moderation", True, "Plain words", "pending", "Manual approval"),
        ("moderation_keys", "casino\n", "Try the CASINO tonight", "pending", "casino"),
        ("disallowed_keys", "\nviagra", "cheap viagra here", "trash", "viagra"),
        ("comment_max_links", 2, "see https://a.example and <a href='https://b.example/'>b</a>", "pending", "2 links"),
    ],
)
def test_discussion_rules_apply_to_a_known_author(
    client, comment_data, discussion, setting, value, body, status, reason
):
    setattr(discussion, setting, value)
    discussion.save()
    post = PostFactory()
    CommentFactory(post=post, author_name="Riley Reader", author_email="riley@example.com")
    response = post_comment(client, comment_data(post, body=body))
    assert response.status_code == 303
    comment = Comment.objects.latest("pk")
    assert comment.status == status
    assert reason in comment.moderation_reason
    if status == "trash":
        assertNotContains(client.get(response["Location"]), body)


def test_disabling_previous_approval_publishes_first_comments(client, comment_data, discussion):
    discussion.comment_previously_approved = False
    discussion.save()
    post = PostFactory()
    post_comment(client, comment_data(post))
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_approving_a_first_comment_lets_the_next_one_through(client, comment_data):
    from comments import services

    post = PostFactory()
    post_comment(client, comment_data(post, body="First ever"))
    services.comment_approve(comment=Comment.objects.get())
    Comment.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    post_comment(client, comment_data(post, body="Second one"))
    assert Comment.objects.get(body__contains="Second one").status == Comment.Status.APPROVED


def test_a_quick_second_try_after_an_error_is_not_taken_for_a_bot(client, comment_data, settings):
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 3
    post = PostFactory()
    data = comment_data(post, name="")
    response = post_comment(client, data)
    assert response.status_code == 400
    kept = re.search(r'name="ts" value="([^"]+)"', response.content.decode()).group(1)
    assert kept == data["ts"]  # the stamp of when the form was first shown
    post_comment(client, comment_data(post, ts=kept))
    assert Comment.objects.get().status != Comment.Status.SPAM


def test_a_form_left_open_over_lunch_still_posts(client, comment_data):
    post = PostFactory()
    response = post_comment(client, comment_data(post, ts=old_timestamp(post.pk, seconds_ago=3 * 3600)))
    assert response.status_code == 303
    assert Comment.objects.get().status != Comment.Status.SPAM


def test_a_form_open_for_half_a_day_is_a_400_with_the_text_kept(client, comment_data):
    post = PostFactory()
    data = comment_data(post, body="Written this morning", ts=old_timestamp(post.pk, seconds_ago=13 * 3600))
    response = post_comment(client, data)
    assert response.status_code == 400
    assertContains(response, "This form was open for too long.", status_code=400)
    assertContains(response, "Written this morning", status_code=400)
    assertContains(response, 'value="Riley Reader"', status_code=400)
    assert not Comment.objects.exists()


def test_one_stamp_carries_a_few_comments_at_most(client, comment_data):
    post = PostFactory()
    stamp = old_timestamp(post.pk)
    for i in range(MAX_STAMP_USES):
        data = comment_data(post, body=f"Replay {i}", email=f"bot{i}@example.com", ts=stamp)
        assert post_comment(client, data, ip=f"198.51.100.{i}").status_code == 303
    data = comment_data(post, body="Replay, refused", email="bot@example.com", ts=stamp)
    response = post_comment(client, data, ip="198.51.100.99")
    assert response.status_code == 400
    assertContains(response, "This form has already been sent.", status_code=400)
    assertContains(response, "Replay, refused", status_code=400)
    fresh = re.search(r'name="ts" value="([^"]+)"', response.content.decode()).group(1)
    assert fresh != stamp
    assert Comment.objects.count() == MAX_STAMP_USES


def test_a_refused_comment_does_not_use_up_its_stamp(client, comment_data):
    post = PostFactory()
    stamp = old_timestamp(post.pk)
    assert post_comment(client, comment_data(post, body="First", ts=stamp)).status_code == 303
    for _ in range(MAX_STAMP_USES):  # too quick after the first: refused, the stamp is not spent
        assert post_comment(client, comment_data(post, body="Second", ts=stamp)).status_code == 429
    Comment.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=16))
    assert post_comment(client, comment_data(post, body="Second", ts=stamp)).status_code == 303
    assert Comment.objects.count() == 2


RLO = "\u202e"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": f"Riley {RLO}redaeR"}, "name", "Your name contains invisible text-direction characters"),
        ({"name": "\u2067Riley\u2069"}, "name", "Your name contains invisible text-direction characters"),
        ({"name": "Riley\u202a Reader\u202c"}, "name", "Your name contains invisible text-direction characters"),
        ({"url": f"https://example.com/{RLO}fdp.exe"}, "url", "This web address contains invisible text-direction"),
        ({"url": f"https://exa{RLO}mple.com"}, "url", "This web address contains invisible text-direction"),
        ({"email": f"riley@exa{RLO}mple.com"}, "email", "This email address contains invisible text-direction"),
    ],
)
def test_text_direction_controls_are_a_400_beside_the_field_with_values_kept(
    client, comment_data, overrides, field, message
):
    post = PostFactory()
    data = comment_data(post, **{"body": "Keep my words", "url": "https://riley.example", **overrides})
    response = post_comment(client, data)
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(rf'<span class="field-error" id="id_{field}_error">([^<]*)</span>', html)
    assert error and message in error.group(1)
    for key in ("body", "name", "email", "url"):
        assert data[key] in html
    assert not Comment.objects.exists()


def test_a_right_to_left_name_with_direction_marks_is_welcome(client, comment_data):
    post = PostFactory()
    assert post_comment(client, comment_data(post, name="\u05e8\u05d9\u05dc\u05d9\u200f (Riley)")).status_code == 303
    assert Comment.objects.get().author_name == "\u05e8\u05d9\u05dc\u05d9\u200f (Riley)"


def test_refused_comment_page_opens_on_an_error_summary_linking_each_field(client, comment_data):
    post = PostFactory(title="Quiet evenings")
    response = post_comment(client, comment_data(post, body="Keep me", name="", email="not-an-email"))
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r"<title>Error: Quiet evenings – ", html)
    summary_re = r'<div class="error-summary" role="alert" tabindex="-1" autofocus[^>]*>(.*?)</div>'
    summary = re.search(summary_re, html, re.S)
    assert summary, "no focusable error summary"
    assert "There is a problem" in summary.group(1)
    assert '<a href="#id_name">Please fill in your name.</a>' in summary.group(1)
    assert '<a href="#id_email">Please enter a valid email address.</a>' in summary.group(1)
    assert "#id_body" not in summary.group(1)
    # Each error is still beside its field, and what was typed is kept.
    assert 'id="id_name_error"' in html and 'id="id_email_error"' in html
    assert "Keep me" in html and 'value="not-an-email"' in html
    assert '<script src="/static/js/error-summary.js" defer></script>' in html


def test_a_refusal_without_a_field_is_in_the_summary_as_text(client, comment_data):
    post = PostFactory()
    assert post_comment(client, comment_data(post, body="Same words")).status_code == 303
    response = post_comment(client, comment_data(post, body="Same words"))
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', response.content.decode(), re.S).group(1)
    assert "<li>Duplicate comment detected;" in summary
    assertContains(response, "<title>Error: ", status_code=409)


def test_the_article_has_no_error_summary_nor_error_title(client):
    post = PostFactory(title="Quiet evenings")
    response = client.get(post.get_absolute_url())
    assertContains(response, "<title>Quiet evenings – ")
    assertNotContains(response, "error-summary")
