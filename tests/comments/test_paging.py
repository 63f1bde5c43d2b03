"""Comment pages (Discussion › "break comments into pages"): held comments, redirects and replies keep their page."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment, DiscussionSettings
from comments.selectors import comment_page_number, comment_thread
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

URL = "/comments/post/"


@pytest.fixture
def paged(discussion):
    """Paging on, two threads a page (WordPress's default: the last page first)."""
    discussion.page_comments = True
    discussion.comments_per_page = 2
    discussion.save()
    return discussion


@pytest.fixture
def threads(paged):
    """A post with four approved threads (pages [0, 1] and [2, 3]); thread 0 has a reply."""
    post = PostFactory()
    roots = [CommentFactory(post=post, author_name=f"Root {i}", body=f"<p>thread {i}</p>") for i in range(4)]
    reply = CommentFactory(post=post, parent=roots[0], author_name="Replier", body="<p>reply in thread 0</p>")
    return post, roots, reply


def post_comment(client, data, ip="203.0.113.9"):
    return client.post(URL, data, REMOTE_ADDR=ip)


def location_parts(response):
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query), parts.fragment, parts.query


def reply_hrefs(html):
    return {
        int(pk): href.replace("&amp;", "&")
        for href, pk in re.findall(r'class="comment-reply-link" href="([^"]*)" data-commentid="(\d+)"', html)
    }


def test_page_number_is_none_when_paging_is_off(discussion):
    comment = CommentFactory()
    assert comment_page_number(comment, discussion) is None


def test_page_number_of_each_thread(threads, paged):
    post, roots, reply = threads
    assert [comment_page_number(root, paged) for root in roots] == [1, 1, 2, 2]
    assert comment_page_number(reply, paged) == 1
    # A held top-level comment starts a third page for its writer.
    held = CommentFactory(post=post, status=Comment.Status.PENDING)
    assert comment_page_number(held, paged) == 3
    # Spam takes no place: the page it would be on, at most the last one.
    spam = CommentFactory(post=post, status=Comment.Status.SPAM)
    assert comment_page_number(spam, paged) == 2


def test_held_top_level_comment_is_on_its_writers_page(client, comment_data, threads):
    post, _roots, _reply = threads
    response = post_comment(client, comment_data(post, body="My own new thread"))
    comment = Comment.objects.get(body__contains="My own new thread")
    assert comment.status == Comment.Status.PENDING

    path, query, fragment, raw_query = location_parts(response)
    assert path == post.get_absolute_url()
    assert fragment == f"comment-{comment.pk}"
    # The contract's first two parameters keep their order; the page comes after.
    assert raw_query.startswith(f"unapproved={comment.pk}&moderation-hash=")
    assert query["cpage"] == ["3"]

    page = client.get(response["Location"])
    assertContains(page, "My own new thread")
    assertContains(page, "Your comment is awaiting moderation.")
    assertContains(page, "Comment page 3 of 3")
    # The writer's browser (signed cookie) finds it on the default page, the last one.
    assertContains(client.get(post.get_absolute_url()), "My own new thread")

    # Everybody else still has two pages, and no trace of it.
    other = Client()
    html = other.get(post.get_absolute_url()).content.decode()
    assert "Comment page 2 of 2" in html and "My own new thread" not in html
    assert other.get(post.get_absolute_url(), {"cpage": 3}).status_code == 404
    forged = {"unapproved": comment.pk, "moderation-hash": "0" * 32, "cpage": 3}
    assert other.get(post.get_absolute_url(), forged).status_code == 404


def test_held_comment_with_the_first_page_as_default(client, comment_data, threads, paged):
    paged.default_comments_page = DiscussionSettings.DefaultPage.OLDEST
    paged.save()
    post, _roots, _reply = threads
    response = post_comment(client, comment_data(post, body="Held on page three"))
    assert location_parts(response)[1]["cpage"] == ["3"]
    assertContains(client.get(response["Location"]), "Held on page three")


def test_approved_reply_lands_on_the_page_of_its_thread(client, comment_data, threads):
    post, roots, _reply = threads
    CommentFactory(post=post, author_name="Riley Reader", author_email="riley@example.com", parent=roots[3])
    response = post_comment(client, comment_data(post, parent=roots[0].pk, body="Answer on page one"))
    comment = Comment.objects.get(body__contains="Answer on page one")
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"{post.get_absolute_url()}?cpage=1#comment-{comment.pk}"
    html = Client().get(response["Location"]).content.decode()
    assert re.search(rf'id="comment-{roots[0].pk}".*<ol class="children">.*id="comment-{comment.pk}"', html, re.S)


def test_reply_links_keep_the_page_and_the_reply_form_works_there(client, comment_data, threads):
    post, roots, _reply = threads
    html = client.get(post.get_absolute_url(), {"cpage": 1}).content.decode()
    links = reply_hrefs(html)
    assert links[roots[0].pk] == f"?cpage=1&replytocom={roots[0].pk}#respond"
    assert set(links) == {roots[0].pk, roots[1].pk, Comment.objects.get(author_name="Replier").pk}

    # Following the link (no JavaScript) shows page one, replying to thread 0.
    response = client.get(post.get_absolute_url(), {"cpage": 1, "replytocom": roots[0].pk})
    assertContains(response, "Leave a Reply to Root 0")
    assertContains(response, f'<input type="hidden" name="parent" value="{roots[0].pk}" id="id_parent">')
    assertContains(response, "thread 0")
    assertContains(response, f'href="{post.get_absolute_url()}?cpage=1#respond">Cancel reply')

    response = post_comment(client, comment_data(post, parent=roots[0].pk, body="Replying on page one"))
    comment = Comment.objects.get(body__contains="Replying on page one")
    assert comment.parent_id == roots[0].pk
    assert location_parts(response)[1]["cpage"] == ["1"]
    assertContains(client.get(response["Location"]), "Replying on page one")


def test_replytocom_without_a_page_opens_the_page_of_that_comment(client, threads):
    post, roots, reply = threads
    # A reply link without ?cpage= (an old or shared link), and page one is not the default.
    for target, name in ((roots[1], "Root 1"), (reply, "Replier")):
        response = client.get(f"{post.get_absolute_url()}?replytocom={target.pk}#respond")
        assertContains(response, f"Leave a Reply to {name}")
        assertContains(response, f'name="parent" value="{target.pk}"')
        assertContains(response, "Comment page 1 of 2")
    # An explicit page wins; the comment is not on it, so it is a normal page.
    response = client.get(post.get_absolute_url(), {"cpage": 2, "replytocom": roots[1].pk})
    assertContains(response, 'name="parent" value="0"')


def test_refused_reply_is_shown_again_on_the_page_of_its_parent(client, comment_data, threads):
    post, roots, _reply = threads
    response = post_comment(client, comment_data(post, parent=roots[1].pk, name="", body="Keep this reply"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Leave a Reply to Root 1" in html
    assert f'name="parent" value="{roots[1].pk}"' in html
    assert "Comment page 1 of 2" in html and "Keep this reply" in html
    links = reply_hrefs(html)
    assert links[roots[0].pk] == f"{post.get_absolute_url()}?cpage=1&replytocom={roots[0].pk}#respond"
    assert f'href="{post.get_absolute_url()}?cpage=2#comments"' in html


def test_paging_off_reply_links_have_no_page(client, discussion):
    comment = CommentFactory()
    html = client.get(comment.post.get_absolute_url()).content.decode()
    assert reply_hrefs(html) == {comment.pk: f"?replytocom={comment.pk}#respond"}
    assertNotContains(client.get(comment.post.get_absolute_url()), "cpage")


def test_comment_thread_pages_and_the_values_that_name_no_page(threads, paged):
    post, roots, _reply = threads
    for raw in ("0", "-1", "3", "1.5", "x", "9" * 30):
        assert comment_thread(post=post, discussion=paged, page=raw) is None, raw
    first = comment_thread(post=post, discussion=paged, page="1")
    assert (first.page, first.num_pages, first.has_other_pages) == (1, 2, True)
    assert not first.page_obj.has_previous() and first.page_obj.next_page_number() == 2
    assert [root.pk for root in first.roots] == [roots[0].pk, roots[1].pk]
    # No page asked: the default page, the last one (newest) unless set to the first.
    assert comment_thread(post=post, discussion=paged, page="").page == 2
    assert comment_thread(post=post, discussion=paged).page == 2
    paged.default_comments_page = DiscussionSettings.DefaultPage.OLDEST
    assert comment_thread(post=post, discussion=paged).page == 1


def test_without_paging_there_is_only_page_one(threads, paged):
    post, _roots, _reply = threads
    paged.page_comments = False
    thread = comment_thread(post=post, discussion=paged, page="1")
    assert (thread.page, thread.num_pages, thread.has_other_pages) == (1, 1, False)
    assert len(thread.roots) == 4
    assert comment_thread(post=post, discussion=paged, page="2") is None


def test_a_comment_page_has_its_own_title(client, threads):
    post, _roots, _reply = threads
    first = client.get(post.get_absolute_url(), {"cpage": 1}).content.decode()
    assert f"<title>{post.title} – Comments page 1 – " in first
    assert "<title>Error:" not in first
    # The article itself (the default, last, comment page) keeps the post's title.
    assert f"<title>{post.title} – Steady Ground</title>" in client.get(post.get_absolute_url()).content.decode()
