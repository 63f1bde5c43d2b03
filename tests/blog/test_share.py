"""Sharing: counting redirects to each network, share by email with its limits, no tracker."""

import re
import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from pytest_django.asserts import assertContains, assertNotContains

from blog.antispam import MAX_STAMP_USES, form_timestamp
from blog.models import Post, Share
from tests.factories import PostFactory
from tests.queries import NAVIGATION_QUERIES, NEIGHBOUR_QUERIES

pytestmark = pytest.mark.django_db

CANONICAL = "http://127.0.0.1:8000"


@pytest.fixture
def post():
    return PostFactory(title="Do’s & Don’ts: “quotes”", slug="dos-donts")


def share_data(post, **overrides):
    data = {
        "name": "Sam Sender",
        "email": "sam@example.com",
        "to": "friend@example.org",
        "message": "Thought of you.\nSee you soon!",
        "homepage": "",
        "ts": form_timestamp(post.pk, now=time.time() - 60),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("network", "host", "url_param", "title_param"),
    [
        ("x", "x.com", "url", "text"),
        ("facebook", "www.facebook.com", "u", None),
        ("linkedin", "www.linkedin.com", "url", None),
        ("reddit", "www.reddit.com", "url", "title"),
        ("telegram", "t.me", "url", "text"),
    ],
)
def test_network_link_counts_and_redirects_with_the_encoded_canonical_url(
    client, post, network, host, url_param, title_param
):
    response = client.get(post.share_url(network))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.scheme == "https" and target.netloc == host
    query = parse_qs(target.query)
    assert query[url_param] == [CANONICAL + post.get_absolute_url()]
    if title_param:
        assert query[title_param] == [post.title]
    assert "http%3A%2F%2F127.0.0.1%3A8000%2F" in response["Location"]  # the URL is encoded, not raw
    if title_param:
        assert "%E2%80%9C" in response["Location"]  # so is the title
    assert Share.objects.filter(post=post, network=network).count() == 1
    client.get(post.share_url(network), REMOTE_ADDR="203.0.113.200")  # another reader
    assert Share.objects.filter(post=post, network=network).count() == 2


@pytest.mark.parametrize(("network", "host"), [("bluesky", "bsky.app"), ("whatsapp", "wa.me")])
def test_text_only_networks_get_title_and_url(client, post, network, host):
    response = client.get(post.share_url(network))
    target = urlsplit(response["Location"])
    assert target.netloc == host
    assert parse_qs(target.query)["text"] == [f"{post.title} {CANONICAL}{post.get_absolute_url()}"]


def test_unknown_network_is_a_404_and_counts_nothing(client, post):
    for name in ("myspace", "email", "X", "%00", "facebook.com"):
        assert client.get(f"{post.get_absolute_url()}share/{name}/").status_code == 404
    assert not Share.objects.exists()


def test_unpublished_or_misdated_posts_cannot_be_shared(client):
    draft = PostFactory(status=Post.Status.DRAFT)
    assert client.get(f"/2020/01/01/{draft.slug}/share/x/").status_code == 404
    post = PostFactory()
    assert client.get(f"/1999/01/01/{post.slug}/share/x/").status_code == 404
    assert client.get(f"/1999/01/01/{post.slug}/share/").status_code == 404


def test_share_bar_under_the_article_has_every_button_with_a_name(client, post):
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Share this:" in html
    for network, label in [
        ("x", "X"),
        ("facebook", "Facebook"),
        ("linkedin", "LinkedIn"),
        ("reddit", "Reddit"),
        ("bluesky", "Bluesky"),
        ("whatsapp", "WhatsApp"),
        ("telegram", "Telegram"),
    ]:
        assert (
            f'href="{post.share_url(network)}" target="_blank" rel="nofollow noopener"'
            f' aria-label="Share on {label} (opens in a new tab)"'
        ) in html
    assert f'href="{post.share_url()}" rel="nofollow" aria-label="Share by email"' in html
    assert f'href="{CANONICAL}{post.get_absolute_url()}" data-copy=' in html
    assert 'class="share-link share-native"' in html and " hidden>" in html
    # Icons are inline SVG served by the site: no third-party request of any kind.
    assert not re.search(
        r'(src|href)="https?://(?!127\.0\.0\.1)', html.split("<body", 1)[1].replace('href="http://127.0.0.1', "")
    )


def test_front_page_summaries_carry_no_share_bars(client, post):
    # Nine icons under every summary were noise: sharing is on the article itself.
    html = client.get("/").content.decode()
    assert f'id="post-{post.pk}" class="post-summary' in html
    assert "share-bar" not in html and "Share on" not in html


def test_article_does_not_query_share_counts(assert_page_queries, post):
    Share.objects.bulk_create([Share(post=post, network="x") for _ in range(50)])
    assert_page_queries(post.get_absolute_url(), warm=5, cold=5 + NAVIGATION_QUERIES + NEIGHBOUR_QUERIES)


def test_share_form_renders(client, post):
    response = client.get(post.share_url())
    assert response.status_code == 200
    for field in ("name", "email", "to", "message"):
        assertContains(response, f'name="{field}"')
    assertContains(response, 'name="homepage"')
    assertContains(response, 'name="ts"')


def test_share_by_email_sends_and_thanks(client, post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(post.share_url(), share_data(post), REMOTE_ADDR="203.0.113.1")
    assert response.status_code == 303
    assert response["Location"] == post.get_absolute_url()
    page = client.get(response["Location"])
    assertContains(page, '<div class="messages" role="status" aria-live="polite">')
    assertContains(page, "Thank you for sharing!")
    assert Share.objects.filter(post=post, network="email").count() == 1

    [email] = mail.outbox
    assert email.to == ["friend@example.org"]
    assert email.from_email == "Steady Ground <noreply@localhost>"
    assert email.reply_to == ['"Sam Sender" <sam@example.com>'] or email.reply_to == ["Sam Sender <sam@example.com>"]
    assert "Sam Sender shared" in email.subject and post.title in email.subject
    permalink = CANONICAL + post.get_absolute_url()
    assert permalink in email.body and post.excerpt in email.body
    assert "Thought of you.\nSee you soon!" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{permalink}"' in html
    assert "Thought of you.<br>See you soon!" in html
    # Nothing about who shared is kept in the database.
    share = Share.objects.get()
    assert "203.0.113.1" not in share.sender_hash and "friend" not in share.recipient_hash


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Please tell your friend who you are."),
        ({"email": "nope"}, "email", "Please enter a valid email address."),
        ({"to": ""}, "to", "Please fill in your friend’s email address."),
        ({"to": "a@b"}, "to", "Please enter a valid email address for your friend."),
        ({"message": "m" * 1001}, "message", "Please keep the message under 1000 characters."),
        ({"name": "Sam\r\nBcc: victim@example.com"}, "name", "Line breaks are not allowed in this field."),
        ({"email": "sam@example.com\nBcc: x@example.com"}, "email", "Line breaks are not allowed in this field."),
        ({"to": "friend@example.org\r\nCc: x@example.com"}, "to", "Line breaks are not allowed in this field."),
    ],
)
def test_bad_input_is_a_400_with_the_form_and_values_kept(client, post, overrides, field, message):
    data = share_data(post, **overrides)
    response = client.post(post.share_url(), data)
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'").replace("&amp;", "&")
    error = re.search(rf'<span class="field-error" id="id_{field}_error">([^<]*)</span>', html)
    assert error and message == error.group(1)
    assert 'value="Sam Sender"' in html or field == "name"
    assert not mail.outbox and not Share.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", form_timestamp(999999)])
def test_tampered_timestamp_is_refused_with_the_text_kept(client, post, token):
    response = client.post(post.share_url(), share_data(post, ts=token))
    assert response.status_code == 400
    assertContains(response, "could not be verified", status_code=400)
    assertContains(response, "Thought of you.", status_code=400)
    assert not mail.outbox


def test_honeypot_sends_nothing_but_looks_the_same(client, post):
    response = client.post(post.share_url(), share_data(post, homepage="http://spam.example"))
    assert response.status_code == 303
    assert not mail.outbox and not Share.objects.exists()


def test_per_ip_limit_is_five_an_hour(client, post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            data = share_data(post, to=f"friend{i}@example.org")
            assert client.post(post.share_url(), data, REMOTE_ADDR="198.51.100.3").status_code == 303
    response = client.post(post.share_url(), share_data(post, to="sixth@example.org"), REMOTE_ADDR="198.51.100.3")
    assert response.status_code == 429
    assertContains(response, "too often in the last hour", status_code=429)
    assertContains(response, "sixth@example.org", status_code=429)
    assert len(mail.outbox) == 5
    # Another sender is not affected.
    assert (
        client.post(post.share_url(), share_data(post, to="x@example.org"), REMOTE_ADDR="198.51.100.4").status_code
        == 303
    )


def test_per_recipient_limit_is_three_a_day(client, post):
    for i in range(3):
        assert client.post(post.share_url(), share_data(post), REMOTE_ADDR=f"192.0.2.{i}").status_code == 303
    response = client.post(post.share_url(), share_data(post, to="FRIEND@example.org"), REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429
    assertContains(response, "enough shares today", status_code=429)


def test_a_failing_mail_server_still_thanks_and_records(client, post, monkeypatch, django_capture_on_commit_callbacks):
    import smtplib

    def broken(*args, **kwargs):
        raise smtplib.SMTPException("server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(post.share_url(), share_data(post))
    assert response.status_code == 303
    assert Share.objects.filter(network="email").count() == 1


def test_share_page_is_not_indexed(client, post):
    assertContains(client.get(post.share_url()), '<meta name="robots" content="noindex, follow">')
    assertNotContains(client.get(post.get_absolute_url()), "noindex")


def test_admin_shows_shares_per_post_and_per_network(client, post):
    from tests.factories import UserFactory

    Share.objects.bulk_create([Share(post=post, network=n) for n in ("x", "x", "email", "reddit")])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/blog/post/").content.decode()
    assert re.search(r'<td class="field-share_count">4</td>', listing)
    detail = client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert "<tr><td>X</td><td>2</td></tr>" in detail
    assert "<tr><td>Reddit</td><td>1</td></tr>" in detail
    assert "<tr><td>Email</td><td>1</td></tr>" in detail
    assert "Facebook" not in detail.split("share-breakdown", 1)[1].split("</table>", 1)[0]


def test_a_reader_counts_once_an_hour_per_network_and_head_counts_nothing(client, post):
    for _ in range(3):
        client.get(post.share_url("x"), REMOTE_ADDR="203.0.113.7")
    client.head(post.share_url("reddit"), REMOTE_ADDR="203.0.113.7")
    client.get(post.share_url("x"), REMOTE_ADDR="203.0.113.8")
    assert Share.objects.filter(network="x").count() == 2
    assert not Share.objects.filter(network="reddit").exists()


@pytest.mark.parametrize(
    "variant", ["FRIEND@example.org", " friend@example.org ", "friend+1@example.org", "friend+spam@EXAMPLE.ORG"]
)
def test_recipient_limit_cannot_be_dodged_by_writing_the_address_differently(client, post, variant):
    for i in range(3):
        assert client.post(post.share_url(), share_data(post), REMOTE_ADDR=f"192.0.2.{i}").status_code == 303
    response = client.post(post.share_url(), share_data(post, to=variant.strip()), REMOTE_ADDR="192.0.2.50")
    assert response.status_code == 429


def test_ipv6_senders_are_limited_per_network_and_unknown_senders_share_one_limit(client, post):
    for i in range(5):
        data = share_data(post, to=f"f{i}@example.org")
        assert client.post(post.share_url(), data, REMOTE_ADDR=f"2001:db8:1:2::{i + 1}").status_code == 303
    other_host_same_net = client.post(
        post.share_url(), share_data(post, to="f9@example.org"), REMOTE_ADDR="2001:db8:1:2:ffff::9"
    )
    assert other_host_same_net.status_code == 429
    for i in range(5):
        data = share_data(post, to=f"u{i}@example.org")
        assert client.post(post.share_url(), data, REMOTE_ADDR="").status_code == 303
    assert client.post(post.share_url(), share_data(post, to="u9@example.org"), REMOTE_ADDR="").status_code == 429


def test_site_wide_hourly_ceiling(client, post, monkeypatch):
    from blog import services

    monkeypatch.setattr(services, "SHARE_EMAILS_PER_HOUR", 2)
    for i in range(2):
        data = share_data(post, to=f"g{i}@example.org")
        assert client.post(post.share_url(), data, REMOTE_ADDR=f"198.51.100.{i}").status_code == 303
    response = client.post(post.share_url(), share_data(post, to="g9@example.org"), REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429
    assertContains(response, "resting for a while", status_code=429)


def test_a_quick_second_try_after_an_error_is_not_taken_for_a_bot(client, post, settings):
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 3
    data = share_data(post, to="")
    response = client.post(post.share_url(), data)
    assert response.status_code == 400
    kept = re.search(r'name="ts" value="([^"]+)"', response.content.decode()).group(1)
    assert kept == data["ts"]  # the original stamp, shown a minute ago
    response = client.post(post.share_url(), share_data(post, ts=kept))
    assert response.status_code == 303
    assert Share.objects.filter(network="email").count() == 1


@pytest.mark.parametrize(
    ("first", "fourth"),
    [
        ("victim@example.test", '"victim"@example.test'),
        ("victim@example.test", '"vic\\tim"@example.test'),
        ("victim@example.test", '"Victim+note"@Example.Test'),
        ("victim@bücher.example", "victim@xn--bcher-kva.example"),
        ("victim@xn--bcher-kva.example", "VICTIM@BÜCHER.example"),
        ("victim@gmail.com", "vic.tim@googlemail.com"),
    ],
)
def test_the_fourth_share_to_a_respelled_mailbox_is_refused(client, post, first, fourth):
    for i in range(3):
        assert client.post(post.share_url(), share_data(post, to=first), REMOTE_ADDR=f"192.0.2.{i}").status_code == 303
    response = client.post(post.share_url(), share_data(post, to=fourth), REMOTE_ADDR="192.0.2.60")
    assert response.status_code == 429
    assertContains(response, "This address has received enough shares today.", status_code=429)
    assertContains(response, "Thought of you.", status_code=429)
    assert Share.objects.filter(network="email").count() == 3


def test_a_stamp_for_one_post_is_refused_on_another_posts_share_form(client, post):
    other = PostFactory()
    response = client.post(other.share_url(), share_data(other, ts=share_data(post)["ts"]))
    assert response.status_code == 400
    assertContains(response, "could not be verified", status_code=400)
    assert not mail.outbox and not Share.objects.exists()


def test_a_form_left_open_over_lunch_still_sends(client, post):
    stamp = form_timestamp(post.pk, now=time.time() - 3 * 3600)
    assert client.post(post.share_url(), share_data(post, ts=stamp)).status_code == 303
    assert Share.objects.filter(network="email").count() == 1


def test_a_form_open_for_half_a_day_is_refused_with_the_text_kept_and_a_fresh_stamp(client, post):
    stale = form_timestamp(post.pk, now=time.time() - 13 * 3600)
    response = client.post(post.share_url(), share_data(post, ts=stale))
    assert response.status_code == 400
    assertContains(response, "This form was open for too long.", status_code=400)
    assertContains(response, "Thought of you.", status_code=400)
    assertContains(response, 'value="friend@example.org"', status_code=400)
    assert re.search(r'name="ts" value="([^"]+)"', response.content.decode()).group(1) != stale


def test_one_stamp_sends_a_few_shares_at_most_then_a_fresh_one_is_offered(client, post, settings):
    assert MAX_STAMP_USES == 5
    stamp = share_data(post)["ts"]
    for i in range(MAX_STAMP_USES):
        data = share_data(post, ts=stamp, to=f"friend{i}@example.org")
        assert client.post(post.share_url(), data, REMOTE_ADDR=f"192.0.2.{i}").status_code == 303
    response = client.post(
        post.share_url(), share_data(post, ts=stamp, to="more@example.org"), REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 400
    assertContains(response, "This form has already been sent.", status_code=400)
    assertContains(response, 'value="more@example.org"', status_code=400)
    fresh = re.search(r'name="ts" value="([^"]+)"', response.content.decode()).group(1)
    assert fresh != stamp
    assert Share.objects.filter(network="email").count() == MAX_STAMP_USES
    # The form shown again sends (once the reader has had a moment to look at it).
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 0
    again = client.post(post.share_url(), share_data(post, ts=fresh, to="more@example.org"), REMOTE_ADDR="192.0.2.9")
    assert again.status_code == 303
    assert Share.objects.filter(network="email").count() == MAX_STAMP_USES + 1


def test_a_refused_or_invalid_share_does_not_use_up_its_stamp(client, post):
    for i in range(3):  # the recipient has had enough for today
        data = share_data(post, to="same@example.org")
        assert client.post(post.share_url(), data, REMOTE_ADDR=f"192.0.2.{i}").status_code == 303
    stamp = share_data(post)["ts"]
    for _ in range(4):
        assert client.post(post.share_url(), share_data(post, ts=stamp, to="")).status_code == 400
    for _ in range(2):
        refused = client.post(post.share_url(), share_data(post, ts=stamp, to="same@example.org"))
        assert refused.status_code == 429
    for i in range(MAX_STAMP_USES):
        data = share_data(post, ts=stamp, to=f"other{i}@example.org")
        assert client.post(post.share_url(), data, REMOTE_ADDR=f"198.51.100.{i}").status_code == 303
    assert client.post(post.share_url(), share_data(post, ts=stamp, to="x@example.org")).status_code == 400


RLO = "\u202e"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", f"Sam {RLO}rednes", "Your name contains invisible text-direction characters"),
        ("name", "Sam\u2066 Sender\u2069", "Your name contains invisible text-direction characters"),
        ("message", f"See https://example.org/{RLO}fdp.exe", "Your message contains invisible text-direction"),
        ("to", f"friend@exa{RLO}mple.org", "This email address contains invisible text-direction characters"),
        ("email", f"sam@exa{RLO}mple.com", "This email address contains invisible text-direction characters"),
    ],
)
def test_text_direction_controls_are_refused_with_every_value_kept(client, post, field, value, message):
    data = share_data(post, **{field: value})
    response = client.post(post.share_url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(rf'<span class="field-error" id="id_{field}_error">([^<]*)</span>', html)
    assert error and message in error.group(1).replace("&#x27;", "'")
    for key in ("name", "email", "to"):
        assert f'value="{data[key]}"' in html
    assert data["message"] in html
    assert not mail.outbox and not Share.objects.exists()


def test_a_right_to_left_name_with_direction_marks_is_welcome(client, post):
    data = share_data(post, name="\u05e9\u05e8\u05d4 \u200fכהן\u200e (Sara)")
    assert client.post(post.share_url(), data).status_code == 303


def test_a_share_sent_at_once_is_refused_with_the_text_kept_and_sent_on_the_second_press(client, post, settings):
    # A person who pastes fast is told, not silently dropped: the words stay, one more press sends.
    settings.COMMENTS_MIN_SECONDS_TO_FILL = 3
    data = share_data(post, ts=form_timestamp(post.pk), message="Read this one, it helped me.")
    response = client.post(post.share_url(), data)
    assertContains(response, "as robots do. Please check the addresses and press Send again.", status_code=400)
    assertContains(response, "Read this one, it helped me.", status_code=400)
    assertContains(response, 'value="friend@example.org"', status_code=400)
    assert Share.objects.count() == 0 and not mail.outbox
    kept = re.search(r'name="ts" value="([^"]+)"', response.content.decode()).group(1)
    with mock.patch("blog.antispam.time.time", return_value=time.time() + 4):
        response = client.post(post.share_url(), data | {"ts": kept})
    assert response.status_code == 303
    assert Share.objects.filter(network="email").count() == 1
