"""HTML validity (vnu) and accessibility (axe) of the authors' screens: the post form and its preview.

The tools and their fixtures are test_validity's; see there.
"""

import pytest
from django.urls import reverse

from blog.models import Post
from blog.preview import preview_link_token
from tests.blog.admin_forms import edit_form
from tests.browser.admin import log_in
from tests.browser.test_validity import AXE_JS, AXE_TAGS, describe_axe, describe_vnu, vnu, vnu_errors  # noqa: F401
from tests.factories import UserFactory
from tests.tools import require_tool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def writer(transactional_db):
    return UserFactory(username="writer", first_name="Wren", last_name="Writer", is_staff=True, is_superuser=True)


def author_screens(post):
    return {
        "add-post": "/admin/blog/post/add/",
        "change-post": f"/admin/blog/post/{post.pk}/change/",
        "posts-list": "/admin/blog/post/",
        "add-page": "/admin/blog/page/add/",
        "revisions": f"/admin/blog/post/{post.pk}/revisions/",
        "media-library": "/admin/blog/image/",
        "add-image": "/admin/blog/image/add/",
    }


SCREENS = ["add-post", "change-post", "posts-list", "add-page", "revisions", "media-library", "add-image"]


@pytest.mark.parametrize("screen", SCREENS)
def test_author_screens_are_valid_html(client, demo_post, writer, vnu, screen):  # noqa: F811
    client.force_login(writer)
    path = author_screens(demo_post)[screen]
    response = client.get(path)
    assert response.status_code == 200
    errors = vnu_errors(vnu, response.content)
    assert not errors, f"Nu Html Checker found {len(errors)} error(s) in {path}:\n{describe_vnu(errors)}"


@pytest.fixture
def draft(demo_post, writer):
    """A draft with the demo article's words, categories and tags: what a reviewer previews."""
    post = Post.objects.get(pk=demo_post.pk)
    post.pk, post.slug, post.status, post.published_at = None, "a-draft-to-review", Post.Status.DRAFT, None
    post.save()
    post.categories.set(demo_post.categories.all())
    post.tags.set(demo_post.tags.all())
    return post


def shared_preview_path(post):
    return reverse("blog:shared_preview", kwargs={"token": preview_link_token(post)})


def test_the_preview_of_unsaved_edits_is_valid_html(client, draft, writer, vnu):  # noqa: F811
    client.force_login(writer)
    data = edit_form(draft, author=writer.pk, title="Edited, not saved", tag_names="Patience, Not yet a tag")
    response = client.post(f"/admin/blog/post/{draft.pk}/preview/", data)
    assert response.status_code == 200
    assert b"preview-banner" in response.content
    errors = vnu_errors(vnu, response.content)
    assert not errors, f"Nu Html Checker found {len(errors)} error(s) in the preview:\n{describe_vnu(errors)}"


def test_the_shared_preview_link_page_is_valid_html(client, draft, vnu):  # noqa: F811
    response = client.get(shared_preview_path(draft))
    assert response.status_code == 200
    errors = vnu_errors(vnu, response.content)
    assert not errors, f"Nu Html Checker found {len(errors)} error(s) in the shared preview:\n{describe_vnu(errors)}"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_shared_preview_has_no_accessibility_violations(live_server, draft, open_page, color_scheme):
    require_tool(AXE_JS.is_file(), f"{AXE_JS} missing (run `npm ci` or `make test`)")
    page = open_page(bypass_csp=True, color_scheme=color_scheme)
    response = page.goto(live_server.url + shared_preview_path(draft))
    assert response.status == 200
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = results["violations"]
    assert not violations, f"axe found {len(violations)} violation(s) on the preview:\n" + describe_axe(violations)


@pytest.mark.parametrize("screen", ["add-post", "change-post", "revisions", "add-image"])
def test_author_screens_have_no_accessibility_violations(live_server, demo_post, writer, open_page, screen):
    require_tool(AXE_JS.is_file(), f"{AXE_JS} missing (run `npm ci` or `make test`)")
    page = open_page(bypass_csp=True)
    log_in(page, live_server, "writer")
    response = page.goto(live_server.url + author_screens(demo_post)[screen])
    assert response.status == 200
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = results["violations"]
    assert not violations, f"axe found {len(violations)} violation(s) on {screen}:\n" + describe_axe(violations)
