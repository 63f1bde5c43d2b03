"""The media library: uploaded images with their alt text, stored size and renditions."""

import posixpath
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from blog import renditions
from blog.validators import validate_image_file


def image_upload_to(image, filename):
    """images/2026/12/<random>/<name>: a folder per image, its renditions beside it."""
    stem, extension = posixpath.splitext(get_valid_filename(posixpath.basename(filename)) or "image")
    extension = renditions.EXTENSIONS.get(image.format.upper(), extension.lstrip(".").lower() or "img")
    day = timezone.now()
    return f"images/{day:%Y}/{day:%m}/{secrets.token_hex(4)}/{stem[:80]}.{extension}"


class ImageQuerySet(models.QuerySet):
    def search(self, words):
        """Images whose alt text, title, caption or file name contain ``words``."""
        words = (words or "").strip()
        if not words:
            return self
        return self.filter(
            models.Q(alt__icontains=words)
            | models.Q(title__icontains=words)
            | models.Q(caption__icontains=words)
            | models.Q(file__icontains=words)
        )


class Image(models.Model):
    file = models.FileField(
        _("file"),
        upload_to=image_upload_to,
        max_length=255,
        validators=[validate_image_file],
        help_text=_("A JPEG, PNG, GIF or WebP picture."),
    )
    alt = models.CharField(
        _("alternative text"), max_length=300, help_text=_("Describe the image for people who cannot see it.")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    # Stored on upload, so pages never open the file to learn them.
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    format = models.CharField(_("format"), max_length=10, blank=True, editable=False)
    filesize = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    # [{"name", "width", "height", "format"}…], narrowest first; and the 1200×630 crop for link previews.
    renditions = models.JSONField(_("renditions"), default=list, blank=True, editable=False)
    social_card = models.CharField(_("social card"), max_length=255, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="images",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.alt or posixpath.basename(self.file.name)

    def save(self, *args, **kwargs):
        replaced = []
        if self.file and not self.file._committed:
            if self.pk:
                replaced = Image.objects.filter(pk=self.pk).first()
                replaced = replaced.stored_names() if replaced else []
            self.process_upload()
        super().save(*args, **kwargs)
        if replaced:
            # The old picture and its renditions go once the new one is safely recorded.
            transaction.on_commit(lambda: renditions.delete_files(set(replaced) - set(self.stored_names())))

    def process_upload(self):
        """Store the cleaned original, then make its renditions once (the only time the file is read)."""
        clean = renditions.clean_original(self.file)
        self.format = clean.format
        self.width, self.height = clean.image.size
        self.filesize = len(clean.content)
        self.file.save(self.file.name, ContentFile(clean.content), save=False)
        self.renditions = renditions.make_renditions(self.file.name, clean)
        self.social_card = renditions.make_social_card(self.file.name, clean.image)

    def stored_names(self):
        """Every file this image keeps in storage: the original, its renditions, its social card."""
        return [self.file.name, *(r["name"] for r in self.renditions), self.social_card]

    @property
    def url(self):
        return self.file.url

    @property
    def mime_type(self):
        return renditions.MIME_TYPES.get(self.format, "application/octet-stream")

    def srcset(self, image_format):
        """The ``srcset`` of one format ("webp", "jpeg"…): its renditions, and the original in its own format."""
        candidates = [(r["name"], r["width"]) for r in self.renditions if r["format"] == image_format]
        if image_format == self.format.lower() and self.width <= renditions.RENDITION_WIDTHS[-1]:
            candidates.append((self.file.name, self.width))
        return ", ".join(
            f"{default_storage.url(name)} {width}w" for name, width in sorted(candidates, key=lambda c: c[1])
        )

    @property
    def webp_srcset(self):
        return "" if self.format == "WEBP" else self.srcset("webp")

    @property
    def fallback_srcset(self):
        return self.srcset(self.format.lower())

    @property
    def fallback_src(self):
        """The ``src`` of the <img>: the largest rendition in the original's format, else the original."""
        own = [r for r in self.renditions if r["format"] == self.format.lower()]
        if self.width <= renditions.RENDITION_WIDTHS[-1] or not own:
            return self.url
        return default_storage.url(max(own, key=lambda r: r["width"])["name"])

    @property
    def thumbnail_url(self):
        """The narrowest rendition (WebP), for the library's lists; the original if there is none."""
        if not self.renditions:
            return self.url
        return default_storage.url(min(self.renditions, key=lambda r: r["width"])["name"])

    @property
    def social_card_url(self):
        return default_storage.url(self.social_card) if self.social_card else ""


@receiver(post_delete, sender=Image, dispatch_uid="blog_image_files")
def delete_image_files(sender, instance, **kwargs):
    """A deleted image takes its files along (after the commit: a rolled-back delete keeps them)."""
    names = instance.stored_names()
    transaction.on_commit(lambda: renditions.delete_files(names))
