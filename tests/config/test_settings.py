"""Settings are read from the environment; production refuses unsafe configurations."""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[2]


def run_django(code, tmp_path, **environ):
    """Run Python with config.settings under a controlled environment; return the process."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_VAR_DIR": str(tmp_path / "var")})
    clean.update(environ)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def settings_json(tmp_path, *names, **environ):
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_django(code, tmp_path, **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sqlite_is_the_default_with_wal_busy_timeout_and_immediate_transactions(tmp_path):
    databases = settings_json(tmp_path, "DATABASES", DJANGO_DEBUG="1")["DATABASES"]
    default = databases["default"]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert default["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in default["OPTIONS"]["init_command"]


def test_database_url_selects_postgresql(tmp_path):
    databases = settings_json(
        tmp_path, "DATABASES", DJANGO_DEBUG="1", DATABASE_URL="postgres://u:p%40ss@db.example:5433/blogdb"
    )["DATABASES"]
    default = databases["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert (default["NAME"], default["USER"], default["PASSWORD"]) == ("blogdb", "u", "p@ss")
    assert (default["HOST"], default["PORT"]) == ("db.example", 5433)


def test_redis_url_switches_the_cache_backend(tmp_path):
    caches = settings_json(tmp_path, "CACHES", DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/1")["CACHES"]
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }


def test_local_memory_cache_without_redis(tmp_path):
    caches = settings_json(tmp_path, "CACHES", DJANGO_DEBUG="1")["CACHES"]
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_email_url_reaches_the_email_settings(tmp_path):
    mailers = settings_json(
        tmp_path, "MAILERS", DJANGO_DEBUG="1", EMAIL_URL="smtp+tls://mailer:secret@mail.example:587"
    )["MAILERS"]
    assert mailers["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (
        mailers["default"]["OPTIONS"].items()
        >= {
            "host": "mail.example",
            "port": 587,
            "username": "mailer",
            "password": "secret",
            "use_tls": True,
        }.items()
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:2525", {"host": "127.0.0.1", "port": 2525, "use_tls": False, "use_ssl": False}),
        ("smtp://mail.example?timeout=3", {"port": 25, "username": "", "password": "", "timeout": 3}),
        (
            "smtp+tls://me%40example.com:p%3Ass@mail.example:587",
            {"username": "me@example.com", "password": "p:ss", "use_tls": True},
        ),
        ("smtp+ssl://mail.example", {"port": 465, "use_ssl": True, "use_tls": False}),
    ],
)
def test_smtp_email_urls(url, expected):
    mailer = env.email_mailer(url)
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"].items() >= expected.items()


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        (None, "config.console_mail"),
        ("console:", "config.console_mail"),
        ("locmem:", "django.core.mail.backends.locmem"),
        ("dummy:", "django.core.mail.backends.dummy"),
    ],
)
def test_simple_email_urls(url, backend):
    assert env.email_mailer(url) == {"BACKEND": f"{backend}.EmailBackend"}


def test_email_console_bodies_is_off_unless_set(tmp_path):
    assert settings_json(tmp_path, "EMAIL_CONSOLE_BODIES", DJANGO_DEBUG="1") == {"EMAIL_CONSOLE_BODIES": False}
    on = settings_json(tmp_path, "EMAIL_CONSOLE_BODIES", DJANGO_DEBUG="1", EMAIL_CONSOLE_BODIES="1")
    assert on == {"EMAIL_CONSOLE_BODIES": True}


@pytest.mark.parametrize("url", ["ftp://mail.example", "smtp://", "smtp://host:notaport"])
def test_bad_email_url_is_refused_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env.email_mailer(url)


def test_bad_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be a boolean"):
        env.env_bool("DJANGO_DEBUG")


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_django("import django; django.setup()", tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_generates_a_secret_key_into_an_ignored_file_once(tmp_path):
    first = settings_json(tmp_path, "SECRET_KEY", DJANGO_DEBUG="1")["SECRET_KEY"]
    second = settings_json(tmp_path, "SECRET_KEY", DJANGO_DEBUG="1")["SECRET_KEY"]
    assert first == second and len(first) >= 50
    assert (tmp_path / "var" / "secret_key").read_text() == first


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    # The operator gives a secret key, the host name, HTTPS origin and a real mail server.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",  # explicit, as production is: a checkout's .env may say 1
            "DJANGO_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "blog.example.com",
            "SITE_URL": "https://blog.example.com",
            "EMAIL_URL": "smtp+tls://blog:secret@mail.example.com:587",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_sends_hsts_and_secure_cookies(tmp_path):
    values = settings_json(
        tmp_path,
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "DEBUG",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
    )
    assert values == {
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "DEBUG": False,
    }


def test_text_and_path_readers_default_only_when_unset(monkeypatch):
    monkeypatch.delenv("SITE_TITLE", raising=False)
    monkeypatch.setenv("MEDIA_ROOT", "/srv/media")
    assert env.env_str("SITE_TITLE", "Steady Ground") == "Steady Ground"
    assert env.env_path("MEDIA_ROOT", "/elsewhere") == Path("/srv/media")
    monkeypatch.setenv("SITE_TITLE", "")
    assert env.env_str("SITE_TITLE", "Steady Ground") == ""


def test_admin_credentials_are_read_when_asked_and_trimmed(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", " owner ")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", " spaced pass ")
    monkeypatch.delenv("DJANGO_SUPERUSER_EMAIL", raising=False)
    assert env.superuser_credentials() == ("owner", " spaced pass ", "")


def test_site_url_follows_the_port_being_served(tmp_path):
    assert settings_json(tmp_path, "SITE_URL", DJANGO_DEBUG="1", PORT="8401")["SITE_URL"] == "http://127.0.0.1:8401"
    assert settings_json(tmp_path, "SITE_URL", DJANGO_DEBUG="1")["SITE_URL"] == "http://127.0.0.1:8000"
    explicit = settings_json(tmp_path, "SITE_URL", DJANGO_DEBUG="1", PORT="8401", SITE_URL="https://blog.example/")
    assert explicit["SITE_URL"] == "https://blog.example"


def test_a_bad_port_is_refused_with_a_clear_message(tmp_path):
    result = run_django("import django; django.setup()", tmp_path, DJANGO_DEBUG="1", PORT="eighty")
    assert "PORT must be a whole number" in result.stderr


def test_task_runs_are_not_logged_but_failed_tasks_are():
    tasks = logging.getLogger("django.tasks")
    assert not tasks.isEnabledFor(logging.INFO)
    assert tasks.isEnabledFor(logging.ERROR)
    assert logging.getLogger("django.request").isEnabledFor(logging.WARNING)
