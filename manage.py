#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

Reads the checkout's ``.env`` first (written by ``make run``; variables already
set win), so commands typed by hand beside ``make run`` need no extra variables.
A setting that cannot be read is one line on stderr, not a traceback.
"""

import os
import sys
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from config import env

    try:
        env.load_env_file(Path(__file__).resolve().parent / ".env")
        settings.INSTALLED_APPS  # noqa: B018 - reads the settings now, to report what is missing
    except ImproperlyConfigured as error:
        sys.exit(f"Error: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
