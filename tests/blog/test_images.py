"""The media library's images: what an upload must be, what is stored, and how pages show it."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags
from PIL import Image as PILImage

from blog.images import responsive_body
from blog.models import Image, Page
from blog.validators import validate_image_file
from tests.factories import ImageFactory, PostFactory, image_bytes
from tests.queries import NAVIGATION_QUERIES, NEIGHBOUR_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file())


def png_declaring(width, height):
    """A PNG of a few bytes whose header claims ``width``×``height`` pixels (a decompression bomb)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def refusal(name, content):
    with pytest.raises(ValidationError) as refused:
        validate_image_file(SimpleUploadedFile(name, content))
    return refused.value.messages[0]


# What an upload must be


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "GIF", "WEBP"])
def test_the_four_web_formats_are_accepted(image_format):
    validate_image_file(SimpleUploadedFile(f"a.{image_format.lower()}", image_bytes(30, 20, image_format)))


@pytest.mark.parametrize(
    "content", [b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", b'<?xml version="1.0"?><svg/>']
)
@pytest.mark.parametrize("name", ["drawing.svg", "drawing.png"])
def test_svg_is_refused_by_name_or_content(name, content):
    assert refusal(name, content).startswith("SVG images are not accepted")


@pytest.mark.parametrize(
    "content", [b"Just some words, renamed.", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", b""]
)
def test_a_renamed_non_image_is_refused(content):
    assert (
        refusal("x.jpg", content)
        == "“x.jpg” is not an image, or it is damaged. Upload a JPEG, PNG, GIF or WebP picture."
    )


def test_a_truncated_image_is_refused():
    assert "is not an image, or it is damaged" in refusal("cut.jpg", image_bytes(400, 300, "JPEG")[:300])


def test_other_image_formats_are_refused_by_name():
    assert refusal("scan.bmp", image_bytes(30, 20, "BMP")) == (
        "BMP images are not accepted. Upload a JPEG, PNG, GIF or WebP picture."
    )


def test_a_decompression_bomb_is_refused_from_its_header_alone():
    bomb = png_declaring(30000, 30000)
    assert len(bomb) < 100
    assert refusal("bomb.png", bomb) == "The image has too many pixels; it may have at most 40 million."


def test_the_pixel_limit_is_read_before_decoding(settings):
    settings.IMAGE_MAX_PIXELS = 5_000_000
    message = refusal("wide.png", png_declaring(3000, 2000))
    assert message == "The image is 3000×2000 pixels; it may have at most 5 million pixels."


def test_pillows_bomb_warning_is_a_refusal_too(settings):
    settings.IMAGE_MAX_PIXELS = 10**10  # past our limit: Pillow's own warning still refuses it
    assert "too many pixels" in refusal("bomb.png", png_declaring(10000, 10000))


def test_the_byte_limit(settings):
    settings.IMAGE_MAX_BYTES = 10
    content = image_bytes()
    expected = f"The image is {len(content)}\xa0bytes; the largest allowed is 10\xa0bytes."
    assert refusal("a.png", content) == expected


# What is stored


def test_exif_orientation_is_applied_and_metadata_stripped(media_root):
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: the picture is 40 wide, 30 high as seen
    exif[ExifTags.Base.Make] = "Spy camera"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 7.0)
    photo = image_bytes(30, 40, "JPEG", exif=exif.tobytes())
    with PILImage.open(io.BytesIO(photo)) as check:
        assert check.getexif()[ExifTags.Base.Make] == "Spy camera"  # the test file does carry it

    image = Image.objects.create(file=SimpleUploadedFile("photo.jpg", photo), alt="A turned photo")

    assert (image.width, image.height, image.format) == (40, 30, "JPEG")
    with PILImage.open(media_root / image.file.name) as stored:
        assert stored.size == (40, 30)
        assert not stored.getexif() and "exif" not in stored.info
    for rendition in image.renditions:
        with PILImage.open(media_root / rendition["name"]) as made:
            assert not made.getexif()


def test_the_colour_profile_is_kept():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = Image.objects.create(
        file=SimpleUploadedFile("p.png", image_bytes(20, 10, "PNG", icc_profile=profile)), alt="Profiled"
    )
    with PILImage.open(image.file.path) as stored:
        assert stored.info.get("icc_profile") == profile


def test_renditions_are_made_once_at_each_width_in_webp_and_the_original_format(media_root):
    image = ImageFactory(size=(2000, 1000))
    made = {(r["width"], r["height"], r["format"]) for r in image.renditions}
    assert made == {(w, w // 2, f) for w in (480, 960, 1600) for f in ("webp", "png")}
    for rendition in image.renditions:
        with PILImage.open(media_root / rendition["name"]) as file:
            assert (file.width, file.format.lower()) == (rendition["width"], rendition["format"])
    with PILImage.open(media_root / image.social_card) as card:
        assert card.size == (1200, 630)
    assert len(stored_files(media_root)) == 1 + 6 + 1

    # Saving again (an alt text edited) makes nothing new.
    image.alt = "Edited"
    image.save()
    assert len(stored_files(media_root)) == 8


def test_a_small_image_is_never_upscaled():
    image = ImageFactory(size=(700, 350))
    assert sorted((r["width"], r["format"]) for r in image.renditions) == [(480, "png"), (480, "webp"), (700, "webp")]
    small = ImageFactory(size=(300, 200))
    assert [(r["width"], r["height"], r["format"]) for r in small.renditions] == [(300, 200, "webp")]
    assert small.fallback_src == small.url and small.fallback_srcset == f"{small.url} 300w"


def test_an_animation_keeps_its_frames_and_gets_no_still_renditions(media_root):
    frames = [PILImage.new("RGB", (800, 400), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    image = Image.objects.create(file=SimpleUploadedFile("moving.gif", buffer.getvalue()), alt="Moving")
    with PILImage.open(media_root / image.file.name) as stored:
        assert stored.n_frames == 3
    assert image.renditions == [] and image.fallback_srcset == f"{image.url} 800w"


@pytest.mark.parametrize(("mode", "image_format"), [("P", "PNG"), ("CMYK", "JPEG"), ("LA", "PNG"), ("P", "GIF")])
def test_every_colour_mode_gets_its_renditions(mode, image_format):
    buffer = io.BytesIO()
    PILImage.new(mode, (700, 300)).save(buffer, image_format)
    image = Image.objects.create(file=SimpleUploadedFile(f"a.{image_format.lower()}", buffer.getvalue()), alt="Mode")
    assert sorted((r["width"], r["format"]) for r in image.renditions) == [
        (480, image_format.lower()),
        (480, "webp"),
        (700, "webp"),
    ]


def test_replacing_the_file_removes_the_old_files(media_root, django_capture_on_commit_callbacks):
    image = ImageFactory(size=(1000, 500))
    old = stored_files(media_root)
    image.file = SimpleUploadedFile("new.jpg", image_bytes(500, 250, "JPEG"))
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    now = stored_files(media_root)
    assert not set(old) & set(now)
    assert sorted(now) == sorted(image.stored_names())


def test_deleting_an_image_removes_its_files(media_root, django_capture_on_commit_callbacks):
    image, kept = ImageFactory(size=(1000, 500)), ImageFactory()
    post = PostFactory(featured_image=image)
    with django_capture_on_commit_callbacks(execute=True):
        Image.objects.filter(pk=image.pk).delete()
    assert stored_files(media_root) == sorted(kept.stored_names())
    post.refresh_from_db()
    assert post.featured_image is None


# How pages show it


def img_tag(html, within):
    return re.search(r"<picture>.*?</picture>", html.split(within, 1)[1], re.S).group(0)


def test_the_article_shows_the_featured_image_responsive_and_eager(client):
    image = ImageFactory(size=(2000, 1000), alt="Two chairs by a window")
    post = PostFactory(featured_image=image)
    picture = img_tag(client.get(post.get_absolute_url()).content.decode(), 'class="featured-image"')
    folder = f"/media/{image.file.name.rsplit('/', 1)[0]}/picture"
    assert f'<source type="image/webp" srcset="{folder}-480w.webp 480w, {folder}-960w.webp 960w, ' in picture
    assert f'{folder}-1600w.webp 1600w" sizes="(max-width: 42rem)' in picture
    assert f'<img src="{folder}-1600w.png" srcset="{folder}-480w.png 480w, ' in picture
    for attribute in ('width="2000"', 'height="1000"', 'alt="Two chairs by a window"', 'loading="eager"'):
        assert attribute in picture
    assert 'fetchpriority="high"' in picture


def test_lists_show_featured_images_the_first_eager_the_rest_lazy(client):
    PostFactory(title="Older", featured_image=ImageFactory(alt="Older picture"))
    PostFactory(title="Newer", featured_image=ImageFactory(alt="Newer picture"))
    for url in ("/", "/search/?q=Older"):
        html = client.get(url).content.decode()
        pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
        assert pictures and 'loading="eager"' in pictures[0]
        assert all('loading="lazy"' in picture and 'decoding="async"' in picture for picture in pictures[1:])
    html = client.get("/").content.decode()
    assert html.index("Newer picture") < html.index("Older picture")
    assert 'srcset="/media/' in html and 'width="20" height="10"' in html


def test_the_tag_prints_nothing_without_an_image():
    from django.template import Context, Template

    template = Template("{% load blog_images %}[{% responsive_image post.featured_image %}]")
    assert template.render(Context({"post": PostFactory()})) == "[]"


def test_a_library_image_in_the_body_gets_its_renditions():
    image = ImageFactory(size=(1200, 600), alt="Library alt")
    body = f'<p>Look:</p><p><img src="{image.url}" alt="What the author wrote" class="wide"></p><img src="/x.png">'
    html = responsive_body(body)
    picture = re.search(r"<picture>.*?</picture>", html).group(0)
    assert 'alt="What the author wrote"' in picture and 'class="wide"' in picture
    assert 'width="1200" height="600" ' in picture and 'loading="lazy" decoding="async"' in picture
    assert re.search(
        r'<source type="image/webp" srcset="[^"]+-480w\.webp 480w, [^"]+-960w\.webp 960w, [^"]+ 1200w"', picture
    )
    assert f'srcset="/media/{image.file.name[:-4]}-480w.png 480w, ' in picture and f"{image.url} 1200w" in picture
    assert html.endswith('<img src="/x.png">')  # not a library image: left alone


def test_body_images_on_the_article_and_a_page(client):
    image = ImageFactory(size=(1000, 500))
    post = PostFactory(body=f'<p><img src="{image.url}" alt="In a post"></p>')
    page = Page.objects.create(
        title="About", slug="about", status=Page.Status.PUBLISHED, body=f'<img src="{image.url}" alt="In a page">'
    )
    for url in (post.get_absolute_url(), page.get_absolute_url()):
        html = client.get(url).content.decode()
        assert re.search(r'<picture><source type="image/webp" srcset="[^"]+480w[^>]+><img src="[^"]+" srcset=', html)


def test_body_images_are_looked_up_in_one_query(django_assert_num_queries):
    images = [ImageFactory() for _ in range(5)]
    body = "".join(f'<img src="{image.url}" alt="">' for image in images)
    with django_assert_num_queries(1):
        assert responsive_body(body).count("<picture>") == 5
    with django_assert_num_queries(0):
        responsive_body('<p>No library image <img src="https://elsewhere.example/a.png"></p>')


def test_the_sanitiser_keeps_what_responsive_images_need():
    from blog.sanitize import sanitize_post_html

    html = '<img src="/a.png" srcset="/a.png 1x" sizes="1px" loading="lazy" decoding="async" fetchpriority="low">'
    assert sanitize_post_html(html) == html


@pytest.mark.parametrize("count", [2, 12])
def test_front_page_queries_do_not_grow_with_images(assert_page_queries, count):
    for _ in range(count):
        PostFactory(featured_image=ImageFactory())
    # posts count, posts (with their featured images), their categories
    assert_page_queries("/", warm=3, cold=3 + NAVIGATION_QUERIES)


@pytest.mark.parametrize("count", [1, 8])
def test_article_queries_do_not_grow_with_images(assert_page_queries, count):
    images = [ImageFactory() for _ in range(count)]
    body = "".join(f'<p><img src="{image.url}" alt="Body image"></p>' for image in images)
    post = PostFactory(featured_image=ImageFactory(), body=body)
    # post + author + featured image, categories, tags, discussion settings, the comment thread, body images
    response = assert_page_queries(post.get_absolute_url(), warm=6, cold=6 + NAVIGATION_QUERIES + NEIGHBOUR_QUERIES)
    assert response.content.decode().count("<picture>") == count + 1
