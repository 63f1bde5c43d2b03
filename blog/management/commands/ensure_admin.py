"""Make sure an administrator can log in to /admin/."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from blog.accounts import admin_ensure


class Command(BaseCommand):
    help = (
        "Create the superuser named by DJANGO_SUPERUSER_USERNAME/PASSWORD/EMAIL when missing; "
        "without them, create 'admin' with a random password (printed once) when no superuser exists."
    )

    def handle(self, *args, **options):
        try:
            login = admin_ensure()
        except ImproperlyConfigured as error:
            raise CommandError(error) from None
        if login.source == "generated":
            self.stdout.write(
                self.style.SUCCESS(f"Created superuser '{login.username}'. This password is shown only once:")
            )
            self.stdout.write(f"Admin login: {login.username} / {login.password}")
        elif login.source == "environment":
            if login.created:
                self.stdout.write(self.style.SUCCESS(f"Created superuser {login.username}."))
            self.stdout.write(f"Admin login: {login.username} (password from DJANGO_SUPERUSER_PASSWORD)")
        else:
            self.stdout.write(f"Admin login: {login.username} (password as set earlier)")
