"""Quiet bot traps shared by the public forms (comments, share by email).

A honeypot field people never see and a signed time stamp of when the form
was shown: filled honeypot or a too-fast answer marks the submission as spam
(``form.spam_reason``); a tampered or stale stamp is a clear, recoverable error.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

FORM_SALT = "forms.shown-at"
# A form older than this is stale (the page was left open for days).
MAX_FORM_AGE = 2 * 24 * 3600


def form_timestamp(post_id, now=None):
    """A signed token holding the post and the time the form was shown."""
    shown_at = int(time.time() if now is None else now)
    return signing.dumps({"post": post_id, "t": shown_at}, salt=FORM_SALT, compress=False)


class AntiSpamForm(forms.Form):
    """Base form with the honeypot (``homepage``) and the signed stamp (``ts``) for a ``post``."""

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    ts = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spam_reason = ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("homepage"):
            self.spam_reason = str(_("Filled in the hidden anti-spam field."))
        unverified = forms.ValidationError(
            _("The form could not be verified. Please check what you wrote and send it again."),
            code="bad_timestamp",
        )
        try:
            stamp = signing.loads(cleaned.get("ts") or "", salt=FORM_SALT)
        except signing.BadSignature:
            raise unverified from None
        if not isinstance(stamp, dict) or stamp.get("post") != self.antispam_post_id(cleaned):
            raise unverified
        age = time.time() - stamp.get("t", 0)
        if age > MAX_FORM_AGE:
            raise forms.ValidationError(
                _("This form was open for too long. Please check what you wrote and send it again."),
                code="expired",
            )
        if age < settings.COMMENTS_MIN_SECONDS_TO_FILL and not self.spam_reason:
            self.spam_reason = str(_("Submitted faster than a person can type."))
        return cleaned

    def antispam_post_id(self, cleaned):
        return cleaned.get("post")


def retry_timestamp(token, post_id):
    """The stamp for a form shown again after an error: the original one while it is still good.

    A fresh stamp would make a quick, honest second try look "faster than a person".
    """
    try:
        stamp = signing.loads(token or "", salt=FORM_SALT)
    except signing.BadSignature:
        return form_timestamp(post_id)
    fresh = (
        isinstance(stamp, dict) and stamp.get("post") == post_id and time.time() - stamp.get("t", 0) <= MAX_FORM_AGE
    )
    return token if fresh else form_timestamp(post_id)
