import datetime
import re

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from blog.models import Post
from tests.factories import CategoryFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def post_form(category, **overrides):
    data = {
        "title": "Fresh words",
        "slug": "fresh-words",
        "body": "<p>Hello</p><script>alert(1)</script>",
        "excerpt": "",
        "status": "published",
        "published_at_0": "2024-05-01",
        "published_at_1": "10:00:00",
        "categories": [category.pk],
        "comments_open": "on",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_post_with_the_logged_in_author_and_sanitised_body(admin_client):
    category = CategoryFactory()
    data = post_form(category)
    data["author"] = admin_client.user.pk
    response = admin_client.post("/admin/blog/post/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(slug="fresh-words")
    assert post.author == admin_client.user
    assert "<script" not in post.body
    assert (post.excerpt, post.summary) == ("", "Hello")


def test_staff_author_cannot_pick_another_author(client):
    from django.contrib.auth.models import Permission

    writer = UserFactory(username="writer", is_staff=True)
    writer.user_permissions.set(
        Permission.objects.filter(codename__in=["add_post", "change_post", "view_post", "publish_post"])
    )
    client.force_login(writer)
    other = UserFactory()
    data = post_form(CategoryFactory(), author=other.pk)
    response = client.post("/admin/blog/post/add/", data)
    assert response.status_code == 302
    assert Post.objects.get().author == writer


def test_admin_lists_and_filters_posts(admin_client):
    PostFactory(title="Listed one", status=Post.Status.DRAFT)
    response = admin_client.get("/admin/blog/post/", {"status__exact": "draft", "q": "Listed"})
    assertContains(response, "Listed one")
    assert admin_client.get("/admin/blog/category/").status_code == 200
    assert admin_client.get("/admin/blog/tag/").status_code == 200


def test_ensure_admin_creates_one_admin_with_a_printed_password(capsys):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("ensure_admin")
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1].split(" / ")[1]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    call_command("ensure_admin")
    assert "password as set earlier" in capsys.readouterr().out
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_ensure_admin_uses_the_environment(monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "owner")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-and-secret-pass")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "owner@example.com")
    call_command("ensure_admin")
    call_command("ensure_admin")
    user = get_user_model().objects.get(username="owner")
    assert user.check_password("a-long-and-secret-pass")


def test_admin_login_accepts_the_created_admin(client, capsys):
    from django.core.management import call_command

    call_command("ensure_admin")
    password = capsys.readouterr().out.strip().splitlines()[-1].split(" / ")[1]
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": password})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assertContains(client.get("/admin/"), "Site administration")


@pytest.mark.parametrize("selected", ["abc", "1.5", "", "9" * 30])
def test_bulk_delete_with_an_unreadable_selection_changes_nothing_and_says_why(admin_client, selected):
    post = PostFactory()
    data = {"action": "delete_selected", "_selected_action": [post.pk, selected], "index": 0}
    response = admin_client.post("/admin/blog/post/", data)
    assert response.status_code == 302
    assertContains(
        admin_client.get(response["Location"]), "The selected items could not be read, so no items have been changed."
    )
    # The confirmation step (no "index") is refused the same way.
    confirmed = {"action": "delete_selected", "_selected_action": data["_selected_action"], "post": "yes"}
    response = admin_client.post("/admin/blog/post/", confirmed, follow=True)
    assertContains(response, "The selected items could not be read")
    assert Post.objects.filter(pk=post.pk).exists()


@pytest.mark.parametrize("changelist", ["/admin/auth/user/", "/admin/auth/group/"])
def test_djangos_user_and_group_screens_refuse_an_unreadable_selection_too(admin_client, changelist):
    data = {"action": "delete_selected", "_selected_action": ["abc"], "index": 0}
    response = admin_client.post(changelist, data, follow=True)
    assert response.status_code == 200
    assertContains(response, "The selected items could not be read")


@pytest.mark.parametrize(
    "params",
    [
        {"published_at__year": "9999"},
        {"published_at__year": "9999", "published_at__month": "12"},
        {"published_at__year": "9999", "published_at__month": "12", "published_at__day": "31"},
        {"published_at__year": "9" * 30},
        {"published_at__year": "abc"},
    ],
)
def test_date_links_beyond_the_calendar_are_wrong_parameters_not_errors(admin_client, params):
    response = admin_client.get("/admin/blog/post/", params)
    assert response.status_code == 302
    assert response["Location"] == "/admin/blog/post/?e=1"


def test_post_list_says_scheduled_for_a_published_post_still_to_come(admin_client):
    PostFactory(title="Later words", published_at=timezone.now() + datetime.timedelta(days=2))
    PostFactory(title="Earlier words")
    response = admin_client.get("/admin/blog/post/")
    row = r'<th class="field-title"><a [^>]*>([^<]+)</a></th>.*?<td class="field-status_shown">([^<]+)</td>'
    rows = dict(re.findall(row, response.content.decode(), flags=re.S))
    assert rows == {"Later words": "Scheduled", "Earlier words": "Published"}
