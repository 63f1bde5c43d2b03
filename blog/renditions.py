"""Image files made once, when an image is uploaded (Pillow): the cleaned original and its renditions.

``clean_original`` turns an upload into the file the library keeps: turned upright
by its EXIF orientation, re-encoded without EXIF, GPS or other metadata (the ICC
colour profile stays). ``make_renditions`` then writes each width of
``RENDITION_WIDTHS`` narrower than the original as WebP and in the original's
format, and ``make_social_card`` the 1200×630 crop link previews show. Pages read
the names and sizes stored on the ``Image`` row and never open a file.
"""

import io
import logging
import posixpath
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

# The widths pages choose from (srcset); the original's own width is the largest, never upscaled.
RENDITION_WIDTHS = (480, 960, 1600)
# The size link previews (Open Graph, Twitter/X, Mastodon…) show best.
SOCIAL_SIZE = (1200, 630)
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


@dataclass(frozen=True)
class CleanOriginal:
    content: bytes
    image: Image.Image  # upright, decoded: what the renditions are made from
    format: str  # Pillow's name: JPEG, PNG, GIF, WEBP
    animated: bool


def encode(image, image_format, **options):
    """The bytes of ``image`` in ``image_format``, with no metadata but the colour profile."""
    params = {"icc_profile": image.info.get("icc_profile")} if image.info.get("icc_profile") else {}
    if image_format == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L", "CMYK") else image
        params.update(quality=85, optimize=True, progressive=True)
    elif image_format == "WEBP":
        image = image.convert("RGBA") if image.mode not in ("RGB", "RGBA") else image
        params.update(quality=80, method=4)
    elif image_format == "PNG":
        params.update(optimize=True)
    output = io.BytesIO()
    image.save(output, image_format, **params, **options)
    return output.getvalue()


def clean_original(file):
    """The upload upright and stripped of its metadata (raises OSError/ValueError when unreadable)."""
    file.seek(0)
    with Image.open(file) as source:
        image_format = source.format
        if getattr(source, "is_animated", False):
            # An animation keeps every frame; GIF and WebP animations carry no camera EXIF to turn by.
            output = io.BytesIO()
            source.save(output, image_format, save_all=True)
            return CleanOriginal(output.getvalue(), source.copy(), image_format, animated=True)
        upright = ImageOps.exif_transpose(source)
        upright.load()
    upright.info.pop("exif", None)
    upright.info.pop("xmp", None)
    return CleanOriginal(encode(upright, image_format), upright, image_format, animated=False)


def rendition_widths(width):
    """The widths made for an original ``width`` pixels wide: the fixed ones below it, then its own."""
    widths = [w for w in RENDITION_WIDTHS if w < width]
    return [*widths, width] if width <= RENDITION_WIDTHS[-1] else widths


def sibling_name(original_name, suffix):
    """A storage name beside the original: images/…/photo.jpg → images/…/photo-960w.webp."""
    folder, filename = posixpath.split(original_name)
    stem = posixpath.splitext(filename)[0]
    return posixpath.join(folder, f"{stem}-{suffix}")


def make_renditions(original_name, clean, storage=None):
    """Write the renditions of a cleaned original stored as ``original_name``; their descriptions.

    Each is ``{"name", "width", "height", "format"}``; WebP at every width (the
    original's own too), the original's format below its width. An animation gets none.
    """
    storage = storage or default_storage
    if clean.animated:
        return []
    source = clean.image
    if source.mode in ("1", "P"):
        source = source.convert("RGBA")  # Pillow resizes palette images by nearest pixel only: smooth them
    renditions = []
    for width in rendition_widths(source.width):
        height = max(1, round(source.height * width / source.width))
        resized = source if width == source.width else source.resize((width, height), Image.Resampling.LANCZOS)
        formats = ["WEBP"] if width == source.width or clean.format == "WEBP" else ["WEBP", clean.format]
        for image_format in formats:
            name = sibling_name(original_name, f"{width}w.{EXTENSIONS[image_format]}")
            name = storage.save(name, ContentFile(encode(resized, image_format)))
            renditions.append({"name": name, "width": width, "height": height, "format": image_format.lower()})
    return renditions


def make_social_card(original_name, image, storage=None):
    """A 1200×630 JPEG cropped from the middle of ``image`` (a Pillow image); its storage name."""
    storage = storage or default_storage
    card = ImageOps.fit(image.convert("RGB"), SOCIAL_SIZE, Image.Resampling.LANCZOS)
    return storage.save(sibling_name(original_name, "social.jpg"), ContentFile(encode(card, "JPEG")))


def renditions_from_stored(original_name, storage=None):
    """Renditions and social card of a file already in storage (migrated images); ([], "") if unreadable."""
    storage = storage or default_storage
    try:
        with storage.open(original_name, "rb") as file:
            clean = clean_original(io.BytesIO(file.read()))
        return make_renditions(original_name, clean, storage), make_social_card(original_name, clean.image, storage)
    except (OSError, ValueError, Image.DecompressionBombError):
        logger.warning("Could not make renditions of %s", original_name, exc_info=True)
        return [], ""


def delete_files(names, storage=None):
    """Remove stored files by name; a file already gone is not an error."""
    storage = storage or default_storage
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete %s", name, exc_info=True)
