"""Image renditions made once, when an image is uploaded (Pillow)."""

import hashlib
import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

# The size link previews (Open Graph, Twitter/X, Mastodon…) show best.
SOCIAL_SIZE = (1200, 630)


def social_card(image_field):
    """A 1200×630 JPEG cropped from the middle of the image; its storage name, or "" when it cannot be made."""
    try:
        image_field.open("rb")
        data = image_field.read()
    except (OSError, ValueError):
        return ""
    try:
        with Image.open(io.BytesIO(data)) as source:
            card = ImageOps.fit(ImageOps.exif_transpose(source).convert("RGB"), SOCIAL_SIZE, Image.Resampling.LANCZOS)
            output = io.BytesIO()
            card.save(output, "JPEG", quality=85, optimize=True, progressive=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        logger.warning("Could not make a social card from %s", image_field.name, exc_info=True)
        return ""
    digest = hashlib.sha256(data).hexdigest()[:16]
    return default_storage.save(f"renditions/social/{digest}.jpg", ContentFile(output.getvalue()))
