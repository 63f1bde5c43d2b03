"""import_wxr with WordPress's theme unit test data: what readers then see, and what a second import changes."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from blog.models import Category, Page, Post, Tag
from comments.models import Comment
from wordpress.importer import text
from wordpress.models import ImportedObject, Source
from wordpress.wxr.reader import Item, read_wxr

pytestmark = pytest.mark.django_db

# A copy of ../shared/fixtures/wordpress/themeunittestdata.wordpress.xml (WordPress's theme unit test data).
THEME_DATA = Path(__file__).parent / "data" / "themeunittestdata.wordpress.xml"


def in_the_file(post_type):
    """(title, status, password) of each item of a type, read straight from the file."""
    return [
        (item.title, item.status, item.post_password, item.post_date_gmt)
        for item in read_wxr(THEME_DATA)
        if isinstance(item, Item) and item.post_type == post_type
    ]


def run_import(path=THEME_DATA, *args):
    out = io.StringIO()
    call_command("import_wxr", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported():
    output = run_import()
    return output


def test_the_published_posts_and_pages_are_on_the_site_and_nothing_else(client, imported):
    now = timezone.now()
    public = [
        title
        for title, status, password, date in in_the_file("post")
        if status == "publish" and not password and date <= now
    ]
    titles = sorted(Post.objects.published().values_list("title", flat=True))
    assert len(titles) == len(public)
    named = sorted(text(t) for t in public if t)  # an untitled post becomes "Post <id>"
    assert [t for t in titles if t in named] == named
    pages = [title for title, status, password, _date in in_the_file("page") if status == "publish" and not password]
    assert Page.objects.published().count() == len(pages)
    response = client.get(Post.objects.get(title="Template: Sticky").get_absolute_url())
    assert response.status_code == 200
    assert "posts" in imported and "comments" in imported


def test_template_comments_shows_its_nineteen_approved_comments_threaded(client, imported):
    post = Post.objects.get(title="Template: Comments")
    approved = Comment.objects.approved().filter(post=post)
    assert approved.count() == 19
    assert Comment.objects.filter(post=post, status=Comment.Status.PENDING).count() == 1
    assert approved.filter(depth__gt=1).exists()
    assert max(approved.values_list("depth", flat=True)) >= 5
    html = client.get(post.get_absolute_url()).content.decode()
    for comment in approved:
        assert f'id="comment-{comment.pk}"' in html
    assert Comment.objects.filter(post=post, status=Comment.Status.PENDING).first().body not in html


def test_scheduled_draft_and_password_protected_posts_are_not_public(client, imported):
    scheduled = Post.objects.get(title__startswith="Scheduled")
    assert scheduled.published_at.year == 2030 and not scheduled.is_published
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    protected = Post.objects.get(title__startswith="Template: Password Protected")
    assert protected.status == Post.Status.PRIVATE
    assert client.get(protected.get_absolute_url()).status_code == 404
    assert "password-protected: imported as private" in imported


def test_closed_posts_show_no_form_and_the_sticky_post_leads_the_front_page(client, imported):
    closed = Post.objects.get(title="Template: Comments Disabled")
    assert not closed.comments_open
    assertNotContains(client.get(closed.get_absolute_url()), 'id="commentform"')
    front = client.get("/").content.decode()
    sticky = Post.objects.get(title="Template: Sticky")
    assert sticky.sticky
    assert front.index(f'id="post-{sticky.pk}"') < min(
        front.index(f'id="post-{post.pk}"')
        for post in Post.objects.published().exclude(pk=sticky.pk)[:3]
        if f'id="post-{post.pk}"' in front
    )


def test_nested_pages_answer_at_their_paths(client, imported):
    deepest = Page.objects.filter(parent__parent__isnull=False).first()
    assert deepest is not None
    assert deepest.path.count("/") >= 2
    assertContains(client.get(deepest.get_absolute_url()), deepest.title)


def test_categories_keep_their_hierarchy_and_tags_their_exact_names(imported):
    assert Category.objects.filter(parent__isnull=False).count() >= 9
    child = Category.objects.get(slug="child-category-01")
    assert child.parent.slug == "parent-category"
    assert Tag.objects.count() >= 110


def test_a_second_import_changes_nothing(imported):
    counts = [Post.objects.count(), Page.objects.count(), Comment.objects.count(), Category.objects.count()]
    stamps = list(Post.objects.order_by("pk").values_list("pk", "updated_at"))
    again = run_import()
    assert [Post.objects.count(), Page.objects.count(), Comment.objects.count(), Category.objects.count()] == counts
    assert list(Post.objects.order_by("pk").values_list("pk", "updated_at")) == stamps, again
    assert Source.objects.count() == 1


def test_a_dry_run_reports_and_writes_nothing():
    output = run_import(THEME_DATA, "--dry-run")
    assert "Dry run" in output and "posts" in output
    assert Post.objects.count() == 0 and Source.objects.count() == 0 and ImportedObject.objects.count() == 0


def test_a_truncated_file_is_refused_and_changes_nothing(tmp_path):
    data = THEME_DATA.read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(CommandError, match="truncated.*Nothing was imported"):
        run_import(cut)
    assert Post.objects.count() == 0 and Comment.objects.count() == 0


def test_two_sites_with_the_same_ids_do_not_overwrite_each_other(tmp_path, imported):
    other = tmp_path / "other.xml"
    other.write_text(
        THEME_DATA.read_text(encoding="utf-8")
        .replace("https://wpthemetestdata.wordpress.com", "https://another.example")
        .replace("<title>Theme Unit Test Data</title>", "<title>Another Blog</title>"),
        encoding="utf-8",
    )
    before = Post.objects.count()
    run_import(other)
    assert Source.objects.count() == 2
    assert Post.objects.count() == before * 2
    # The first site keeps its /?p= ids; the second's posts are there under new slugs.
    first = Post.objects.get(title="Template: Comments", wordpress_id__isnull=False)
    assert Post.objects.filter(title="Template: Comments").count() == 2
    assert Post.objects.filter(title="Template: Comments").exclude(pk=first.pk).get().wordpress_id is None
