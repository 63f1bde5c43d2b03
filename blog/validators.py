import os
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image as PILImage

# What the media library stores: formats every browser shows, that cannot carry scripts.
IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}


def validate_image_file(file):
    """Refuse anything but a real JPEG, PNG, GIF or WebP within the byte and pixel limits.

    The pixel count is read from the header, before anything is decoded, so a small
    file declaring a huge picture (a decompression bomb) is refused without cost.
    """
    if getattr(file, "_committed", False):
        return  # a stored file was checked when it was uploaded
    name = os.path.basename(getattr(file, "name", "") or "") or _("The file")
    if file.size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(settings.IMAGE_MAX_BYTES)},
            code="image_too_large",
        )
    file.seek(0)
    head = file.read(512).lstrip()
    file.seek(0)
    if name.lower().endswith((".svg", ".svgz")) or head[:5] in (b"<?xml", b"<svg ") or b"<svg" in head[:256]:
        raise ValidationError(
            _("SVG images are not accepted: they can carry scripts. Save the picture as PNG or WebP and upload that."),
            code="image_svg",
        )
    not_an_image = ValidationError(
        _("“%(name)s” is not an image, or it is damaged. Upload a JPEG, PNG, GIF or WebP picture.") % {"name": name},
        code="image_invalid",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as image:
                check_image_header(image)
                image.verify()
            # verify() reads the structure only; decoding finds a truncated or broken picture.
            file.seek(0)
            with PILImage.open(file) as image:
                image.load()
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise too_many_pixels() from None
    except (PILImage.UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise not_an_image from None
    finally:
        file.seek(0)


def check_image_header(image):
    """The format and size a Pillow image declares are acceptable (nothing decoded yet)."""
    if image.format not in IMAGE_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted. Upload a JPEG, PNG, GIF or WebP picture.")
            % {"format": image.format or _("These")},
            code="image_format",
        )
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise too_many_pixels(width, height)


def too_many_pixels(width=None, height=None):
    limit = settings.IMAGE_MAX_PIXELS // 1_000_000
    if width is None:
        message = _("The image has too many pixels; it may have at most %(limit)s million.") % {"limit": limit}
    else:
        message = _("The image is %(width)s×%(height)s pixels; it may have at most %(limit)s million pixels.") % {
            "width": width,
            "height": height,
            "limit": limit,
        }
    return ValidationError(message, code="image_pixels")


# The bidirectional embeddings and overrides (U+202A–U+202E: LRE, RLE, PDF, LRO, RLO) and
# isolates (U+2066–U+2069: LRI, RLI, FSI, PDI). They are invisible and reorder the text
# after them: a name ending in U+202E makes " says:" and what follows read backwards, an
# address or link can show one thing and be another. People never type them (no keyboard
# does); they come from pasting or from someone spoofing. The marks U+200E, U+200F and
# U+061C (LRM, RLM, ALM) stay allowed: they are how Hebrew and Arabic text fixes the place
# of punctuation next to Latin words, and they cannot turn letters around or open a run.
TEXT_DIRECTION_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@deconstructible
class TextDirectionControlsValidator(RegexValidator):
    """Refuse text holding a bidirectional embedding, override or isolate control (the message names the field)."""

    regex = f"[{TEXT_DIRECTION_CONTROLS}]"
    inverse_match = True
    code = "text_direction"
    message = gettext_lazy(
        "Your name contains invisible text-direction characters, which can make text read backwards. "
        "Please type your name again without them."
    )


validate_no_text_direction_controls = TextDirectionControlsValidator()
