"""The comments section of the article: count, thread, reply links, pages, query counts."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from comments import services
from comments.models import Comment
from tests.demo import ARTICLE
from tests.factories import CommentFactory, PostFactory
from tests.queries import NAVIGATION_QUERIES, NEIGHBOUR_QUERIES

pytestmark = pytest.mark.django_db


def test_seeded_article_shows_four_thoughts_with_two_threaded_author_replies(client, demo):
    html = client.get(ARTICLE).content.decode()
    title = "Do’s And Don’ts When Your Partner Withdraws"
    assert f'<h2 id="comments-title" class="comments-title">4 thoughts on “{title}”</h2>' in html
    items = re.findall(r'<li id="comment-(\d+)" class="([^"]+)">', html)
    assert [cls for _pk, cls in items] == [
        "comment depth-1",
        "comment depth-2 bypostauthor",
        "comment depth-1",
        "comment depth-2 bypostauthor",
    ]
    assert html.count('<ol class="children">') == 2
    assert "I love this article so much!" in html
    assert "It’s funny how I can be away from WP" in html


def test_one_thought_heading(client):
    comment = CommentFactory(post=PostFactory(title="Solo"))
    assertContains(client.get(comment.post.get_absolute_url()), "One thought on “Solo”")


def test_only_approved_comments_are_shown_and_counted(client):
    post = PostFactory(title="Counted")
    CommentFactory(post=post, body="<p>visible one</p>")
    for status in ("pending", "spam", "trash"):
        CommentFactory(post=post, status=status, body=f"<p>hidden {status}</p>")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "One thought on “Counted”" in html
    assert "visible one" in html
    assert "hidden pending" not in html and "hidden spam" not in html and "hidden trash" not in html


def test_reply_to_a_hidden_comment_stays_visible_under_the_nearest_shown_ancestor(client):
    post = PostFactory()
    root = CommentFactory(post=post, body="<p>root</p>")
    middle = CommentFactory(post=post, parent=root, body="<p>middle</p>")
    leaf = CommentFactory(post=post, parent=middle, body="<p>leaf</p>")
    services.comment_set_status(comment=middle, status=Comment.Status.TRASH)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<p>middle</p>" not in html
    assert re.search(rf'id="comment-{root.pk}".*<ol class="children">\s*<li id="comment-{leaf.pk}"', html, re.S)


def test_deleting_a_comment_moves_its_replies_up(client):
    post = PostFactory()
    root = CommentFactory(post=post)
    middle = CommentFactory(post=post, parent=root)
    leaf = CommentFactory(post=post, parent=middle)
    deeper = CommentFactory(post=post, parent=leaf)
    services.comment_delete(comment=middle)
    leaf.refresh_from_db()
    deeper.refresh_from_db()
    assert leaf.parent == root and leaf.depth == 2 and leaf.path.startswith(root.path + "/")
    assert deeper.parent == leaf and deeper.depth == 3 and deeper.path.startswith(leaf.path + "/")
    assert deeper.thread_root == root.pk


def test_deleting_a_top_level_comment_makes_its_replies_threads(client):
    post = PostFactory()
    root = CommentFactory(post=post)
    reply = CommentFactory(post=post, parent=root)
    services.comment_delete(comment=root)
    reply.refresh_from_db()
    assert reply.parent is None and reply.depth == 1 and reply.thread_root == reply.pk
    assertContains(client.get(post.get_absolute_url()), f'<li id="comment-{reply.pk}" class="comment depth-1">')


def test_reply_link_is_absent_at_the_maximum_depth(client, discussion):
    post = PostFactory()
    comment = CommentFactory(post=post)
    chain = [comment]
    for _ in range(4):
        chain.append(CommentFactory(post=post, parent=chain[-1]))
    html = client.get(post.get_absolute_url()).content.decode()
    for item in chain[:-1]:
        assert f'href="?replytocom={item.pk}#respond" data-commentid="{item.pk}"' in html
    assert f"replytocom={chain[-1].pk}" not in html
    discussion.thread_comments_depth = 3
    discussion.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert f"replytocom={chain[2].pk}" not in html and f"replytocom={chain[1].pk}" in html


def test_no_reply_links_and_no_form_when_comments_are_closed(client):
    post = PostFactory(comments_open=False)
    CommentFactory(post=post)
    response = client.get(post.get_absolute_url())
    assertContains(response, "Comments are closed.")
    assertNotContains(response, "comment-reply-link")
    assertNotContains(response, 'id="commentform"')


def test_replytocom_renders_the_reply_form_without_javascript(client, demo):
    jenna = Comment.objects.get(author_name="Jenna")
    response = client.get(f"{ARTICLE}?replytocom={jenna.pk}")
    html = response.content.decode()
    assert "Leave a Reply to Jenna" in html
    assert f'<input type="hidden" name="parent" value="{jenna.pk}" id="id_parent">' in html
    assert f'id="cancel-comment-reply-link" href="{ARTICLE}#respond">Cancel reply' in html
    assert '<meta name="robots" content="noindex, follow">' in html


@pytest.mark.parametrize("value", ["abc", "0", "-3", "99999", "1e9", "", "9" * 50])
def test_bad_replytocom_gives_a_normal_page(client, demo, value):
    response = client.get(ARTICLE, {"replytocom": value})
    assert response.status_code == 200
    assertContains(response, "Leave a Reply <small>")
    assertContains(response, 'name="parent" value="0"')


def test_replytocom_for_another_posts_or_held_comment_is_ignored(client, demo):
    other = CommentFactory()
    held = CommentFactory(post=Comment.objects.first().post, status="pending")
    for pk in (other.pk, held.pk):
        response = client.get(ARTICLE, {"replytocom": pk})
        assertContains(response, 'name="parent" value="0"')


@pytest.mark.parametrize("query", ["unapproved=abc", "unapproved=1&moderation-hash=<script>", "cpage=x", "cpage=2"])
def test_bad_query_values_never_500(client, demo, query):
    response = client.get(f"{ARTICLE}?{query}")
    assert response.status_code in (200, 404)


def test_comment_pages_by_top_level_thread(client, discussion):
    discussion.page_comments = True
    discussion.comments_per_page = 2
    discussion.save()
    post = PostFactory()
    roots = [CommentFactory(post=post, body=f"<p>thread {i}</p>") for i in range(5)]
    CommentFactory(post=post, parent=roots[0], body="<p>reply to thread 0</p>")
    # WordPress's default shows the last page first.
    last = client.get(post.get_absolute_url()).content.decode()
    assert "thread 4" in last and "thread 0" not in last
    assert "Comment page 3 of 3" in last
    first = client.get(post.get_absolute_url(), {"cpage": 1}).content.decode()
    assert "thread 0" in first and "thread 1" in first and "reply to thread 0" in first
    assert "thread 2" not in first
    assert "6 thoughts on" in first
    assert client.get(post.get_absolute_url(), {"cpage": 9}).status_code == 404


def test_newer_first_order(client, discussion):
    discussion.comment_order = "desc"
    discussion.save()
    post = PostFactory()
    CommentFactory(post=post, body="<p>older</p>")
    CommentFactory(post=post, body="<p>newer</p>")
    html = client.get(post.get_absolute_url()).content.decode()
    assert html.index("<p>newer</p>") < html.index("<p>older</p>")


def test_avatars_are_drawn_by_the_site(client):
    comment = CommentFactory(author_name="Jenna Lee")
    html = client.get(comment.post.get_absolute_url()).content.decode()
    assert re.search(r'<svg class="avatar"[^>]*aria-hidden="true".*?>JL</text></svg>', html)
    assert "gravatar" not in html.lower()


def make_thread(post, count):
    """``count`` approved comments: a third top-level, the rest replies nested up to depth 5."""
    objs, made = [], []
    for i in range(count):
        parent = made[i - 1] if i % 3 and made[i - 1].depth < 5 else None
        comment = CommentFactory(post=post, parent=parent, body=f"<p>comment {i}</p>")
        made.append(comment)
        objs.append(comment)
    return objs


@pytest.mark.parametrize("count", [4, 500])
def test_article_query_count_is_fixed_however_many_comments(assert_page_queries, count):
    post = PostFactory()
    make_thread(post, count)
    cold = 5 + NAVIGATION_QUERIES + NEIGHBOUR_QUERIES
    response = assert_page_queries(post.get_absolute_url(), warm=5, cold=cold)
    assert response.content.decode().count('class="comment depth-') == count


@pytest.mark.parametrize("count", [4, 300])
def test_paged_article_query_count_is_fixed(assert_page_queries, discussion, count):
    discussion.page_comments = True
    discussion.comments_per_page = 10
    discussion.save()
    post = PostFactory()
    make_thread(post, count)
    # + the thread ids and the approved count
    assert_page_queries(post.get_absolute_url(), warm=7, cold=7 + NAVIGATION_QUERIES + NEIGHBOUR_QUERIES, cpage=1)


def test_cached_comment_list_changes_as_soon_as_a_comment_does(client):
    post = PostFactory()
    comment = CommentFactory(post=post, body="<p>first words</p>")
    other = CommentFactory(post=post, body="<p>other words</p>")
    assertContains(client.get(post.get_absolute_url()), "first words")

    comment.body = "<p>edited words</p>"
    comment.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert "edited words" in html and "first words" not in html

    services.comment_set_status(comment=other, status=Comment.Status.SPAM)
    assertNotContains(client.get(post.get_absolute_url()), "other words")
    services.comment_approve(comment=other)
    assertContains(client.get(post.get_absolute_url()), "other words")
