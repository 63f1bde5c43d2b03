"""Settings for the blog platform, read from the environment (see CONTRACT.md).

Every variable is listed in ``.env.example``. DEBUG is off unless
``DJANGO_DEBUG`` turns it on (``make run`` does); with DEBUG off the site
expects HTTPS and refuses to start without ``DJANGO_SECRET_KEY``.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env.env_path("DJANGO_VAR_DIR", BASE_DIR / "var")

DEBUG = env.env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.secret_key(debug=DEBUG, key_file=VAR_DIR / "secret_key")
ALLOWED_HOSTS = env.env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env.site_url()
CSRF_TRUSTED_ORIGINS = env.env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

SITE_TITLE = env.env_str("SITE_TITLE", "Steady Ground")
SITE_TAGLINE = env.env_str("SITE_TAGLINE", "Notes on love, distance and finding your way back")
SITE_LANGUAGE = "en"
# How long a signed preview link (/preview/<token>/) for a reviewer without an account stays valid.
PREVIEW_LINK_MAX_AGE = 48 * 60 * 60

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "django_prose_editor",
    "django_tasks_db",
    "blog",
    "comments",
    "wordpress",
    "backups",
]

MIDDLEWARE = [
    "config.middleware.SecurityHeadersOnEveryResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, so it sees the final 404: an imported WordPress site's old permalinks answer 301.
    "wordpress.middleware.OldLinksMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "blog.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in var/ by default, tuned for a web server with several
# workers (WAL lets readers and one writer work at once; IMMEDIATE takes the
# write lock at BEGIN so concurrent writers queue instead of failing).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
DATABASE_URL = env.env_str("DATABASE_URL").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    for key, value in SQLITE_OPTIONS.items():
        DATABASES["default"]["OPTIONS"].setdefault(key, value)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" holds rendered fragments (keys change with the content, so a per-process
# cache is fine); "shared" holds the few values every worker process must agree on
# (the navigation's generation, throttles): Redis when configured, else files in var/.
REDIS_URL = env.env_str("REDIS_URL").strip()
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.env_str("DJANGO_SHARED_CACHE_DIR", str(VAR_DIR / "cache")),
        },
    }

# Tasks: run at once in development; production uses the database-backed
# queue from django-tasks-db, drained by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend"
    }
}

MAILERS = {"default": env.email_mailer(env.env_str("EMAIL_URL", None))}
# The console backend (EMAIL_URL=console:) prints one line per email; on, the whole message.
EMAIL_CONSOLE_BODIES = env.env_bool("EMAIL_CONSOLE_BODIES", default=False)
DEFAULT_FROM_EMAIL = env.env_str("DJANGO_DEFAULT_FROM_EMAIL", "Steady Ground <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = env.env_list("DJANGO_ADMIN_EMAILS", [])
EMAIL_SUBJECT_PREFIX = f"[{SITE_TITLE}] "
# Error reports to ADMINS go through the task queue (config/error_reports.py), at most this many an hour.
ERROR_REPORTS_PER_HOUR = env.env_int("DJANGO_ERROR_REPORTS_PER_HOUR", 10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
# Catalogues for the templates in templates/, which belong to no app:
# `manage.py makemessages -l fr --ignore node_modules` from the top folder, then compilemessages.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = env.env_path("MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploads: refuse oversized requests early instead of buffering them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The media library's limits: bytes of an upload, pixels of a picture (against decompression bombs).
IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000

# Reverse proxies in front of the site (nginx: 1): the reader's address is then
# taken from X-Forwarded-For for rate limits and moderation.
TRUSTED_PROXY_COUNT = env.env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# A comment form sent back faster than this is treated as a bot's.
COMMENTS_MIN_SECONDS_TO_FILL = 3

CRISPY_TEMPLATE_PACK = "calm"
CRISPY_ALLOWED_TEMPLATE_PACKS = ["calm"]

# Security headers. The policy allows our own files only: no inline script,
# no third-party host of any kind.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A refused CSRF check shows the comment or share form again with the text kept.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = True

if not DEBUG:
    # Production is served over HTTPS; a proxy that terminates TLS sets
    # X-Forwarded-Proto (enable DJANGO_SECURE_PROXY_SSL_HEADER for it).
    SECURE_SSL_REDIRECT = env.env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    if env.env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz answers load balancers over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGIN_URL = "admin:login"
# Where a login without a safe `next` lands (Django's default, /accounts/profile/, is no page here).
LOGIN_REDIRECT_URL = "admin:index"

# Errors go to the console and, in production, to ADMINS through the task queue
# (never from the request). A forged Host header is a stranger's noise, not an error.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "null": {"class": "logging.NullHandler"},
        "error_reports": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "config.error_reports.QueuedAdminEmailHandler",
        },
    },
    "root": {"handlers": ["console", "error_reports"], "level": env.env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's defaults would mail from the request, and their console handler printed every
        # django.* record a second time beside the root's: its records go to the root's handlers only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Not every task's RUNNING and SUCCESSFUL lines (in DEBUG they run inside the request or
        # command); a failed task is still logged, at ERROR, with its traceback.
        "django.tasks": {"level": "WARNING"},
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}
