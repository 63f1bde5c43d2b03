"""The moderation queue in the admin: filters, columns, bulk and row actions, Reply, permissions."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"
COMMENT_PERMS = ["view_comment", "change_comment", "delete_comment", "moderate_comment"]


def staff(*codenames, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def moderator_by_permissions():
    """A staff user given the comment permissions directly (no group), moderating every post."""
    return staff(
        *COMMENT_PERMS,
        "moderate_all_comments",
        "view_subscription",
        username="mod",
        first_name="Mo",
        last_name="Derator",
    )


@pytest.fixture
def author():
    return staff(*COMMENT_PERMS, username="auth")


def bulk(client, action, comments, status=None):
    url = CHANGELIST + (f"?status={status}" if status else "")
    data = {"action": action, "_selected_action": [c.pk for c in comments], "index": 0}
    return client.post(url, data, follow=True)


def test_status_filter_shows_counts(client, moderator_by_permissions):
    post = PostFactory()
    CommentFactory.create_batch(2, post=post, status="pending")
    CommentFactory(post=post, status="spam")
    client.force_login(moderator_by_permissions)
    response = client.get(CHANGELIST)
    assertContains(response, "All (2)")
    assert len(response.context["cl"].result_list) == 2  # spam and trash only in their own views
    assertContains(response, "Pending (2)")
    assertContains(response, "Approved (0)")
    assertContains(response, "Spam (1)")
    assertContains(response, "Trash (0)")
    pending = client.get(CHANGELIST, {"status": "pending"})
    assert len(pending.context["cl"].result_list) == 2


def test_search_over_body_name_email_and_ip(client, moderator_by_permissions):
    CommentFactory(author_name="Findable Name", body="<p>plain</p>")
    CommentFactory(author_email="hidden@example.org")
    CommentFactory(ip_address="198.51.100.77")
    CommentFactory(body="<p>needle in body</p>")
    client.force_login(moderator_by_permissions)
    for term in ("Findable", "hidden@example.org", "198.51.100.77", "needle"):
        assert len(client.get(CHANGELIST, {"q": term}).context["cl"].result_list) == 1, term


def test_columns_for_moderators_include_email_ip_reason_and_reply_context(client, moderator_by_permissions):
    parent = CommentFactory(author_name="Parent Person")
    CommentFactory(
        post=parent.post,
        parent=parent,
        author_email="who@example.com",
        ip_address="203.0.113.9",
        status="pending",
        moderation_reason="Contains 3 links (limit 2).",
    )
    client.force_login(moderator_by_permissions)
    response = client.get(CHANGELIST)
    assertContains(response, "who@example.com")
    assertContains(response, "203.0.113.9")
    assertContains(response, "Contains 3 links (limit 2).")
    assertContains(response, "In reply to <a")
    assertContains(response, "Parent Person")
    assertContains(response, parent.post.title)


def test_authors_see_only_comments_on_their_posts_and_no_addresses(client, author):
    mine = CommentFactory(post=PostFactory(author=author), author_email="reader@example.com", body="<p>mine</p>")
    other = CommentFactory(body="<p>not mine</p>")
    client.force_login(author)
    response = client.get(CHANGELIST)
    assertContains(response, "mine")
    assertNotContains(response, "not mine")
    assertNotContains(response, "reader@example.com")
    assert client.get(f"{CHANGELIST}{other.pk}/change/").status_code == 403
    assert client.get(f"{CHANGELIST}{mine.pk}/change/").status_code == 200
    # A bulk action on someone else's comment changes nothing.
    bulk(client, "approve", [other])
    other.refresh_from_db()
    assert other.status == "approved"
    bulk(client, "spam", [other])
    other.refresh_from_db()
    assert other.status == "approved"


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("approve", "pending", "approved"),
        ("unapprove", "approved", "pending"),
        ("spam", "approved", "spam"),
        ("not_spam", "spam", "approved"),
        ("trash", "pending", "trash"),
        ("restore", "trash", "pending"),
    ],
)
def test_bulk_actions(client, moderator_by_permissions, action, start, end):
    from comments import services

    comments = CommentFactory.create_batch(2, status="approved" if start in ("spam",) else start)
    if start == "spam":
        for comment in comments:
            services.comment_spam(comment=comment)  # remembers "approved" for Not spam
    elif start == "trash":
        for comment in comments:
            Comment.objects.filter(pk=comment.pk).update(status="pending")
            services.comment_trash(comment=Comment.objects.get(pk=comment.pk))
    client.force_login(moderator_by_permissions)
    view = start if action in ("not_spam", "restore") else None  # offered in those views (WordPress)
    response = bulk(client, action, comments, status=view)
    assert response.status_code == 200
    assert set(Comment.objects.values_list("status", flat=True)) == {end}
    assertContains(response, "2 comments")


def test_delete_permanently_only_from_spam_or_trash(client, moderator_by_permissions):
    keep = CommentFactory(status="approved")
    gone = CommentFactory(status="trash")
    client.force_login(moderator_by_permissions)
    response = bulk(client, "delete_permanently", [keep, gone], status="trash")
    assertContains(response, "1 comment deleted permanently.")
    assert list(Comment.objects.values_list("pk", flat=True)) == [keep.pk]


def test_delete_permanently_needs_the_delete_permission(client):
    user = staff("view_comment", "change_comment", "moderate_comment", "moderate_all_comments")
    comment = CommentFactory(status="spam")
    client.force_login(user)
    response = client.get(CHANGELIST, {"status": "spam"})
    assertNotContains(response, 'value="delete_permanently"')
    bulk(client, "delete_permanently", [comment], status="spam")
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_actions_offered_follow_the_status_view(client, moderator_by_permissions):
    CommentFactory(status="pending")
    CommentFactory(status="trash")
    client.force_login(moderator_by_permissions)
    pending = client.get(CHANGELIST, {"status": "pending"}).content.decode()
    options = set(re.findall(r'<option value="([a-z_]+)"', pending))
    assert options == {"approve", "spam", "trash"}
    trash = client.get(CHANGELIST, {"status": "trash"}).content.decode()
    assert set(re.findall(r'<option value="([a-z_]+)"', trash)) == {"spam", "restore", "delete_permanently"}


def test_row_quick_action_is_a_post_and_needs_permission(client, moderator_by_permissions, author):
    comment = CommentFactory(status="pending")
    url = f"{CHANGELIST}{comment.pk}/moderate/approve/"
    client.force_login(moderator_by_permissions)
    assert client.get(url).status_code == 405
    page = client.get(CHANGELIST).content.decode()
    assert f'formaction="{url}"' in page
    response = client.post(url)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert client.post(f"{CHANGELIST}{comment.pk}/moderate/explode/").status_code == 403
    client.force_login(author)
    assert client.post(f"{CHANGELIST}{comment.pk}/moderate/spam/").status_code == 403
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_quick_action_needs_csrf(moderator_by_permissions):
    from django.test import Client

    comment = CommentFactory(status="pending")
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator_by_permissions)
    assert client.post(f"{CHANGELIST}{comment.pk}/moderate/approve/").status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_reply_from_the_admin_is_published_and_threaded(client, moderator_by_permissions):
    parent = CommentFactory(status="pending")
    client.force_login(moderator_by_permissions)
    url = f"{CHANGELIST}{parent.pk}/reply/"
    assertContains(client.get(url), "replying approves it")
    assert client.post(url, {"body": "   "}).status_code == 400
    response = client.post(url, {"body": "Thanks for writing."})
    reply = Comment.objects.get(parent=parent)
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{reply.pk}")
    assert reply.status == "approved" and reply.user == moderator_by_permissions and reply.depth == 2
    parent.refresh_from_db()
    assert parent.status == "approved"
    assertContains(client.get(parent.post.get_absolute_url()), "Thanks for writing.")


def test_reply_form_refuses_blank_and_overlong_text():
    from comments.forms import ReplyForm

    assert ReplyForm({"body": " \n "}).errors == {"body": ["Please type your reply."]}
    assert ReplyForm({}).errors == {"body": ["Please type your reply."]}
    assert ReplyForm({"body": "x" * 65526}).errors == {"body": ["Your reply is too long."]}
    form = ReplyForm({"body": "  As typed. "})
    assert form.is_valid() and form.cleaned_data["body"] == "  As typed. "


def test_reply_service_refuses_a_parent_in_the_spam_and_changes_nothing(moderator_by_permissions):
    from comments import services

    parent = CommentFactory(status="spam")
    with pytest.raises(services.CommentRefused):
        services.comment_reply(parent=parent, user=moderator_by_permissions, body="Hello")
    parent.refresh_from_db()
    assert parent.status == "spam" and not Comment.objects.filter(parent=parent).exists()


def test_editing_a_comment_sanitises_it(client, moderator_by_permissions):
    comment = CommentFactory()
    client.force_login(moderator_by_permissions)
    data = {
        "author_name": "Edited",
        "author_email": comment.author_email,
        "author_url": "",
        "body": '<p>fine</p><script>alert(1)</script><a href="javascript:x">x</a>',
        "status": "approved",
    }
    response = client.post(f"{CHANGELIST}{comment.pk}/change/", data)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.author_name == "Edited"
    assert "<script" not in comment.body and "javascript:" not in comment.body


def test_changing_status_in_the_edit_form_goes_through_the_services(client, moderator_by_permissions):
    comment = CommentFactory(status="pending")
    client.force_login(moderator_by_permissions)
    data = {"author_name": comment.author_name, "author_email": "", "author_url": "", "body": comment.body}
    client.post(f"{CHANGELIST}{comment.pk}/change/", {**data, "status": "trash"})
    comment.refresh_from_db()
    assert comment.status == "trash" and comment.previous_status == "pending"


def test_admin_index_shows_the_pending_count(client, moderator_by_permissions):
    CommentFactory.create_batch(3, status="pending")
    client.force_login(moderator_by_permissions)
    assertContains(client.get("/admin/"), "3 comments waiting for moderation")


def test_users_without_comment_permissions_get_403(client):
    client.force_login(staff("view_post"))
    assert client.get(CHANGELIST).status_code == 403


def test_purge_comments_empties_old_trash_and_spam_only(moderator_by_permissions):
    old = timezone.now() - datetime.timedelta(days=31)
    keep_recent = CommentFactory(status="trash")
    keep_approved = CommentFactory(status="approved")
    root = CommentFactory(status="trash")
    reply = CommentFactory(post=root.post, parent=root, status="approved")
    spam = CommentFactory(status="spam")
    Comment.objects.filter(pk__in=[root.pk, spam.pk, keep_approved.pk]).update(updated_at=old)
    call_command("purge_comments", stdout=open("/dev/null", "w"))  # noqa: SIM115
    remaining = set(Comment.objects.values_list("pk", flat=True))
    assert remaining == {keep_recent.pk, keep_approved.pk, reply.pk}
    reply.refresh_from_db()
    assert reply.parent is None and reply.depth == 1


def test_discussion_settings_page_is_grouped_like_wordpress(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/comments/discussionsettings/", follow=True)
    for heading in ("Other comment settings", "Email me whenever", "Before a comment appears", "Comment moderation"):
        assertContains(response, heading)
    assertContains(response, "It will match inside words")


def test_moderators_of_finds_group_members_and_the_post_author_only_for_own_posts():
    from django.contrib.auth.models import Group

    from comments.permissions import moderators_of

    moderator = UserFactory(username="group-mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderator"))
    editor = UserFactory(username="group-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    author = UserFactory(username="group-author", is_staff=True)
    author.groups.add(Group.objects.get(name="Author"))
    other_author = UserFactory(username="other-author", is_staff=True)
    other_author.groups.add(Group.objects.get(name="Author"))
    contributor = UserFactory(username="contrib", is_staff=True)
    contributor.groups.add(Group.objects.get(name="Contributor"))
    comment = CommentFactory(post=PostFactory(author=author), status="pending")
    assert {user.username for user in moderators_of(comment)} == {"group-mod", "group-editor", "group-author"}


def test_subscriptions_are_listed_for_moderators_and_cannot_be_added(client, moderator_by_permissions):
    from comments.models import Subscription

    post = PostFactory()
    Subscription.objects.create(post=post, email="fan@example.com", name="Fan")
    client.force_login(moderator_by_permissions)
    assertContains(client.get("/admin/comments/subscription/"), "fan@example.com")
    assert client.get("/admin/comments/subscription/add/").status_code == 403


def group_member(group, username):
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_stock_delete_page_only_for_spam_and_trash_and_keeps_threads(client):
    moderator = group_member("Moderator", "gm")
    approved = CommentFactory(status="approved")
    trashed = CommentFactory(status="trash")
    reply = CommentFactory(post=trashed.post, parent=trashed)
    client.force_login(moderator)
    assert client.get(f"{CHANGELIST}{approved.pk}/delete/").status_code == 403
    assert client.post(f"{CHANGELIST}{approved.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Comment.objects.filter(pk=approved.pk).exists()
    assert client.post(f"{CHANGELIST}{trashed.pk}/delete/", {"post": "yes"}).status_code == 302
    reply.refresh_from_db()
    assert reply.parent is None and reply.depth == 1 and reply.thread_root == reply.pk


def test_authors_reach_no_other_authors_comments_by_any_admin_url(client):
    author = group_member("Author", "ga")
    other = CommentFactory(status="pending")
    client.force_login(author)
    for url in (f"{other.pk}/change/", f"{other.pk}/delete/", f"{other.pk}/history/", f"{other.pk}/reply/"):
        assert client.get(CHANGELIST + url).status_code == 403, url
    assert client.post(f"{CHANGELIST}{other.pk}/reply/", {"body": "sneaky"}).status_code == 403
    assert client.post(f"{CHANGELIST}{other.pk}/moderate/approve/").status_code == 403
    other.refresh_from_db()
    assert other.status == "pending" and not Comment.objects.filter(parent=other).exists()


def test_authors_do_not_see_commenter_addresses_in_the_edit_form_or_search(client):
    author = group_member("Author", "gb")
    comment = CommentFactory(
        post=PostFactory(author=author), author_email="secret@example.org", ip_address="203.0.113.50"
    )
    client.force_login(author)
    page = client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()
    assert "secret@example.org" not in page and "203.0.113.50" not in page
    assert len(client.get(CHANGELIST, {"q": "secret@example.org"}).context["cl"].result_list) == 0


def test_editor_moderates_any_comment_through_the_group(client):
    editor = group_member("Editor", "ge")
    comment = CommentFactory(status="pending")
    client.force_login(editor)
    response = bulk(client, "approve", [comment])
    assertContains(response, "1 comment approved.")
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_bulk_action_reports_skipped_comments(client):
    author = group_member("Author", "gc")
    other = CommentFactory(status="pending")
    client.force_login(author)
    # The author sees no other author's comments; a forged selection is skipped and said so.
    response = client.post(CHANGELIST, {"action": "approve", "_selected_action": [other.pk], "index": 0}, follow=True)
    other.refresh_from_db()
    assert other.status == "pending"
    mine = CommentFactory(post=PostFactory(author=author), status="approved")
    response = bulk(client, "approve", [mine])
    assertContains(response, "1 comment skipped")


def test_reply_to_a_comment_on_an_unpublished_post_is_refused_cleanly(client, moderator_by_permissions):
    from blog.models import Post

    comment = CommentFactory(status="pending")
    Post.objects.filter(pk=comment.post_id).update(status="draft")
    client.force_login(moderator_by_permissions)
    response = client.post(f"{CHANGELIST}{comment.pk}/reply/", {"body": "Hello"})
    assert response.status_code == 400
    assertContains(response, "not published", status_code=400)
    comment.refresh_from_db()
    assert comment.status == "pending"  # the approval rolled back with the refused reply


def test_row_action_never_redirects_off_site(client, moderator_by_permissions):
    comment = CommentFactory(status="pending")
    client.force_login(moderator_by_permissions)
    response = client.post(f"{CHANGELIST}{comment.pk}/moderate/approve/", {"next": "//evil.example/x"})
    assert response["Location"] == CHANGELIST


def test_held_comment_emails_skip_non_staff_group_members():
    from comments.permissions import moderators_of

    member = group_member("Moderator", "gd")
    member.is_staff = False
    member.save()
    comment = CommentFactory(status="pending")
    assert member not in moderators_of(comment)


def test_every_admin_page_shows_the_pending_count_to_moderators(client, moderator_by_permissions):
    CommentFactory.create_batch(2, status="pending")
    client.force_login(moderator_by_permissions)
    for url in (CHANGELIST, "/admin/comments/subscription/", "/admin/password_change/"):
        assertContains(client.get(url), "2 comments pending")
    client.force_login(staff("view_post"))
    assertNotContains(client.get("/admin/"), "comments pending")


@pytest.mark.parametrize("selected", ["abc", "1.5", "", "9" * 30])
@pytest.mark.parametrize(("action", "status"), [("approve", "pending"), ("delete_permanently", "spam")])
def test_bulk_action_with_an_unreadable_selection_changes_nothing_and_says_why(
    client, moderator_by_permissions, selected, action, status
):
    comment = CommentFactory(status=status)
    client.force_login(moderator_by_permissions)
    data = {"action": action, "_selected_action": [comment.pk, selected], "index": 0}
    response = client.post(f"{CHANGELIST}?status={status}", data)
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?status={status}"
    assertContains(
        client.get(response["Location"]), "The selected items could not be read, so no items have been changed."
    )
    comment.refresh_from_db()
    assert comment.status == status
