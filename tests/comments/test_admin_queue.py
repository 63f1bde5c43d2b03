"""The queue's screens beside Django's: columns and row actions per view, Quick Edit, Empty Spam/Trash, Mine."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from comments.models import Comment
from tests.comments.test_admin import CHANGELIST, COMMENT_PERMS, staff
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return staff(*COMMENT_PERMS, "moderate_all_comments", username="qmod")


def row_actions(html):
    return html.split('class="row-actions"', 1)[1].split("</div>", 1)[0]


def test_trash_view_offers_restore_and_delete_permanently_not_approve(client, moderator):
    comment = CommentFactory(status="trash")
    client.force_login(moderator)
    actions = row_actions(client.get(CHANGELIST, {"status": "trash"}).content.decode())
    assert "Restore" in actions and "Delete Permanently" in actions
    assert f"/{comment.pk}/delete/" in actions
    assert "moderate/approve/" not in actions and "Approve" not in actions


def test_spam_view_offers_not_spam_and_delete_permanently(client, moderator):
    CommentFactory(status="spam")
    client.force_login(moderator)
    actions = row_actions(client.get(CHANGELIST, {"status": "spam"}).content.decode())
    assert "Not spam" in actions and "Delete Permanently" in actions
    assert "moderate/approve/" not in actions


def test_pending_row_offers_approve_reply_quick_edit_spam_trash(client, moderator):
    CommentFactory(status="pending")
    client.force_login(moderator)
    actions = row_actions(client.get(CHANGELIST).content.decode())
    for label in ("Approve", "Reply", "Quick Edit", "Spam", "Trash"):
        assert label in actions, label
    assert "Delete Permanently" not in actions


def test_quick_edit_page_changes_the_fields_and_the_status_through_the_services(client, moderator):
    comment = CommentFactory(status="pending", author_name="Before")
    client.force_login(moderator)
    url = f"{CHANGELIST}{comment.pk}/quick-edit/"
    assertContains(client.get(url), 'name="author_email"')
    data = {
        "author_name": "After",
        "author_email": "after@example.com",
        "author_url": "",
        "body": "<p>Edited <script>x</script></p>",
        "status": "approved",
        "next": CHANGELIST + "?status=approved",
    }
    assertRedirects(client.post(url, data), CHANGELIST + "?status=approved", fetch_redirect_response=False)
    comment.refresh_from_db()
    assert comment.author_name == "After" and comment.status == "approved" and "<script" not in comment.body


def test_quick_edit_bad_input_is_a_400_keeping_what_was_typed(client, moderator):
    comment = CommentFactory(status="pending", author_name="Kept")
    client.force_login(moderator)
    data = {"author_name": "Typed name", "author_email": "not an email", "body": "", "status": "nonsense"}
    response = client.post(f"{CHANGELIST}{comment.pk}/quick-edit/", data)
    assertContains(response, "Typed name", status_code=400)
    assertContains(response, "not an email", status_code=400)
    comment.refresh_from_db()
    assert comment.author_name == "Kept"


def test_quick_edit_hides_the_email_from_authors_and_others_posts_are_forbidden(client):
    author = staff(*COMMENT_PERMS, username="qauth")
    mine = CommentFactory(post=PostFactory(author=author), author_email="secret@example.org")
    other = CommentFactory()
    client.force_login(author)
    page = client.get(f"{CHANGELIST}{mine.pk}/quick-edit/")
    assertNotContains(page, "secret@example.org")
    assertNotContains(page, 'name="author_email"')
    assert client.get(f"{CHANGELIST}{other.pk}/quick-edit/").status_code == 403


def test_a_redirect_elsewhere_is_refused(client, moderator):
    comment = CommentFactory(status="pending")
    client.force_login(moderator)
    data = {"author_name": "A", "author_email": "", "body": "x", "status": "pending", "next": "https://evil.test/"}
    response = client.post(f"{CHANGELIST}{comment.pk}/quick-edit/", data)
    assert response.status_code == 302 and response["Location"] == CHANGELIST


@pytest.mark.parametrize("status", ["spam", "trash"])
def test_empty_spam_and_trash_confirm_then_delete_and_say_how_many(client, moderator, status):
    CommentFactory.create_batch(3, status=status)
    keep = CommentFactory(status="approved")
    client.force_login(moderator)
    listing = client.get(CHANGELIST, {"status": status})
    assertContains(listing, f"/admin/comments/comment/empty/{status}/")
    confirm = client.get(f"{CHANGELIST}empty/{status}/")
    assertContains(confirm, "3 comments will be deleted permanently")
    assert Comment.objects.count() == 4  # the GET deleted nothing
    response = client.post(f"{CHANGELIST}empty/{status}/", follow=True)
    assertContains(response, "3 comments deleted permanently.")
    assert list(Comment.objects.all()) == [keep]


def test_empty_needs_the_delete_permission_and_a_removed_status(client, moderator):
    CommentFactory(status="spam")
    no_delete = staff("view_comment", "change_comment", "moderate_comment", "moderate_all_comments")
    client.force_login(no_delete)
    assertNotContains(client.get(CHANGELIST, {"status": "spam"}), "/empty/spam/")
    assert client.post(f"{CHANGELIST}empty/spam/").status_code == 403
    client.force_login(moderator)
    assert client.post(f"{CHANGELIST}empty/approved/").status_code == 403
    assert Comment.objects.count() == 1


def test_mine_view_counts_and_lists_live_comments_on_my_posts(client, moderator):
    post = PostFactory(author=moderator)
    CommentFactory.create_batch(2, post=post, status="approved")
    CommentFactory(post=post, status="spam")
    CommentFactory(status="approved")
    client.force_login(moderator)
    assertContains(client.get(CHANGELIST), "Mine (2)")
    mine = client.get(CHANGELIST, {"status": "mine"})
    assert {c.post_id for c in mine.context["cl"].result_list} == {post.pk}
    assert len(mine.context["cl"].result_list) == 2


def test_custom_pages_have_breadcrumbs(client, moderator):
    comment = CommentFactory(status="spam")
    client.force_login(moderator)
    for url in (f"{CHANGELIST}{comment.pk}/quick-edit/", f"{CHANGELIST}empty/spam/"):
        assertContains(client.get(url), '<ol class="breadcrumbs">')
    live = CommentFactory(status="pending")
    assertContains(client.get(f"{CHANGELIST}{live.pk}/reply/"), '<ol class="breadcrumbs">')


@pytest.mark.parametrize("status", [None, "pending", "approved", "spam", "trash", "mine"])
def test_queue_queries_do_not_grow_with_the_rows(client, moderator, django_assert_max_num_queries, status):
    def fill(count):
        for _ in range(count):
            parent = CommentFactory(status=status if status in Comment.Status.values else "approved")
            CommentFactory(post=parent.post, parent=parent, status=parent.status)

    client.force_login(moderator)
    params = {"status": status} if status else {}
    fill(2)
    with django_assert_max_num_queries(14) as small:
        assert client.get(CHANGELIST, params).status_code == 200
    fill(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(CHANGELIST, params).status_code == 200


def test_a_comments_admin_page_is_titled_by_its_author_and_post(client, moderator):
    comment = CommentFactory(author_name="Pat Visitor", post=PostFactory(title="Letting Go"))
    client.force_login(moderator)
    response = client.get(f"{CHANGELIST}{comment.pk}/change/")
    assertContains(response, "<title>Comment by Pat Visitor on “Letting Go” | Change comment")
    assertNotContains(response, f"Pat Visitor on {comment.post_id}")
