"""The administrator account that ``manage.py ensure_admin`` and ``setup_demo`` make sure of."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from config import env


@dataclass(frozen=True)
class AdminLogin:
    """Who logs in to /admin/, and where the password comes from.

    ``source`` is ``"generated"`` (``password`` holds the new random password, to
    show once), ``"existing"`` (a superuser was already there: the password is the
    one set earlier) or ``"environment"`` (``DJANGO_SUPERUSER_PASSWORD``).
    """

    username: str
    source: str
    created: bool
    password: str = ""


@transaction.atomic
def admin_ensure():
    """Return the admin login, creating the superuser when there is none to log in with.

    With DJANGO_SUPERUSER_USERNAME/PASSWORD/EMAIL (all three, or none) that user is
    created when missing; without them, ``admin`` with a random password when no
    superuser exists. An existing account is never changed.
    """
    User = get_user_model()
    username, password, email = env.superuser_credentials()
    if username or password or email:
        if not (username and password and email):
            raise ImproperlyConfigured(
                "Set all three of DJANGO_SUPERUSER_USERNAME, DJANGO_SUPERUSER_PASSWORD and "
                "DJANGO_SUPERUSER_EMAIL, or none of them."
            )
        created = not User.objects.filter(username=username).exists()
        if created:
            User.objects.create_superuser(username=username, email=email, password=password)
        return AdminLogin(username=username, source="environment", created=created)
    existing = User.objects.filter(is_superuser=True).order_by("pk").first()
    if existing is not None:
        return AdminLogin(username=existing.get_username(), source="existing", created=False)
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(username="admin", email="admin@localhost", password=password)
    return AdminLogin(username="admin", source="generated", created=True, password=password)
