"""Settings for the test suite: the real settings with fast, isolated parts."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key-for-the-suite-0123456789abcdefghij")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests speak plain HTTP to the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="blog-test-media-"))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: concurrent writers then wait for the lock
    # (busy timeout) as they do in production instead of failing at once.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="blog-test-db-")) / "test.sqlite3")}  # noqa: F405

if "LOCATION" in CACHES["shared"] and CACHES["shared"]["BACKEND"].endswith("FileBasedCache"):  # noqa: F405
    # One directory per test run, shared with the subprocesses a test starts.
    CACHES["shared"]["LOCATION"] = os.environ.setdefault(  # noqa: F405
        "DJANGO_SHARED_CACHE_DIR", tempfile.mkdtemp(prefix="blog-test-cache-")
    )
