"""Revisions: one per save that changed the words, their list, the difference of two, and restoring one."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from blog import diffs, services
from blog.models import OldSlug, Page, Post, Revision
from tests.blog.admin_forms import edit_form
from tests.factories import CategoryFactory, PostFactory, UserFactory, login, staff_in

pytestmark = pytest.mark.django_db


def revisions_url(post):
    return f"/admin/blog/post/{post.pk}/revisions/"


def compare_url(post):
    return f"/admin/blog/post/{post.pk}/revisions/compare/"


def restore_url(post, revision):
    return f"/admin/blog/post/{post.pk}/revisions/{revision.pk}/restore/"


def new_post(author, **fields):
    defaults = {"title": "First title", "body": "<p>Stay close and breathe.</p>", "categories": [CategoryFactory()]}
    return services.post_create(author=author, **{**defaults, **fields})


def edit(post, user, **fields):
    for name, value in fields.items():
        setattr(post, name, value)
    return services.post_save(post=post, user=user)


# Recording


def test_creating_a_post_keeps_its_first_revision_by_its_author():
    writer = UserFactory()
    post = new_post(writer)
    (revision,) = post.revisions.all()
    assert (revision.title, revision.body, revision.author) == ("First title", post.body, writer)
    assert revision.summary == "First revision."


def test_each_admin_save_that_changes_the_words_keeps_a_revision_by_who_saved(author):
    post = new_post(author.user, status=Post.Status.DRAFT)
    data = edit_form(post, title="Second title", body="<p>Stay close and breathe slowly.</p>", excerpt="Short.")
    response = author.post(f"/admin/blog/post/{post.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    newest = post.revisions.first()
    assert (newest.title, newest.excerpt, newest.author) == ("Second title", "Short.", author.user)
    assert newest.changed == ["title", "excerpt", "body"]
    assert (newest.words_added, newest.words_removed) == (4, 2)  # "breathe." became "breathe slowly."
    assert newest.summary == "Title, excerpt, body: 4 words added, 2 removed."
    assert post.revisions.count() == 2


def test_a_save_that_leaves_title_excerpt_and_body_alone_keeps_no_revision(author):
    post = new_post(author.user, status=Post.Status.DRAFT)
    response = author.post(f"/admin/blog/post/{post.pk}/change/", edit_form(post, comments_open=""))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.comments_open is False
    assert post.revisions.count() == 1


def test_services_keep_revisions_of_posts_and_pages():
    editor = UserFactory()
    post = new_post(editor)
    edit(post, editor, body="<p>Other words.</p>")
    edit(post, editor, body="<p>Other words.</p>")  # nothing new: no revision
    page = services.page_create(title="About", body="<p>Us.</p>", user=editor)
    page.body = "<p>Us, and you.</p>"
    services.page_save(page=page, user=editor)
    assert post.revisions.count() == 2
    assert [r.body for r in page.revisions.all()] == ["<p>Us, and you.</p>", "<p>Us.</p>"]


def test_the_page_admin_keeps_revisions(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = services.page_create(title="About", body="<p>Us.</p>")
    data = {"title": "About us", "slug": "about", "body": "<p>Us.</p>", "status": "draft", "menu_order": 0}
    assert client.post(f"/admin/blog/page/{page.pk}/change/", data).status_code == 302
    assert [r.title for r in Revision.objects.filter(page=page)] == ["About us", "About"]
    assertContains(client.get(f"/admin/blog/page/{page.pk}/change/"), "Revisions (2)")
    assertContains(client.get(f"/admin/blog/page/{page.pk}/revisions/"), "Title: 1 word added, 0 removed.")


def test_the_migration_gives_existing_posts_and_pages_a_first_revision():
    post = PostFactory()  # saved without the services, as before revisions existed
    page = Page.objects.create(title="About", slug="about", body="<p>Us.</p>")
    migration = importlib.import_module("blog.migrations.0014_revisions")
    migration.first_revisions(apps, SimpleNamespace(connection=connection))
    assert Revision.objects.get(post=post).author == post.author
    assert Revision.objects.get(page=page).created_at == page.updated_at


# Differences


def test_words_are_compared_one_by_one():
    assert diffs.diff_words("a quick fox", "a slow fox") == [
        ("equal", "a "),
        ("delete", "quick"),
        ("insert", "slow"),
        ("equal", " fox"),
    ]


def test_a_body_is_compared_as_text_paragraph_by_paragraph():
    old = diffs.text_lines("<p>One &amp; two.</p><ul><li>Breathe</li><li>Wait</li></ul>")
    assert old == ["One & two.", "Breathe", "Wait"]
    segments = diffs.diff_lines(old, ["One & two.", "Breathe deeply", "Wait"])
    assert segments == [("equal", "One & two.\nBreathe"), ("insert", " deeply"), ("equal", "\nWait")]
    assert diffs.word_counts(segments) == (1, 0)


def test_the_difference_page_shows_insertions_and_deletions_escaped(author):
    post = new_post(author.user, title="Plain <b>title</b>", body="<p>Keep &lt;script&gt;alert(1)&lt;/script&gt;</p>")
    edit(post, author.user, title="Plain <i>title</i>", body="<p>Keep &lt;script&gt;alert(2)&lt;/script&gt;</p>")
    older, newer = post.revisions.order_by("pk")
    response = author.get(compare_url(post), {"from": older.pk, "to": newer.pk})
    assertContains(response, "<del>&lt;b&gt;title&lt;/b&gt;</del><ins>&lt;i&gt;title&lt;/i&gt;</ins>", html=False)
    assertContains(response, "<del>&lt;script&gt;alert(1)&lt;/script&gt;</del>")
    assertNotContains(response, "<script>alert")
    assertContains(response, "This revision is the current version.")
    assertContains(author.get(compare_url(post), {"from": newer.pk, "to": older.pk}), "Restore this revision")


def test_without_from_a_revision_is_compared_with_the_one_before(author):
    post = new_post(author.user)
    edit(post, author.user, body="<p>Stay near and breathe.</p>")
    edit(post, author.user, body="<p>Stay near and rest.</p>")
    response = author.get(compare_url(post), {"to": post.revisions.first().pk})
    assertContains(response, "<del>breathe.</del><ins>rest.</ins>")
    assertNotContains(response, "<del>close")


def test_a_change_of_markup_only_is_said_so(author):
    post = new_post(author.user)
    edit(post, author.user, body="<p>Stay <strong>close</strong> and breathe.</p>")
    assertContains(author.get(compare_url(post), {"to": post.revisions.first().pk}), "only its markup")


@pytest.mark.parametrize(
    "params",
    [{}, {"to": "abc"}, {"to": "99999"}, {"to": "1", "from": "x"}, {"to": str(2**70)}],
)
def test_a_bad_comparison_is_a_400_with_the_list_and_a_reason(author, params):
    post = new_post(author.user)
    response = author.get(compare_url(post), params)
    assert response.status_code == 400
    assertContains(response, "errornote", status_code=400)
    assertContains(response, "First revision.", status_code=400)


def test_comparing_with_another_posts_revision_or_itself_is_refused(author):
    post, other = new_post(author.user), new_post(author.user, title="Other", slug="other")
    mine, theirs = post.revisions.get(), other.revisions.get()
    response = author.get(compare_url(post), {"from": theirs.pk, "to": mine.pk})
    assertContains(response, "These are not revisions of this item.", status_code=400)
    response = author.get(compare_url(post), {"from": mine.pk, "to": mine.pk})
    assertContains(response, "Choose two different revisions", status_code=400)
    checked = re.findall(r'<input type="radio" name="(\w+)" value="(\d+)"[^>]* checked>', response.content.decode())
    assert checked == [("from", str(mine.pk)), ("to", str(mine.pk))]


# The change form and the list


def test_the_change_form_links_to_the_revisions_with_their_count(author):
    post = new_post(author.user)
    edit(post, author.user, title="Another title")
    response = author.get(f"/admin/blog/post/{post.pk}/change/")
    assertContains(response, f'href="{revisions_url(post)}"')
    assertContains(response, "Revisions (2)")


def test_the_list_says_who_saved_when_and_what_changed(author):
    post = new_post(author.user)
    editor = staff_in("Editor", "ed")
    editor.first_name, editor.last_name = "Edna", "Editor"
    editor.save()
    edit(post, editor, title="A better title")
    response = author.get(revisions_url(post))
    assertContains(response, "Title: 2 words added, 1 removed.")
    assertContains(response, "Edna Editor")
    assertContains(response, '<time datetime="')


@pytest.mark.parametrize("page", ["2", "abc", "-1", "99"])
def test_a_strange_list_page_number_still_shows_a_page(author, page):
    post = new_post(author.user)
    assert author.get(revisions_url(post), {"p": page}).status_code == 200


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_and_the_difference_take_a_fixed_number_of_queries(author, django_assert_max_num_queries, count):
    post = new_post(author.user)
    for number in range(count - 1):
        edit(post, author.user, body=f"<p>Version {number} of the words.</p>")
    # Session, user, 2 permissions, the post (+ its categories), the count, the admin's menu (own
    # profile, pending comments), the revisions: the same with 2 or 30.
    with django_assert_max_num_queries(10):
        assert author.get(revisions_url(post)).status_code == 200
    newest = post.revisions.first()
    with django_assert_max_num_queries(10):
        assert author.get(compare_url(post), {"to": newest.pk}).status_code == 200


# Restoring


def test_restoring_puts_the_words_back_as_a_new_revision_and_keeps_status_and_slug(author):
    post = new_post(author.user, excerpt="Old excerpt.", status=Post.Status.DRAFT)
    first = post.revisions.get()
    edit(post, author.user, title="Newer", excerpt="", body="<p>New body.</p>", slug="newer", status="pending")
    response = author.post(restore_url(post, first))
    assertRedirects(response, f"/admin/blog/post/{post.pk}/change/", fetch_redirect_response=False)
    post.refresh_from_db()
    assert (post.title, post.excerpt, post.body) == ("First title", "Old excerpt.", first.body)
    assert (post.status, post.slug) == (Post.Status.PENDING, "newer")
    assert list(OldSlug.objects.values_list("slug", flat=True)) == ["first-title"]
    assert post.revisions.count() == 3
    assert post.revisions.first().author == author.user
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and messages[0].startswith("Restored the revision of ")


def test_restore_takes_a_post_only(author):
    post = new_post(author.user)
    assert author.get(restore_url(post, post.revisions.get())).status_code == 405


def test_restoring_another_posts_revision_is_a_404(author):
    post, other = new_post(author.user), new_post(author.user, title="Other", slug="other")
    assert author.post(restore_url(post, other.revisions.get())).status_code == 404


# Who may do what


def test_a_contributor_sees_the_revisions_of_a_published_post_but_cannot_restore_them(contributor):
    post = new_post(contributor.user)
    edit(post, contributor.user, title="Second")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED, published_at=post.created_at)
    first = post.revisions.last()
    assert contributor.get(revisions_url(post)).status_code == 200
    response = contributor.get(compare_url(post), {"to": first.pk})
    assertNotContains(response, "Restore this revision")
    assert contributor.post(restore_url(post, first)).status_code == 403
    post.refresh_from_db()
    assert post.title == "Second"


def test_a_contributor_restores_on_a_draft_and_it_stays_a_draft(contributor):
    post = new_post(contributor.user)
    edit(post, contributor.user, title="Second")
    assert contributor.post(restore_url(post, post.revisions.last())).status_code == 302
    post.refresh_from_db()
    assert (post.title, post.status) == ("First title", Post.Status.DRAFT)


def test_an_author_cannot_reach_another_authors_revisions(author):
    post = new_post(UserFactory(username="someone"))
    revision = post.revisions.get()
    assert author.get(revisions_url(post)).status_code == 403
    assert author.get(compare_url(post), {"to": revision.pk}).status_code == 403
    assert author.post(restore_url(post, revision)).status_code == 403


def test_an_editor_restores_another_authors_post(client):
    post = new_post(UserFactory(username="someone"))
    edit(post, post.author, title="Second")
    editor = login(client, "Editor")
    assert editor.post(restore_url(post, post.revisions.last())).status_code == 302
    post.refresh_from_db()
    assert post.title == "First title"


def test_a_moderator_reaches_no_revisions(client):
    post = new_post(UserFactory(username="someone"))
    moderator = login(client, "Moderator")
    assert moderator.get(revisions_url(post)).status_code == 403


def test_revisions_of_a_missing_post_are_a_404(author):
    assert author.get("/admin/blog/post/99999/revisions/").status_code == 404


@pytest.mark.parametrize("path", ["revisions/", "autosave/"])
def test_an_id_too_large_for_the_database_is_a_404(author, path):
    assert author.get(f"/admin/blog/post/{2**70}/{path}").status_code in (404, 405)
    assert author.post(f"/admin/blog/post/{2**70}/{path}").status_code == 404


def test_a_revision_id_too_large_for_the_database_is_a_404(author):
    post = new_post(author.user)
    assert author.post(f"/admin/blog/post/{post.pk}/revisions/{2**70}/restore/").status_code == 404


def test_an_author_deletes_own_post_with_its_revisions_and_autosaves(author):
    post = new_post(author.user)
    edit(post, author.user, title="Second")
    author.post(f"/admin/blog/post/{post.pk}/autosave/", {"title": "Typed", "body": "<p>Typed.</p>"})
    response = author.post(f"/admin/blog/post/{post.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not Revision.objects.exists()
