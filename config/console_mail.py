"""The development mail backend (``EMAIL_URL=console:``): one line per email on the console.

The full message, MIME parts and all, is Django's console backend's output; it is
printed instead when ``EMAIL_CONSOLE_BODIES`` is on.
"""

import itertools

from django.conf import settings
from django.core.mail.backends import console

# Numbered, so two emails with the same recipient and subject are told apart.
NUMBERS = itertools.count(1)


class EmailBackend(console.EmailBackend):
    def write_message(self, message):
        if settings.EMAIL_CONSOLE_BODIES:
            return super().write_message(message)
        recipients = ", ".join(message.recipients())
        subject = " ".join(str(message.subject).split())
        self.stream.write(f'Email {next(NUMBERS)} to {recipients}: "{subject}"\n')
