"""Shares of a post, counted for its author and for the rate limits."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.models.posts import Post


class Share(models.Model):
    """One share of a post: a click on a network's button or an email sent by the site.

    Who shared is not kept: only keyed hashes of the sender's IP address and of the
    recipient (for email), enough to enforce the rate limits.
    """

    class Network(models.TextChoices):
        X = "x", "X"
        FACEBOOK = "facebook", "Facebook"
        LINKEDIN = "linkedin", "LinkedIn"
        REDDIT = "reddit", "Reddit"
        BLUESKY = "bluesky", "Bluesky"
        WHATSAPP = "whatsapp", "WhatsApp"
        TELEGRAM = "telegram", "Telegram"
        EMAIL = "email", _("Email")

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="shares")
    network = models.CharField(_("network"), max_length=10, choices=Network.choices)
    created_at = models.DateTimeField(_("shared at"), default=timezone.now)
    sender_hash = models.CharField(max_length=64, blank=True, editable=False)
    recipient_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        indexes = [
            models.Index(fields=["post", "network"], name="share_post_network_idx"),
            models.Index(fields=["network", "sender_hash", "created_at"], name="share_sender_idx"),
            models.Index(fields=["network", "recipient_hash", "created_at"], name="share_recipient_idx"),
        ]

    def __str__(self):
        return f"{self.get_network_display()}: {self.post_id}"
