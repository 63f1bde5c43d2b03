"""Failed admin logins, throttled per address and per username at an address.

Each password tried costs a slow hash (about 0.4 s of CPU), so the admin login
answers 429, before anything is hashed, to an address that failed
``FAILURES_PER_ADDRESS`` times in the last ``WINDOW_SECONDS``, and to a username
that failed ``FAILURES_PER_USERNAME`` times from one address. Nothing is counted
per username alone: someone guessing elsewhere never locks the real
administrator out. The failures live in the "shared" cache, so every worker
process sees them; when that cache fails, logins go on unthrottled, never a 500.
"""

import logging
import math
import time
import unicodedata

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.auth.views import LoginView
from django.core.cache import caches
from django.dispatch import receiver
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from blog.clients import client_ip, network_key

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 15 * 60
# An office behind one address may mistype a few passwords; a guesser gets 20 per window.
FAILURES_PER_ADDRESS = 20
FAILURES_PER_USERNAME = 5


def _now():
    return time.time()


def address_key(request):
    """The client's network for limits: an IPv4 address, an IPv6 /64 (one household), or "unknown"."""
    return network_key(client_ip(request))


def username_key(username):
    """One username however it is typed: surrounding spaces, case and Unicode forms folded."""
    folded = unicodedata.normalize("NFKC", str(username or "")).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def _cache_keys(request, username=None):
    """{cache key: failure limit} for this request's address and, when given, the username from it."""
    address = address_key(request)
    digest = salted_hmac("config.login_throttle.address", address, algorithm="sha256").hexdigest()
    keys = {f"login-throttle:address:{digest}": FAILURES_PER_ADDRESS}
    if username is not None:
        value = f"{address}\n{username_key(username)}"
        digest = salted_hmac("config.login_throttle.address-username", value, algorithm="sha256").hexdigest()
        keys[f"login-throttle:address-username:{digest}"] = FAILURES_PER_USERNAME
    return keys


def _recent(stamps, now):
    return [stamp for stamp in stamps or () if stamp > now - WINDOW_SECONDS]


def retry_after(request, username=None):
    """Seconds before this address (and this username from it) may try a password again; 0 when it may now."""
    keys = _cache_keys(request, username)
    now = _now()
    try:
        found = caches["shared"].get_many(list(keys))
    except Exception:
        logger.warning("Login throttle not checked: the shared cache failed.", exc_info=True)
        return 0
    wait = 0
    for key, limit in keys.items():
        recent = _recent(found.get(key), now)
        if len(recent) >= limit:
            # Free again when the oldest of the last `limit` failures leaves the window.
            wait = max(wait, recent[-limit] + WINDOW_SECONDS - now)
    # Another server's clock may run ahead: never ask for more than one window.
    return math.ceil(min(wait, WINDOW_SECONDS))


def record_failure(request, username):
    """Count a failed password for this request's address and for the username from it (in the shared cache)."""
    cache, now = caches["shared"], _now()
    try:
        for key, limit in _cache_keys(request, username).items():
            # Read and write, not atomic: two failures in the same instant may count as one.
            stamps = [*_recent(cache.get(key), now), now][-limit:]
            cache.set(key, stamps, WINDOW_SECONDS)
    except Exception:
        logger.warning("Login failure not counted: the shared cache failed.", exc_info=True)


def clear(request, username):
    """Forget the failures of this username from this request's address (the address's own count stays)."""
    key = list(_cache_keys(request, username))[-1]
    try:
        caches["shared"].delete(key)
    except Exception:
        logger.warning("Login failures not cleared: the shared cache failed.", exc_info=True)


@receiver(user_login_failed, dispatch_uid="config.login_throttle.count_failure")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        record_failure(request, credentials.get("username", ""))


@receiver(user_logged_in, dispatch_uid="config.login_throttle.clear_on_login")
def _clear_on_login(sender, request, user, **kwargs):
    if request is not None:
        clear(request, user.get_username())


def _message(wait):
    if wait < 60:
        when = ngettext("%(count)d second", "%(count)d seconds", wait) % {"count": wait}
    else:
        minutes = math.ceil(wait / 60)
        when = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return _("Too many failed login attempts. Please try again in %(when)s.") % {"when": when}


def _refused(request, username, wait):
    """The admin login page again, the username kept, with the wait (429 and Retry-After)."""
    site = admin.site
    request.current_app = site.name
    context = {
        **site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        "form": (site.login_form or AdminAuthenticationForm)(request, initial={"username": username}),
        REDIRECT_FIELD_NAME: LoginView().get_redirect_url(request) or reverse("admin:index", current_app=site.name),
        "login_throttle_message": _message(wait),
    }
    response = TemplateResponse(request, site.login_template or "admin/login.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


@sensitive_post_parameters()
@never_cache
@login_not_required
def admin_login(request, extra_context=None):
    """The admin's login view, refusing a password before it is hashed when there were too many failures.

    A GET always shows the form; when the address is over its limit, with the wait.
    """
    if request.method == "POST":
        username = request.POST.get("username", "")
        if wait := retry_after(request, username):
            return _refused(request, username, wait)
    elif wait := retry_after(request):
        extra_context = {**(extra_context or {}), "login_throttle_message": _message(wait)}
    return admin.site.login(request, extra_context)
