"""The media library in the admin: the upload form, the editor's JSON endpoints, roles, "Used in"."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from blog.models import Image, Page, Post
from tests.blog.test_images import png_declaring
from tests.factories import CategoryFactory, ImageFactory, PostFactory, UserFactory, image_bytes

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/blog/image/upload/"
CHOOSE = "/admin/blog/image/choose/"
BAD_FILES = [
    ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "SVG images are not accepted"),
    ("x.jpg", b"%PDF-1.7\n% a document, renamed", "“x.jpg” is not an image, or it is damaged."),
    ("bomb.png", png_declaring(30000, 30000), "The image has too many pixels"),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def login(client, role):
    user = UserFactory(username=role.lower(), is_staff=True)
    if role == "Administrator":
        user.is_superuser = True
        user.save()
    else:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    client.user = user
    return client


def upload(name="photo.png", content=None, **fields):
    return {"file": SimpleUploadedFile(name, image_bytes(64, 32) if content is None else content), **fields}


def test_the_urls_have_their_names():
    assert reverse("admin:blog_image_upload") == UPLOAD
    assert reverse("admin:blog_image_choose") == CHOOSE


# The admin's own form


def test_an_author_uploads_an_image_through_the_admin(client):
    author = login(client, "Author")
    response = author.post("/admin/blog/image/add/", upload(alt="Two cups on a table"))
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.alt, image.uploaded_by, image.width, image.height) == ("Two cups on a table", author.user, 64, 32)
    assert len(image.renditions) == 1  # 64 wide: only the WebP at its own width


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_the_admin_form_refuses_bad_files_keeping_the_alt_text(client, name, content, message):
    editor = login(client, "Editor")
    response = editor.post("/admin/blog/image/add/", upload(name, content, alt="What I typed"))
    assert response.status_code == 400
    assertContains(response, message, status_code=400)
    assertContains(response, 'value="What I typed"', status_code=400)
    assert not Image.objects.exists()


def test_alt_text_is_required(client):
    response = login(client, "Editor").post("/admin/blog/image/add/", upload(alt=""))
    assertContains(response, "Describe the image for people who cannot see it", status_code=400)


def test_replacing_the_file_in_the_admin_makes_new_renditions(client, media_root, django_capture_on_commit_callbacks):
    editor = login(client, "Editor")
    image = ImageFactory(size=(1000, 500))
    old_names = image.stored_names()
    data = upload("wider.jpg", image_bytes(1200, 400, "JPEG"), alt="Now wider", title="", caption="")
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(f"/admin/blog/image/{image.pk}/change/", data).status_code == 302
    image.refresh_from_db()
    assert (image.width, image.height, image.format) == (1200, 400, "JPEG")
    assert not any((media_root / name).exists() for name in old_names)
    assert all((media_root / name).exists() for name in image.stored_names())


# The upload endpoint the visual editor calls


def test_upload_answers_201_with_the_image(client):
    author = login(client, "Author")
    response = author.post(UPLOAD, upload("photo.jpg", image_bytes(1600, 1067, "JPEG"), alt="A quiet lake"))
    assert response.status_code == 201
    image = Image.objects.get()
    assert response.json() == {"id": image.pk, "url": image.url, "width": 1600, "height": 1067, "alt": "A quiet lake"}
    assert image.url.startswith("/media/images/") and image.url.endswith("/photo.jpg")
    assert image.uploaded_by == author.user


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_upload_refuses_bad_files_with_400_json(client, name, content, message):
    response = login(client, "Author").post(UPLOAD, upload(name, content, alt="Something"))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["file"] and errors["file"][0].startswith(message)
    assert not Image.objects.exists()


def test_upload_needs_a_file_and_alt_text(client):
    response = login(client, "Author").post(UPLOAD, {})
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "file": ["Choose a picture to upload."],
            "alt": ["Describe the image for people who cannot see it: the alternative text is required."],
        }
    }


def test_contributors_may_not_upload(client):
    response = login(client, "Contributor").post(UPLOAD, upload(alt="Mine"))
    assert response.status_code == 403
    assert response.json() == {"errors": {"__all__": ["You may not upload images."]}}
    assert not Image.objects.exists()


def test_upload_is_post_only(client):
    assert login(client, "Author").get(UPLOAD).status_code == 405


def test_upload_checks_the_csrf_token_from_the_header():
    user = UserFactory(username="csrf", is_staff=True)
    user.groups.add(Group.objects.get(name="Author"))
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post(UPLOAD, upload(alt="No token")).status_code == 403
    page = browser.get("/admin/blog/image/add/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = browser.post(UPLOAD, upload(alt="With token"), headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.post(UPLOAD, upload(alt="Who?"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# The chooser


def test_choose_lists_the_newest_images_and_searches(client):
    editor = login(client, "Editor")
    older = ImageFactory(alt="A red door")
    newer = ImageFactory(alt="A blue boat", caption="At the harbour")
    results = editor.get(CHOOSE).json()["results"]
    assert [r["id"] for r in results] == [newer.pk, older.pk]
    assert results[0] == {
        "id": newer.pk,
        "url": newer.url,
        "thumbnail": newer.thumbnail_url,
        "width": 20,
        "height": 10,
        "alt": "A blue boat",
    }
    assert [r["id"] for r in editor.get(CHOOSE, {"q": "harbour"}).json()["results"]] == [newer.pk]
    assert [r["id"] for r in editor.get(CHOOSE, {"q": "door"}).json()["results"]] == [older.pk]
    assert len(editor.get(CHOOSE, {"q": "picture"}).json()["results"]) == 2  # the file name


def test_choose_gives_at_most_thirty(client, django_assert_max_num_queries):
    editor = login(client, "Editor")
    Image.objects.bulk_create(Image(file=f"images/x/{n}.png", alt=f"Image {n}") for n in range(35))
    # session, user, the user's and the groups' permissions, the images
    with django_assert_max_num_queries(5):
        assert len(editor.get(CHOOSE).json()["results"]) == 30


def test_an_author_chooses_among_their_own_images_only(client):
    author = login(client, "Author")
    mine = ImageFactory(uploaded_by=author.user)
    ImageFactory()
    assert [r["id"] for r in author.get(CHOOSE).json()["results"]] == [mine.pk]


def test_contributors_cannot_use_the_chooser(client):
    assert login(client, "Contributor").get(CHOOSE).status_code == 403


# Roles in the library


def test_an_author_sees_and_changes_only_their_own_images(client):
    author = login(client, "Author")
    mine = ImageFactory(uploaded_by=author.user, alt="My own picture")
    theirs = ImageFactory(alt="Somebody else's picture")
    listing = author.get("/admin/blog/image/")
    assertContains(listing, "My own picture")
    assertNotContains(listing, "Somebody else")
    assert author.get(f"/admin/blog/image/{mine.pk}/change/").status_code == 200
    assert author.get(f"/admin/blog/image/{theirs.pk}/change/").status_code == 403
    assert author.post(f"/admin/blog/image/{theirs.pk}/delete/", {"post": "yes"}).status_code == 403
    assert author.get("/admin/blog/image/99999/change/").status_code == 302  # truly missing: the admin's answer
    assert Image.objects.filter(pk=theirs.pk).exists()


def test_an_editor_manages_every_image(client):
    editor = login(client, "Editor")
    theirs = ImageFactory(alt="Somebody else's picture")
    assertContains(editor.get("/admin/blog/image/"), "Somebody else")
    response = editor.post(
        f"/admin/blog/image/{theirs.pk}/change/", {"alt": "Better words", "title": "", "caption": ""}
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.alt == "Better words"


def test_contributors_have_no_media_library(client):
    contributor = login(client, "Contributor")
    assert contributor.get("/admin/blog/image/").status_code == 403
    assert contributor.post("/admin/blog/image/add/", upload(alt="Mine")).status_code == 403


def test_the_list_shows_thumbnail_alt_size_uploader_and_date(client):
    editor = login(client, "Editor")
    image = ImageFactory(size=(1000, 500), alt="Quiet street")
    response = editor.get("/admin/blog/image/")
    assertContains(response, f'src="{image.thumbnail_url}" alt="" width="80" height="40"')
    assertContains(response, "1000×500")
    assertContains(response, image.uploaded_by.username)
    assertContains(editor.get("/admin/blog/image/", {"q": "quiet"}), "Quiet street")


def test_used_in_lists_posts_and_pages_in_fixed_queries(client, django_assert_max_num_queries):
    editor = login(client, "Editor")
    image = ImageFactory()
    url = f"/admin/blog/image/{image.pk}/change/"
    assertContains(editor.get(url), "Not used in any post or page.")
    for n in range(6):
        PostFactory(title=f"Featuring {n}", featured_image=image)
        PostFactory(title=f"Showing {n}", body=f'<p><img src="{image.url}" alt=""></p>')
    Page.objects.create(title="Gallery page", slug="gallery", body=f'<img src="{image.url}" alt="">')
    with django_assert_max_num_queries(12):
        response = editor.get(url)
    for title in ("Featuring 5", "Showing 5", "Gallery page"):
        assertContains(response, title)


# The featured image in the post form


def test_the_post_form_offers_the_authors_images_with_an_add_pop_up(client):
    author = login(client, "Author")
    mine = ImageFactory(uploaded_by=author.user, alt="Mine")
    theirs = ImageFactory(alt="Someone else's")
    on_my_post = ImageFactory(alt="Chosen for me by an editor")
    PostFactory(author=author.user, featured_image=on_my_post)
    field = author.get("/admin/blog/post/add/").context["adminform"].form.fields["featured_image"]
    assert set(field.queryset) == {mine, on_my_post}
    assert theirs not in field.queryset
    html = author.get("/admin/blog/post/add/").content.decode()
    assert '<select name="featured_image"' in html
    assert "/admin/blog/image/add/?_to_field=id&amp;_popup=1" in html


def test_an_image_added_in_the_pop_up_comes_back_to_the_post_form(client):
    author = login(client, "Author")
    data = upload(alt="Chosen in the pop-up", title="", caption="", _popup="1", _to_field="id")
    response = author.post("/admin/blog/image/add/?_to_field=id&_popup=1", data)
    image = Image.objects.get()
    payload = json.loads(response.context["popup_response_data"])
    assert (payload["value"], payload["obj"]) == (str(image.pk), "Chosen in the pop-up")

    form = {"title": "With a picture", "slug": "with-a-picture", "body": "<p>Hi</p>", "excerpt": "", "status": "draft"}
    form.update(categories=[CategoryFactory().pk], featured_image=image.pk, comments_open="on")
    assert author.post("/admin/blog/post/add/", form).status_code == 302
    assert Post.objects.get().featured_image == image


def test_contributors_see_the_featured_image_without_choosing_one(client):
    contributor = login(client, "Contributor")
    html = contributor.get("/admin/blog/post/add/").content.decode()
    assert 'name="featured_image"' not in html
