"""An author's whole first post in Chromium, as a WordPress user would write it.

Write in the visual editor, upload an image into the text, save a draft, choose the
image as the featured one, preview, publish, and find the post on the front page with
its responsive image, without one CSP violation on the way.
"""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from blog.models import Image, Post
from tests.browser.admin import EDITABLE, RECORD_CSP_VIOLATIONS, log_in, serve_media
from tests.factories import UserFactory, image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The Author role (blog/migrations/0003_roles, 0012_images): a live-server test's flush empties the groups.
AUTHOR_PERMISSIONS = [
    *(f"{action}_{model}" for action in ("add", "change", "view", "delete") for model in ("post", "image")),
    "publish_post",
    "view_category",
    "view_tag",
    "add_tag",
]


def no_csp_violations(page):
    assert page.evaluate("window.cspViolations") == [], page.evaluate("window.cspViolations")


def test_an_author_writes_illustrates_previews_and_publishes_a_post(live_server, open_page, tmp_path):
    author = UserFactory(username="wren", first_name="Wren", last_name="Writer", is_staff=True)
    author.user_permissions.set(Permission.objects.filter(codename__in=AUTHOR_PERMISSIONS))
    photo = tmp_path / "morning-lake.jpg"
    photo.write_bytes(image_bytes(1400, 900, "JPEG"))

    page = open_page(viewport={"width": 1280, "height": 900})
    page.context.add_init_script(RECORD_CSP_VIOLATIONS)
    serve_media(page)
    log_in(page, live_server, "wren", next_url="/admin/blog/post/add/")

    # Write: a title, a heading, words and a list from the toolbar.
    page.fill("#id_title", "Mornings by the lake")
    page.locator(EDITABLE).click()
    page.keyboard.type("Slow mornings help us listen.")
    page.keyboard.press("Enter")
    page.click(".prose-menubar__selected")
    page.click(".prose-menubar__option[data-name=heading2]")
    page.keyboard.type("What the water taught me")
    page.keyboard.press("Enter")
    page.click(".prose-menubar button[data-name=bulletList]")
    page.keyboard.type("Breathe")
    page.keyboard.press("Enter")
    page.keyboard.type("Wait")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")

    # An image uploaded from the editor, into the text.
    page.click(".prose-menubar button[data-name=insertImage]")
    dialog = page.get_by_role("dialog", name="Insert image")
    dialog.get_by_label("Image file").set_input_files(str(photo))
    dialog.get_by_label("Alternative text").fill("Mist over a still lake at dawn")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"{EDITABLE} img")).to_have_attribute("alt", "Mist over a still lake at dawn")
    page.fill("#id_tag_names", "Mornings, Quiet")

    # Saved as a draft (the default), then the same image chosen as the featured one.
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    image = Image.objects.get()
    post = Post.objects.get()
    assert (post.status, image.uploaded_by, image.width) == (Post.Status.DRAFT, author, 1400)
    assert f'<img src="{image.url}" alt="Mist over a still lake at dawn" width="1400" height="900">' in post.body
    assert sorted(tag.name for tag in post.tags.all()) == ["Mornings", "Quiet"]
    assert [category.name for category in post.categories.all()] == ["Uncategorized"]
    page.select_option("#id_featured_image", str(image.pk))
    no_csp_violations(page)

    # Preview, in a new tab: the unsaved featured image and the body image, responsive.
    with page.expect_popup() as opened:
        page.click("input[name=_preview]")
    preview = opened.value
    serve_media(preview)
    expect(preview.locator(".preview-banner")).to_contain_text("Preview — not published")
    expect(preview.locator("h1.entry-title")).to_have_text("Mornings by the lake")
    expect(preview.locator(".featured-image img")).to_have_attribute("alt", "Mist over a still lake at dawn")
    body_image = preview.locator(".entry-content picture img")
    expect(body_image).to_have_attribute("srcset", f"{image.fallback_srcset}")
    no_csp_violations(preview)
    preview.close()
    assert Post.objects.get().featured_image is None  # previewing saved nothing

    # Publish now (no date: WordPress's "Publish immediately").
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    post.refresh_from_db()
    assert post.is_published and post.featured_image == image

    # Readers: the front page lists it with its responsive featured image, by the author's name.
    page.goto(f"{live_server.url}/")
    entry = page.locator(f"#post-{post.pk}")
    expect(entry).to_contain_text("Mornings by the lake")
    expect(entry).to_contain_text("Wren Writer")
    expect(entry).to_contain_text("Slow mornings help us listen. What the water taught me Breathe Wait")
    thumbnail = entry.locator(".post-thumbnail img")
    expect(thumbnail).to_have_attribute("width", "1400")
    expect(thumbnail).to_have_attribute("height", "900")
    assert "480w" in thumbnail.get_attribute("srcset") and "960w" in thumbnail.get_attribute("srcset")
    webp = entry.locator(".post-thumbnail source[type='image/webp']")
    assert "480w" in webp.get_attribute("srcset")
    page.wait_for_function(f"document.querySelector('#post-{post.pk} .post-thumbnail img').complete")
    assert thumbnail.evaluate("img => img.currentSrc").endswith(".webp")
    no_csp_violations(page)

    # The article: the body image is responsive and lazy.
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    in_text = page.locator(".entry-content picture img")
    expect(in_text).to_have_attribute("loading", "lazy")
    expect(in_text).to_have_attribute("width", "1400")
    no_csp_violations(page)
