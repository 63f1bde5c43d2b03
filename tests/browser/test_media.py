"""Images in Chromium: an author uploads a featured image from the post form's pop-up; readers get <picture>."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from blog.models import Image, Post
from tests.browser.admin import PASSWORD, serve_media
from tests.factories import ImageFactory, PostFactory, UserFactory, image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTHOR_PERMISSIONS = [
    *(f"{action}_{model}" for action in ("add", "change", "view", "delete") for model in ("post", "image")),
    "publish_post",
    "view_category",
    "view_tag",
]


def test_an_author_uploads_a_featured_image_without_leaving_the_post(live_server, page, tmp_path):
    author = UserFactory(username="author", is_staff=True)
    author.user_permissions.set(Permission.objects.filter(codename__in=AUTHOR_PERMISSIONS))
    photo = tmp_path / "lake.jpg"
    photo.write_bytes(image_bytes(1200, 800, "JPEG"))
    serve_media(page)

    page.goto(f"{live_server.url}/admin/login/?next=/admin/blog/post/add/")
    page.fill("#id_username", "author")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#id_title")).to_be_visible()

    with page.expect_popup() as opened:
        page.locator("#add_id_featured_image").click()
    popup = opened.value
    popup.set_input_files("#id_file", str(photo))
    popup.fill("#id_alt", "Still water under a grey sky")
    popup.locator("input[name=_save]").click()
    popup.wait_for_event("close")

    image = Image.objects.get()
    expect(page.locator("#id_featured_image")).to_have_value(str(image.pk))
    assert (image.uploaded_by, image.width) == (author, 1200)


def test_readers_get_the_responsive_featured_image(live_server, open_page):
    page = open_page(viewport={"width": 400, "height": 800}, device_scale_factor=2)
    image = ImageFactory(size=(2000, 1000), alt="Two chairs by a window")
    post = PostFactory(title="Chairs", featured_image=image)
    PostFactory(title="Another", featured_image=ImageFactory(size=(800, 400)))
    serve_media(page)

    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    featured = page.locator(".featured-image img")
    expect(featured).to_have_attribute("alt", "Two chairs by a window")
    page.wait_for_function("document.querySelector('.featured-image img').complete")
    chosen = featured.evaluate("img => img.currentSrc")
    assert chosen.endswith(".webp") and "-960w" in chosen  # 360 CSS px at twice the density: the 960 rendition
    assert featured.evaluate("img => img.naturalWidth") > 0  # decoded (the browser scales it to the density)

    page.goto(f"{live_server.url}/")
    expect(page.locator(".post-thumbnail img")).to_have_count(Post.objects.count())
