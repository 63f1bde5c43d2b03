"""Read the process environment into typed settings values.

The only place that knows the names and formats of the environment variables
listed in CONTRACT.md; ``config/settings.py`` calls these helpers once, and
``blog.accounts`` (for ``ensure_admin`` and ``setup_demo``) reads the admin account's
variables when it runs.
``manage.py`` (commands typed by hand, runserver) first adds the checkout's
``.env`` that ``make run`` writes; the web server (wsgi, asgi) never reads it.
"""

import os
import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    """The variable as text, exactly as set (even empty); ``default`` when unset."""
    return os.environ.get(name, default)


def env_path(name, default):
    """The variable as a filesystem path; ``default`` when unset."""
    return Path(os.environ.get(name, default))


def env_bool(name, default=False):
    """Return the variable as a boolean; refuse values that are neither."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name, default):
    """A comma-separated list; blank items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


ENV_LINE_RE = re.compile(r"(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)")


def read_env_file(path: Path):
    """The ``NAME=value`` lines of an env file as a dict: blank lines and ``#`` comments skipped.

    Values may be quoted ('…' or "…", quotes removed); nothing is expanded.
    A line of another shape is refused with its number.
    """
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = ENV_LINE_RE.fullmatch(line)
        if match is None:
            raise ImproperlyConfigured(f"{path}, line {number}: expected NAME=value, not {line!r}.")
        name, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def load_env_file(path: Path):
    """Add the variables of ``path`` (if the file exists) that the environment does not already set.

    The environment always wins, so ``DJANGO_DEBUG=0 manage.py …`` is production whatever the file says.
    """
    if path.is_file():
        for name, value in read_env_file(path).items():
            os.environ.setdefault(name, value)


def site_url():
    """SITE_URL, else the address ``make run`` serves: http://127.0.0.1:$PORT (8000 by default)."""
    return env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")


def superuser_credentials():
    """The admin account ``blog.accounts.admin_ensure`` creates: (username, password, email), or blanks.

    Read when the command runs rather than into settings, so a password never
    sits in the settings module.
    """
    return (
        env_str("DJANGO_SUPERUSER_USERNAME").strip(),
        env_str("DJANGO_SUPERUSER_PASSWORD"),
        env_str("DJANGO_SUPERUSER_EMAIL").strip(),
    )


def secret_key(*, debug, key_file: Path):
    """Return DJANGO_SECRET_KEY, or in debug mode a key kept in an ignored file.

    Production (debug off) refuses to start without an explicit key, so a
    deployment can never run on a guessable or throw-away one.
    """
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if key:
        return key
    if not debug:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production mode (DJANGO_DEBUG off) refuses to "
            "start without it: set it to a long random string (see .env.example). In a development "
            "checkout, `make run` writes a .env with DJANGO_DEBUG=1 for the commands you type."
        )
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def email_mailer(url):
    """Translate EMAIL_URL into a Django ``MAILERS`` entry (Django 6.1's email setting).

    Accepted forms: ``console:`` (one line per email: ``config/console_mail.py``),
    ``locmem:``, ``dummy:``, ``smtp://host:port``,
    ``smtp+tls://user:pass@host:587`` (STARTTLS) and ``smtp+ssl://…:465``;
    ``?timeout=N`` sets the SMTP timeout in seconds (default 10).
    """
    url = (url or "console:").strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    simple = {
        "console": "config.console_mail.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if scheme in simple:
        return {"BACKEND": simple[scheme]}
    if scheme not in {"smtp", "smtp+tls", "smtp+ssl", "smtps"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {parts.scheme!r} is not supported; use console:, smtp://, smtp+tls:// or smtp+ssl://."
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"EMAIL_URL has an invalid port: {url!r}.") from None
    if not parts.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL needs a host: {url!r}.")
    use_ssl = scheme in {"smtp+ssl", "smtps"}
    use_tls = scheme == "smtp+tls"
    timeout = parse_qs(parts.query).get("timeout", ["10"])[0]
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": port or (465 if use_ssl else 587 if use_tls else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": int(timeout) if timeout.isdigit() else 10,
        },
    }
