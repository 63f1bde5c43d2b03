"""Writing in the admin as a WordPress author expects: the default category, tags typed into the
form, the byline's display name, where a post stands ("Scheduled for …"), and a scheduled post
appearing by itself at its time through every cache."""

import datetime
import time
from unittest import mock

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from blog import services
from blog.models import AuthorProfile, Category, Post, Tag, WritingSettings, default_category
from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client):
    user = UserFactory(username="boss", first_name="", last_name="", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def form_data(client, **overrides):
    data = {
        "author": client.user.pk,
        "title": "Fresh words",
        "slug": "fresh-words",
        "body": "<p>Hello</p>",
        "excerpt": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "tag_names": "",
        "comments_open": "on",
    }
    data.update(overrides)
    return data


# The default category


def test_a_post_saved_without_a_category_goes_to_uncategorized(boss):
    response = boss.post("/admin/blog/post/add/", form_data(boss))
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get(slug="fresh-words")
    assert [category.slug for category in post.categories.all()] == ["uncategorized"]
    assert default_category().name == "Uncategorized"


def test_the_default_category_can_be_renamed_and_changed_but_not_deleted(boss):
    uncategorized = default_category()
    uncategorized.name = "Notes"
    uncategorized.save()
    assert services.post_create(author=boss.user, title="A", body="<p>a</p>", categories=[]).categories.get() == (
        uncategorized
    )

    essays = CategoryFactory(name="Essays")
    response = boss.get("/admin/blog/writingsettings/")
    assert response.status_code == 302
    response = boss.post(response.url, {"default_category": essays.pk})
    assert response.status_code == 302
    assert services.post_create(author=boss.user, title="B", body="<p>b</p>", categories=[]).categories.get() == essays

    boss.post(f"/admin/blog/category/{essays.pk}/delete/", {"post": "yes"})
    assert Category.objects.filter(pk=essays.pk).exists()
    assert WritingSettings.load().default_category == essays


def test_a_chosen_category_is_kept(boss):
    essays = CategoryFactory(name="Essays")
    boss.post("/admin/blog/post/add/", form_data(boss, categories=[essays.pk]))
    assert list(Post.objects.get().categories.all()) == [essays]


# Tags typed into the form


def test_tags_are_typed_existing_ones_found_and_new_ones_created(boss):
    calm = TagFactory(name="Calm", slug="calm")
    response = boss.post("/admin/blog/post/add/", form_data(boss, tag_names=" calm, Slow mornings ,CALM,, ünïcode"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert sorted(tag.name for tag in post.tags.all()) == ["Calm", "Slow mornings", "ünïcode"]
    assert Tag.objects.filter(name__iexact="calm").get() == calm

    form = boss.get(f"/admin/blog/post/{post.pk}/change/").context["adminform"].form
    assert sorted(form.initial["tag_names"].split(", ")) == ["Calm", "Slow mornings", "ünïcode"]

    boss.post(f"/admin/blog/post/{post.pk}/change/", form_data(boss, tag_names="Slow mornings"))
    assert [tag.name for tag in post.tags.all()] == ["Slow mornings"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [("!!!, calm", "“!!!” cannot be a tag: use letters or numbers."), ("x" * 101, "is too long for a tag")],
)
def test_unusable_tags_are_refused_beside_the_field_and_nothing_is_lost(boss, typed, message):
    response = boss.post("/admin/blog/post/add/", form_data(boss, tag_names=typed, body="<p>Every word kept</p>"))
    assert response.status_code == 200
    assertContains(response, message)
    form = response.context["adminform"].form
    assert form["body"].value() == "<p>Every word kept</p>"
    assert form["tag_names"].value() == typed
    assert not Post.objects.exists() and not Tag.objects.exists()


def test_a_contributor_uses_existing_tags_but_cannot_create_new_ones(contributor):
    TagFactory(name="Calm")
    response = contributor.post("/admin/blog/post/add/", form_data(contributor, tag_names="calm, Brand new"))
    assertContains(response, "You may only use existing tags; these are new: Brand new.")
    assert not Post.objects.exists() and Tag.objects.count() == 1

    response = contributor.post("/admin/blog/post/add/", form_data(contributor, tag_names="calm"))
    assert response.status_code == 302
    assert [tag.name for tag in Post.objects.get().tags.all()] == ["Calm"]


def test_a_read_only_post_shows_its_tags(contributor):
    post = PostFactory(author=contributor.user, tags=[TagFactory(name="Calm")])  # published: no longer theirs to edit
    response = contributor.get(f"/admin/blog/post/{post.pk}/change/")
    assert response.status_code == 200
    assertContains(response, "Calm")


# The byline


def test_the_byline_uses_the_display_name_chosen_on_the_profile(client):
    writer = UserFactory(username="admin", first_name="", last_name="")
    post = PostFactory(author=writer, title="Words")
    assertContains(client.get(post.get_absolute_url()), ">admin</a>")

    writer.first_name, writer.last_name = "Ada", "Writer"
    writer.save()
    assertContains(client.get("/"), ">Ada Writer</a>")

    AuthorProfile.objects.create(user=writer, display_name="Dr. Ada")
    for url in ("/", post.get_absolute_url(), "/author/admin/"):
        assertContains(client.get(url), "Dr. Ada")
    assertContains(client.get("/feed/"), ">Dr. Ada</dc:creator>")


def test_an_author_edits_only_their_own_profile(author):
    other = AuthorProfile.objects.create(user=UserFactory(), display_name="Someone else")
    response = author.get("/admin/blog/authorprofile/")
    assert response.status_code == 302 and response.url == "/admin/blog/authorprofile/add/"
    response = author.post("/admin/blog/authorprofile/add/", {"user": other.user.pk, "display_name": "Me", "bio": ""})
    assert response.status_code == 302
    mine = AuthorProfile.objects.get(display_name="Me")
    assert mine.user == author.user
    assert author.get("/admin/blog/authorprofile/").url == f"/admin/blog/authorprofile/{mine.pk}/change/"
    # Not theirs: the admin answers as for a profile that does not exist.
    assert author.get(f"/admin/blog/authorprofile/{other.pk}/change/").status_code == 302
    assert author.get("/admin/blog/authorprofile/add/").status_code == 403  # one profile each


def test_the_byline_costs_no_query_per_author(client, django_assert_max_num_queries):
    from tests.queries import NAVIGATION_QUERIES

    for number in range(12):
        writer = UserFactory()
        AuthorProfile.objects.create(user=writer, display_name=f"Writer {number}")
        PostFactory(author=writer)
    client.get("/")  # warm the navigation
    with django_assert_max_num_queries(8):
        assertContains(client.get("/"), "Writer 11")
    assert NAVIGATION_QUERIES  # the cold page is covered by test_site's budgets


# Where a post stands


def test_the_form_says_scheduled_for_a_future_time_and_published_for_a_past_one(boss):
    soon = timezone.now() + datetime.timedelta(days=2)
    scheduled = PostFactory(published_at=soon)
    assertContains(boss.get(f"/admin/blog/post/{scheduled.pk}/change/"), "Scheduled for ")
    live = PostFactory()
    response = boss.get(f"/admin/blog/post/{live.pk}/change/")
    assertContains(response, "Published on ")
    assertNotContains(response, "Scheduled for ")
    assertContains(boss.get("/admin/blog/post/add/"), "A post published without a time goes live when it is saved.")


def test_saving_a_scheduled_post_says_when_it_will_appear(boss):
    day = (timezone.localtime() + datetime.timedelta(days=3)).date().isoformat()
    data = form_data(boss, status="published", published_at_0=day, published_at_1="09:00:00")
    response = boss.post("/admin/blog/post/add/", data, follow=True)
    assertContains(response, "appears on the site by itself then.")
    assert Post.objects.get().is_scheduled


# A scheduled post appears by itself, through every cache


class Clock:
    """Moves Django's and the caches' idea of now forward, together."""

    def __init__(self):
        self.offset = 0.0
        self.real_now, self.real_time = timezone.now, time.time

    def now(self):
        return self.real_now() + datetime.timedelta(seconds=self.offset)

    def time(self):
        return self.real_time() + self.offset

    def advance(self, seconds):
        self.offset += seconds


@pytest.fixture
def clock():
    clock = Clock()
    with mock.patch("django.utils.timezone.now", clock.now), mock.patch("time.time", clock.time):
        yield clock


SURFACES = ["/", "/feed/", "/feed/atom/", "/sitemap-posts.xml", "/category/essays/", "/category/essays/feed/"]


def test_a_scheduled_post_appears_at_its_time_on_every_page_feed_and_sitemap(client, clock):
    essays = CategoryFactory(name="Essays", slug="essays")
    PostFactory(title="Already out", slug="already-out", categories=[essays])
    PostFactory(
        title="Coming soon",
        slug="coming-soon",
        categories=[essays],
        published_at=timezone.now() + datetime.timedelta(seconds=120),
    )
    for url in SURFACES + ["/search/?q=coming"]:
        response = client.get(url)  # warms every cache on the way
        assert response.status_code == 200, url
        assert "coming-soon" not in response.content.decode() and "Coming soon" not in response.content.decode(), url
    assertNotContains(client.get("/2099/"), "Coming soon", status_code=404)

    clock.advance(119)
    assertNotContains(client.get("/"), "Coming soon")

    clock.advance(2)  # one second past its time; nothing was saved in between
    for url in SURFACES:
        assertContains(client.get(url), "coming-soon", msg_prefix=url)
    assertContains(client.get("/search/?q=coming"), "Coming soon")
    # The sidebar's recent posts, a cached fragment, have it too.
    sidebar = client.get("/").content.decode().split('class="widget widget-recent-posts"', 1)[1]
    assert "Coming soon" in sidebar
