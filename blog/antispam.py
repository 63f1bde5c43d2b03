"""Quiet bot traps shared by the public forms (comments, share by email).

A honeypot field people never see and a signed stamp of when, and for which
post, the form was shown: a filled honeypot marks the submission as spam
(``form.spam_reason``); a too-fast answer sets ``form.sent_quickly`` and is spam
too unless the form says ``QUICK_SEND_IS_SPAM = False`` (comments hold it for a
moderator: a reader who pastes fast loses nothing). A tampered, stale or worn-out
stamp is a clear, recoverable error (the form comes back with the text kept).

Each stamp carries a random nonce. Every successful send with it takes one of
MAX_STAMP_USES places in the shared cache (keyed by the nonce, never a row), so
one stamp cannot carry a bot's hundreds of comments while a reader who goes
back and sends again is not refused.
"""

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.utils.translation import gettext_lazy as _

FORM_SALT = "forms.shown-at"
# A form older than this is stale: half a day covers a tab left open over lunch
# or all afternoon; a reader coming back the next morning gets a kind message,
# their text kept and a fresh stamp, so one more click sends it.
MAX_FORM_AGE = 12 * 3600
# A form shown again with less life than this left gets a fresh stamp, so the retry does not expire.
RENEW_BEFORE = 3600
# Successful sends one stamp may carry (going back and sending again); a bot's replays are refused.
MAX_STAMP_USES = 5
USE_KEY = "blog:form-stamp-use:{nonce}:{place}"


def form_timestamp(post_id, now=None):
    """A signed token holding the post, the time the form was shown and a random nonce."""
    shown_at = int(time.time() if now is None else now)
    stamp = {"post": post_id, "t": shown_at, "n": secrets.token_urlsafe(12)}
    return signing.dumps(stamp, salt=FORM_SALT, compress=False)


def read_stamp(token):
    """The stamp a token holds ({"post", "t", "n"}), or None when it is forged or malformed."""
    try:
        stamp = signing.loads(token or "", salt=FORM_SALT)
    except signing.BadSignature:
        return None
    valid = (
        isinstance(stamp, dict)
        and type(stamp.get("post")) is int
        and type(stamp.get("t")) is int
        and isinstance(stamp.get("n"), str)
        and stamp["n"]
    )
    return stamp if valid else None


def _use_key(stamp, place):
    return USE_KEY.format(nonce=stamp["n"], place=place)


def stamp_worn_out(stamp):
    """Whether the stamp has already carried MAX_STAMP_USES successful sends."""
    # Places are taken in order, so the last one taken means all are.
    return caches["shared"].has_key(_use_key(stamp, MAX_STAMP_USES - 1))


def stamp_use(stamp):
    """Take one of the stamp's places after a successful send (side effect: shared-cache writes).

    ``add`` is atomic on Redis, so parallel replays cannot share a place there.
    """
    lifetime = max(1, MAX_FORM_AGE - int(time.time() - stamp["t"])) + 60
    for place in range(MAX_STAMP_USES):
        if caches["shared"].add(_use_key(stamp, place), True, lifetime):
            return


class AntiSpamForm(forms.Form):
    """Base form with the honeypot (``homepage``) and the signed stamp (``ts``) for a post.

    Subclasses say which post the submission is for (``antispam_post_id``); the
    stamp must have been issued for that post. The view calls ``stamp_used()``
    once the submission was stored or sent.
    """

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    ts = forms.CharField(widget=forms.HiddenInput, required=False)
    # A send faster than a person types: spam (dropped), or only a fact for the caller to weigh.
    QUICK_SEND_IS_SPAM = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spam_reason = ""
        self.sent_quickly = False
        self.stamp = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("homepage"):
            self.spam_reason = str(_("Filled in the hidden anti-spam field."))
        stamp = read_stamp(cleaned.get("ts"))
        post_id = self.antispam_post_id(cleaned)
        if stamp is None or type(post_id) is not int or stamp["post"] != post_id:
            raise forms.ValidationError(
                _("The form could not be verified. Please check what you wrote and send it again."),
                code="bad_timestamp",
            )
        age = time.time() - stamp["t"]
        if age > MAX_FORM_AGE:
            raise forms.ValidationError(
                _("This form was open for too long. Please check what you wrote and send it again."),
                code="expired",
            )
        if stamp_worn_out(stamp):
            raise forms.ValidationError(
                _("This form has already been sent. Please check what you wrote and send it again."),
                code="reused",
            )
        self.stamp = stamp
        self.sent_quickly = age < settings.COMMENTS_MIN_SECONDS_TO_FILL
        if self.sent_quickly and self.QUICK_SEND_IS_SPAM and not self.spam_reason:
            self.spam_reason = str(_("Submitted faster than a person can type."))
        return cleaned

    def antispam_post_id(self, cleaned):
        """The id of the post this submission is for (the stamp must name the same post)."""
        raise NotImplementedError("An AntiSpamForm must say which post it is for.")

    def stamp_used(self):
        """Count this valid form's stamp as used once (after the comment was stored or the share sent)."""
        if self.stamp is not None:
            stamp_use(self.stamp)

    def keep_stamp_for_retry(self, post_id):
        """Before this bound form is shown again: its stamp while still good, else a fresh one."""
        self.data = self.data.copy()
        self.data["ts"] = retry_timestamp(self.data.get("ts"), post_id)


def retry_timestamp(token, post_id):
    """The stamp for a form shown again after an error: the original one while it is still good.

    A fresh stamp would make a quick, honest second try look "faster than a
    person"; a stamp near its end, worn out or for another post is replaced.
    """
    stamp = read_stamp(token)
    keep = (
        stamp is not None
        and stamp["post"] == post_id
        and time.time() - stamp["t"] <= MAX_FORM_AGE - RENEW_BEFORE
        and not stamp_worn_out(stamp)
    )
    return token if keep else form_timestamp(post_id)
