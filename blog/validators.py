from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def validate_image_file(file):
    """Refuse images too large in bytes or pixels (decompression bombs) before they are stored."""
    if file.size > settings.FEATURED_IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(settings.FEATURED_IMAGE_MAX_BYTES)}
        )
    width, height = getattr(file, "width", None), getattr(file, "height", None)
    if width and height and width * height > settings.FEATURED_IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; it may have at most %(limit)s million pixels.")
            % {"width": width, "height": height, "limit": settings.FEATURED_IMAGE_MAX_PIXELS // 1_000_000}
        )


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
