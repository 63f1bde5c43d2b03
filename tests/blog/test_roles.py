"""The editorial roles (groups made by blog/migrations/0003_roles), enforced in the post admin.

Every test goes through the admin over HTTP as a staff user placed in the group the
migration created, so the migration and the admin are tested together.
"""

import datetime
import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from blog.models import Post
from tests.blog.admin_forms import edit_form, post_form
from tests.factories import PostFactory, UserFactory, login

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "Editor": {
        "blog.add_post",
        "blog.change_post",
        "blog.delete_post",
        "blog.view_post",
        "blog.publish_post",
        "blog.edit_others_posts",
        "blog.add_category",
        "blog.change_category",
        "blog.delete_category",
        "blog.view_category",
        "blog.add_tag",
        "blog.change_tag",
        "blog.delete_tag",
        "blog.view_tag",
        "comments.view_comment",
        "comments.change_comment",
        "comments.delete_comment",
        "comments.moderate_comment",
        "comments.moderate_all_comments",
    },
    "Author": {
        "blog.add_post",
        "blog.change_post",
        "blog.delete_post",
        "blog.view_post",
        "blog.publish_post",
        "blog.view_category",
        "blog.view_tag",
        "blog.add_tag",
        "comments.view_comment",
        "comments.change_comment",
        "comments.delete_comment",
        "comments.moderate_comment",
    },
    "Contributor": {
        "blog.add_post",
        "blog.change_post",
        "blog.view_post",
        "blog.view_category",
        "blog.view_tag",
    },
    "Moderator": {
        "comments.view_comment",
        "comments.change_comment",
        "comments.delete_comment",
        "comments.moderate_comment",
        "comments.moderate_all_comments",
    },
}


# Later migrations extend the roles as new models arrive (pages, author profiles, subscriptions).
# The media library (0012): editors and authors manage images (authors their own, in the admin).
MEDIA = {f"blog.{action}_image" for action in ("add", "change", "delete", "view")}

OWN_PROFILE = {f"blog.{action}_authorprofile" for action in ("add", "change", "view")}
CURRENT_ROLES = {
    **EXPECTED_ROLES,
    "Editor": EXPECTED_ROLES["Editor"]
    | {
        f"blog.{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("page", "authorprofile")
    }
    | {"comments.view_subscription", "comments.delete_subscription"}
    | MEDIA,
    # Everyone who writes keeps their own profile (display name, bio): migration 0013.
    "Author": EXPECTED_ROLES["Author"] | MEDIA | OWN_PROFILE,
    "Contributor": EXPECTED_ROLES["Contributor"] | OWN_PROFILE,
    "Moderator": EXPECTED_ROLES["Moderator"] | {"comments.view_subscription", "comments.delete_subscription"},
}


def group_perms(name):
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.fixture
def moderator(client):
    return login(client, "Moderator")


@pytest.fixture
def others_post():
    return PostFactory(title="Someone else wrote this", author=UserFactory(username="someone", is_staff=True))


def change_url(post):
    return f"/admin/blog/post/{post.pk}/change/"


def delete_url(post):
    return f"/admin/blog/post/{post.pk}/delete/"


def history_url(post):
    return f"/admin/blog/post/{post.pk}/history/"


# The groups -----------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(CURRENT_ROLES))
def test_migrations_give_each_role_exactly_its_permissions(role):
    assert group_perms(role) == CURRENT_ROLES[role]


def test_running_the_role_migration_again_restores_the_roles_without_duplicates():
    migration = importlib.import_module("blog.migrations.0003_roles")
    state_apps = MigrationLoader(connection).project_state(("blog", "0003_roles")).apps
    editor = Group.objects.get(name="Editor")
    editor.permissions.remove(*editor.permissions.filter(codename="publish_post"))
    Group.objects.get(name="Moderator").permissions.add(*Group.objects.get(name="Editor").permissions.all())

    migration.create_roles(state_apps, connection.schema_editor())

    assert Group.objects.filter(name__in=EXPECTED_ROLES).count() == 4
    assert all(group_perms(role) == perms for role, perms in EXPECTED_ROLES.items())


def test_reversing_the_role_migration_deletes_the_groups():
    migration = importlib.import_module("blog.migrations.0003_roles")
    state_apps = MigrationLoader(connection).project_state(("blog", "0003_roles")).apps
    Group.objects.create(name="Translators")

    migration.delete_roles(state_apps, connection.schema_editor())

    assert list(Group.objects.values_list("name", flat=True)) == ["Translators"]


# Editor ---------------------------------------------------------------------


def test_editor_lists_every_post(editor, others_post):
    PostFactory(title="The editor's own", author=editor.user)
    response = editor.get("/admin/blog/post/")
    assertContains(response, "Someone else wrote this")
    assertContains(response, "The editor&#x27;s own")


def test_editor_edits_another_authors_post_and_reassigns_it(editor, others_post):
    assert editor.get(change_url(others_post)).status_code == 200
    new_author = UserFactory(username="newcomer", is_staff=True)
    data = edit_form(others_post, title="Edited by the editor", author=new_author.pk, sticky="on")
    data.update({"published_at_0": "2024-05-01", "published_at_1": "10:00:00"})

    response = editor.post(change_url(others_post), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    others_post.refresh_from_db()
    assert others_post.title == "Edited by the editor"
    assert others_post.author == new_author
    assert others_post.sticky


def test_editor_deletes_another_authors_post(editor, others_post):
    assert editor.get(delete_url(others_post)).status_code == 200
    response = editor.post(delete_url(others_post), {"post": "yes"})
    assert response.status_code == 302
    assert not Post.objects.filter(pk=others_post.pk).exists()


def test_editor_manages_categories_and_tags(editor):
    assert editor.get("/admin/blog/category/add/").status_code == 200
    assert editor.get("/admin/blog/tag/add/").status_code == 200


# Author ---------------------------------------------------------------------


def test_author_lists_only_own_posts(author, others_post):
    PostFactory(title="Mine and only mine", author=author.user)
    response = author.get("/admin/blog/post/")
    assertContains(response, "Mine and only mine")
    assertNotContains(response, "Someone else wrote this")


@pytest.mark.parametrize("url", [change_url, delete_url, history_url])
def test_author_cannot_open_another_authors_post_by_url(author, others_post, url):
    assert author.get(url(others_post)).status_code == 403


def test_author_forged_edit_of_another_authors_post_is_refused(author, others_post):
    data = edit_form(others_post, title="Hijacked")
    data.update({"published_at_0": "2024-05-01", "published_at_1": "10:00:00"})

    assert author.post(change_url(others_post), data).status_code == 403

    others_post.refresh_from_db()
    assert others_post.title == "Someone else wrote this"


def test_author_forged_delete_of_another_authors_post_is_refused(author, others_post):
    assert author.post(delete_url(others_post), {"post": "yes"}).status_code == 403
    assert Post.objects.filter(pk=others_post.pk).exists()


def test_author_bulk_delete_ignores_another_authors_post(author, others_post):
    own = PostFactory(author=author.user)
    data = {"action": "delete_selected", "_selected_action": [own.pk, others_post.pk], "post": "yes"}
    response = author.post("/admin/blog/post/", data)
    assert response.status_code == 302
    assert not Post.objects.filter(pk=own.pk).exists()
    assert Post.objects.filter(pk=others_post.pk).exists()


def test_missing_post_keeps_the_admins_usual_redirect(author):
    response = author.get("/admin/blog/post/999999/change/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_author_publishes_own_post(author):
    data = post_form(status="published", published_at_0="2024-05-01", published_at_1="10:00:00")
    response = author.post("/admin/blog/post/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert post.author == author.user
    assert post.is_published


def test_author_schedules_own_post(author):
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=3))
    data = post_form(
        status="published", published_at_0=later.strftime("%Y-%m-%d"), published_at_1=later.strftime("%H:%M:%S")
    )
    assert author.post("/admin/blog/post/add/", data).status_code == 302
    assert Post.objects.get().is_scheduled


def test_author_edits_and_deletes_own_published_post(author):
    post = PostFactory(author=author.user)
    data = edit_form(post, title="Better title", status="private")
    data.update({"published_at_0": "2024-05-01", "published_at_1": "10:00:00"})
    assert author.post(change_url(post), data).status_code == 302
    post.refresh_from_db()
    assert (post.title, post.status) == ("Better title", Post.Status.PRIVATE)

    assert author.post(delete_url(post), {"post": "yes"}).status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()


def test_author_cannot_choose_the_author_or_pin_a_post(author):
    someone = UserFactory(username="someone")
    response = author.post("/admin/blog/post/add/", post_form(author=someone.pk, sticky="on"))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.author == author.user
    assert not post.sticky


# Contributor ----------------------------------------------------------------


def test_contributor_is_offered_draft_and_submit_for_review_only(contributor):
    response = contributor.get("/admin/blog/post/add/")
    assertContains(response, '<option value="draft"')
    assertContains(response, "Submit for review")
    assertNotContains(response, '<option value="published"')
    assertNotContains(response, '<option value="private"')
    # No way to schedule: the publication time is not an input.
    assertNotContains(response, 'name="published_at_0"')


@pytest.mark.parametrize("status", ["draft", "pending"])
def test_contributor_creates_a_draft_or_submits_it_for_review(contributor, status):
    response = contributor.post("/admin/blog/post/add/", post_form(status=status))
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert (post.author, post.status, post.published_at) == (contributor.user, status, None)


@pytest.mark.parametrize("status", ["published", "private"])
def test_contributor_forged_publish_on_create_is_refused(contributor, status):
    assert contributor.post("/admin/blog/post/add/", post_form(status=status)).status_code == 403
    assert not Post.objects.exists()


@pytest.mark.parametrize("status", ["published", "private"])
def test_contributor_forged_publish_of_own_draft_is_refused(contributor, status):
    post = PostFactory(author=contributor.user, status=Post.Status.DRAFT, published_at=None)
    assert contributor.post(change_url(post), edit_form(post, status=status, title="Live!")).status_code == 403
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    assert post.title != "Live!"


def test_contributor_forged_publication_time_is_refused(contributor):
    data = post_form(status="pending", published_at_0="2030-01-01", published_at_1="08:00:00")
    assert contributor.post("/admin/blog/post/add/", data).status_code == 403
    assert not Post.objects.exists()

    post = PostFactory(author=contributor.user, status=Post.Status.DRAFT, published_at=None)
    data = edit_form(post, published_at_0="2030-01-01", published_at_1="08:00:00")
    assert contributor.post(change_url(post), data).status_code == 403
    post.refresh_from_db()
    assert post.published_at is None


def test_contributor_edits_own_pending_post(contributor):
    post = PostFactory(author=contributor.user, status=Post.Status.PENDING, published_at=None)
    assert contributor.post(change_url(post), edit_form(post, title="Polished")).status_code == 302
    post.refresh_from_db()
    assert (post.title, post.status) == ("Polished", Post.Status.PENDING)


def test_contributor_may_view_but_not_edit_own_published_post(contributor):
    post = PostFactory(author=contributor.user, title="Out in the world")
    response = contributor.get(change_url(post))
    assert response.status_code == 200
    assertContains(response, "View post")
    assertNotContains(response, 'name="_save"')

    data = edit_form(post, title="Quietly changed", status="draft")
    assert contributor.post(change_url(post), data).status_code == 403
    post.refresh_from_db()
    assert (post.title, post.status) == ("Out in the world", Post.Status.PUBLISHED)


def test_contributor_cannot_delete_even_own_draft(contributor):
    post = PostFactory(author=contributor.user, status=Post.Status.DRAFT, published_at=None)
    assert contributor.get(delete_url(post)).status_code == 403
    assert contributor.post(delete_url(post), {"post": "yes"}).status_code == 403
    assert Post.objects.filter(pk=post.pk).exists()


def test_contributor_lists_only_own_posts_and_cannot_reach_others(contributor, others_post):
    PostFactory(title="My humble draft", author=contributor.user, status=Post.Status.DRAFT, published_at=None)
    response = contributor.get("/admin/blog/post/")
    assertContains(response, "My humble draft")
    assertNotContains(response, "Someone else wrote this")
    assert contributor.get(change_url(others_post)).status_code == 403


def test_contributor_cannot_add_categories_or_tags(contributor):
    assert contributor.get("/admin/blog/category/add/").status_code == 403
    assert contributor.get("/admin/blog/tag/add/").status_code == 403


# Moderator ------------------------------------------------------------------


def test_moderator_does_not_see_the_blog_in_the_admin_index(moderator):
    response = moderator.get("/admin/")
    assert response.status_code == 200
    assertNotContains(response, "/admin/blog/")


@pytest.mark.parametrize(
    "url", ["/admin/blog/post/", "/admin/blog/post/add/", "/admin/blog/category/", "/admin/auth/user/"]
)
def test_moderator_is_refused_posts_taxonomy_and_users(moderator, url):
    assert moderator.get(url).status_code == 403


def test_moderator_cannot_reach_or_change_a_post(moderator, others_post):
    assert moderator.get(change_url(others_post)).status_code == 403
    assert moderator.post(change_url(others_post), edit_form(others_post, title="Nope")).status_code == 403
    others_post.refresh_from_db()
    assert others_post.title == "Someone else wrote this"


# Every role -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["Editor", "Author", "Contributor", "Moderator"])
def test_no_role_reaches_user_accounts(client, role):
    login(client, role)
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
