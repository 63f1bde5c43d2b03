"""Make sure an administrator can log in to /admin/."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from config import env


class Command(BaseCommand):
    help = (
        "Create the superuser named by DJANGO_SUPERUSER_USERNAME/PASSWORD/EMAIL when missing; "
        "without them, create 'admin' with a random password (printed once) when no superuser exists."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username, password, email = env.superuser_credentials()
        if username or password or email:
            if not (username and password and email):
                raise CommandError(
                    "Set all three of DJANGO_SUPERUSER_USERNAME, DJANGO_SUPERUSER_PASSWORD and "
                    "DJANGO_SUPERUSER_EMAIL, or none of them."
                )
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"Admin login: {username} (password from DJANGO_SUPERUSER_PASSWORD)")
                return
            User.objects.create_superuser(username=username, email=email, password=password)
            self.stdout.write(self.style.SUCCESS(f"Created superuser {username}."))
            self.stdout.write(f"Admin login: {username} (password from DJANGO_SUPERUSER_PASSWORD)")
            return
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(f"Admin login: {existing.username} (password as set earlier)")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username="admin", email="admin@localhost", password=password)
        self.stdout.write(self.style.SUCCESS("Created superuser 'admin'. This password is shown only once:"))
        self.stdout.write(f"Admin login: admin / {password}")
