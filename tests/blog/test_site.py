"""The site around the posts: static pages, date archives, menus, sidebar, neighbours, reading time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertContains, assertNotContains

from blog import navigation, services
from blog.models import AuthorProfile, Post
from comments.models import Comment
from tests.factories import CategoryFactory, CommentFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC)


def main_of(response):
    return response.content.decode().split('<main id="content"', 1)[1].split("</main>", 1)[0]


# Static pages


def test_pages_nest_by_path_and_drafts_are_404(client):
    about = services.page_create(title="About", body="<p>Who we are</p>", status="published")
    team = services.page_create(title="Team", body="<p>The people</p>", parent=about, status="published")
    services.page_create(title="Secret", body="<p>x</p>")
    assert about.get_absolute_url() == "/about/" and team.get_absolute_url() == "/about/team/"
    assertContains(client.get("/about/"), '<h1 class="entry-title">About</h1>')
    assertContains(client.get("/about/team/"), "The people")
    assert client.get("/secret/").status_code == 404
    assert client.get("/team/").status_code == 404
    assert client.get("/about/nobody/").status_code == 404


def test_renaming_a_parent_moves_its_children(client):
    about = services.page_create(title="About", body="<p>a</p>", status="published")
    services.page_create(title="Team", body="<p>t</p>", parent=about, status="published")
    about.slug = "who"
    about.save()
    assert client.get("/who/team/").status_code == 200
    assert client.get("/about/team/").status_code == 404


@pytest.mark.parametrize("slug", ["feed", "search", "category", "admin", "2017"])
def test_top_level_pages_cannot_take_the_sites_own_slugs(slug):
    with pytest.raises(ValidationError):
        services.page_create(title="Taken", slug=slug, body="<p>x</p>")


def test_two_pages_cannot_share_an_address():
    services.page_create(title="About", body="<p>x</p>")
    with pytest.raises(ValidationError):
        services.page_create(title="About", body="<p>y</p>")


def test_page_body_is_sanitised(client):
    page = services.page_create(
        title="Hi", body='<p onclick="x()">ok</p><script>alert(1)</script>', status="published"
    )
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "onclick" not in html


def test_menu_lists_published_pages_in_order_with_children(client):
    services.page_create(title="Zebra", body="<p>z</p>", status="published", menu_order=1)
    about = services.page_create(title="About", body="<p>a</p>", status="published", menu_order=2)
    services.page_create(title="Team", body="<p>t</p>", parent=about, status="published")
    services.page_create(title="Hidden draft", body="<p>h</p>")
    html = client.get("/").content.decode()
    menu = html.split('<nav class="site-menu"', 1)[1].split("</nav>", 1)[0]
    assert menu.index("Zebra") < menu.index("About") < menu.index("Team")
    assert "Hidden draft" not in menu


def test_demo_has_an_about_page(client, demo):
    assertContains(client.get("/about/"), "Steady Ground is a small journal")
    assertContains(client.get("/"), 'href="/about/">About</a>')


# Date archives


def test_year_month_and_day_archives(client):
    PostFactory(title="March post", published_at=at(2017, 3, 6))
    PostFactory(title="April post", published_at=at(2017, 4, 2))
    PostFactory(title="Other year", published_at=at(2018, 1, 1))
    PostFactory(title="Draft in March", published_at=at(2017, 3, 6), status=Post.Status.DRAFT)

    year = main_of(client.get("/2017/"))
    assert "Year: 2017" in year and "March post" in year and "April post" in year and "Other year" not in year
    month = main_of(client.get("/2017/03/"))
    assert "Month: March 2017" in month and "March post" in month and "April post" not in month
    day = main_of(client.get("/2017/03/06/"))
    assert "Day: March 6, 2017" in day and "March post" in day
    assert "Draft in March" not in year + month + day


@pytest.mark.parametrize(
    "url",
    [
        "/2016/",
        "/2017/02/",
        "/2017/03/07/",
        "/2017/13/",
        "/2017/02/30/",
        "/0000/",
        "/9999/",
        "/9999/12/",
        "/9999/12/31/",
    ],
)
def test_empty_or_impossible_date_archives_are_404(client, url):
    PostFactory(published_at=at(2017, 3, 6))
    assert client.get(url).status_code == 404


def test_archive_pages_link_prev_and_next(client):
    for i in range(12):
        PostFactory(published_at=at(2017, 3, 1) + datetime.timedelta(hours=i))
    first = client.get("/2017/03/").content.decode()
    assert '<link rel="next" href="http://127.0.0.1:8000/2017/03/?page=2">' in first
    assert 'rel="prev"' not in first.split("</head>")[0]
    second = client.get("/2017/03/", {"page": 2}).content.decode()
    assert '<link rel="prev" href="http://127.0.0.1:8000/2017/03/">' in second
    assert client.get("/2017/03/", {"page": "x"}).status_code == 404


def test_category_archive_includes_child_categories_and_shows_parents(client):
    parent = CategoryFactory(name="Relationships", slug="relationships", description="Love and distance.")
    child = CategoryFactory(name="Withdrawal", slug="withdrawal", parent=parent)
    PostFactory(title="In the child", categories=[child])
    PostFactory(title="In the parent", categories=[parent])
    html = main_of(client.get("/category/relationships/"))
    assert "In the child" in html and "In the parent" in html and "Love and distance." in html
    child_page = main_of(client.get("/category/withdrawal/"))
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in child_page
    assert 'href="/category/relationships/">Relationships</a>' in child_page
    assert "In the parent" not in child_page


def test_empty_category_and_tag_are_404(client):
    CategoryFactory(slug="empty")
    TagFactory(slug="unused")
    PostFactory(status=Post.Status.DRAFT, categories=[CategoryFactory(slug="drafts-only")])
    assert client.get("/category/empty/").status_code == 404
    assert client.get("/tag/unused/").status_code == 404
    assert client.get("/category/drafts-only/").status_code == 404


def test_author_archive_shows_bio_and_avatar(client):
    author = UserFactory(username="wren", first_name="Wren", last_name="Writer")
    AuthorProfile.objects.create(user=author, bio="Writes about patience.")
    PostFactory(author=author)
    html = main_of(client.get("/author/wren/"))
    assert "Author: Wren Writer" in html and "Writes about patience." in html
    assert '<svg class="avatar"' in html and ">WW</text>" in html


# Sidebar, neighbours, reading time


def test_sidebar_lists_only_public_things(client):
    category = CategoryFactory(name="Calm")
    tag = TagFactory(name="Patience")
    post = PostFactory(title="Public one", categories=[category], tags=[tag], published_at=at(2020, 5, 1))
    PostFactory(title="Draft one", status=Post.Status.DRAFT, categories=[CategoryFactory(name="DraftCat")])
    CommentFactory(post=post, author_name="Ann", status="approved")
    CommentFactory(post=post, author_name="Spammy", status="spam")
    html = client.get("/").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert "Public one" in footer and "Draft one" not in footer
    assert "Ann on" in footer and "Spammy" not in footer
    assert ">Calm</a> (1)" in footer and "DraftCat" not in footer
    assert ">May 2020</a> (1)" in footer
    assert ">Patience</a>" in footer


def test_navigation_updates_as_soon_as_content_changes(client):
    PostFactory(title="First post")
    assertContains(client.get("/"), "First post")
    PostFactory(title="Second post")
    footer = client.get("/").content.decode().split('<footer class="site-footer">', 1)[1]
    assert "Second post" in footer
    comment = CommentFactory(post=Post.objects.get(title="Second post"), author_name="Late", status="pending")
    assert "Late on" not in client.get("/").content.decode()
    from comments import services as comment_services

    comment_services.comment_approve(comment=comment)
    assertContains(client.get("/"), "Late on")


def test_navigation_expires_when_a_scheduled_post_is_due():
    now = datetime.datetime.now(datetime.UTC)
    PostFactory(published_at=now + datetime.timedelta(seconds=90))
    assert 1 <= navigation._timeout(navigation.generation()) <= 91


def test_previous_next_and_related_posts(client):
    tag = TagFactory()
    older = PostFactory(title="Older", published_at=at(2020, 1, 1), tags=[tag])
    post = PostFactory(title="Middle", published_at=at(2020, 2, 1), tags=[tag])
    newer = PostFactory(title="Newer", published_at=at(2020, 3, 1))
    PostFactory(title="Unrelated draft", status=Post.Status.DRAFT, tags=[tag])
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'<a href="{older.get_absolute_url()}" rel="prev">Older</a>' in html
    assert f'<a href="{newer.get_absolute_url()}" rel="next">Newer</a>' in html
    related = html.split('<section class="related-posts"', 1)[1].split("</section>", 1)[0]
    assert "Older" in related and "Unrelated draft" not in related and "Middle" not in related


def test_reading_time(client):
    post = PostFactory(body="<p>" + "word " * 900 + "</p>")
    assertContains(client.get(post.get_absolute_url()), "4 min read")


@pytest.mark.parametrize("count", [3, 25])
def test_page_query_counts_are_fixed(assert_page_queries, count):
    from tests.queries import NAVIGATION_QUERIES

    for _ in range(count):
        PostFactory(categories=[CategoryFactory()], tags=[TagFactory()])
        CommentFactory()
    for i in range(count):
        services.page_create(title=f"Page {i}", body="<p>x</p>", status="published")
    assert_page_queries("/page-1/", warm=1, cold=1 + NAVIGATION_QUERIES)


@pytest.mark.parametrize("count", [2, 30])
def test_date_archive_query_counts_are_fixed(assert_page_queries, count):
    from tests.queries import NAVIGATION_QUERIES

    for i in range(count):
        PostFactory(published_at=at(2017, 3, 1) + datetime.timedelta(hours=i), categories=[CategoryFactory()])
    # Django's date views: the period's dates (and the months around it), count, posts, categories
    # (and the neighbouring periods that have posts: at most two more).
    for url, warm in (("/2017/", 7), ("/2017/03/", 7), ("/2017/03/01/", 9)):
        assert_page_queries(url, warm=warm, cold=warm + NAVIGATION_QUERIES)


def test_removing_a_comment_keeps_counts_right(client):
    comment = CommentFactory(author_name="Goner")
    assertContains(client.get("/"), "Goner on")
    Comment.objects.filter(pk=comment.pk).delete()
    assertNotContains(client.get("/"), "Goner on")


def test_navigation_follows_changes_made_by_another_process(client, settings):
    """The generation lives in the shared cache: a change in one worker reaches the others."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    PostFactory(title="Seen first")
    assertContains(client.get("/"), "Seen first")
    before = navigation.generation()
    code = "import django; django.setup(); from blog import navigation; navigation.new_generation()"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True, timeout=60)
    assert navigation.generation() != before


def test_a_published_page_under_a_draft_parent_stays_hidden(client):
    parent = services.page_create(title="Draft parent", slug="hidden-parent", body="<p>x</p>")
    child = services.page_create(title="Child", body="<p>child words</p>", parent=parent, status="published")
    assert client.get(child.get_absolute_url()).status_code == 404
    assert "hidden-parent" not in client.get("/sitemap-pages.xml").content.decode()
    parent.status = "published"
    parent.save()
    assertContains(client.get(child.get_absolute_url()), "child words")
