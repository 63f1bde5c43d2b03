"""Sending one email from a background task, and trying again later when the mail server fails.

Every email the site sends (comment notifications, follow-ups, confirmations,
shares, error reports) is one task in Django's Tasks framework. When the mail
server is down, refuses for now (4xx) or never answers, the task queues its
next attempt with a growing delay and ends normally, so the worker goes on with
the next task: the schedule spans about 32 hours. After the last attempt, or at
once when the server refuses the message for good (5xx), it raises
EmailNotDelivered: the worker records the task as failed with that reason
(admin: Task results) and logs it, which sends the administrators a report.
"""

import datetime
import logging
import smtplib

from django.utils import timezone

logger = logging.getLogger(__name__)

# Waits between attempts: 1, 5, 15, 30 minutes, 1, 2, 4 hours, then every 8 hours.
RETRY_DELAYS = tuple(datetime.timedelta(minutes=m) for m in (1, 5, 15, 30, 60, 120, 240, 480, 480, 480))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
RETRY_SPAN = sum(RETRY_DELAYS, datetime.timedelta())


class EmailNotDelivered(Exception):
    """An email given up on; the message says why, for the operator who reads the task's result."""


def is_permanent(error):
    """Whether the server refused for good (5xx), so trying again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def send_or_retry(message, *, task, what, attempt, retry_kwargs):
    """Send ``message``; on a mail-server error queue ``task`` again (``attempt + 1``) and return a note.

    ``retry_kwargs`` are the task's keyword arguments for the next attempt. Returns
    True when sent, or the note stored as the task's result when a retry was
    queued. Raises EmailNotDelivered after the last attempt, for a permanent
    refusal, or when no retry can be queued (the worker then logs the failed task
    as an error, which reports it to the administrators).
    """
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        reason = f"{type(error).__name__}: {error}"
        backend = task.get_backend()
        if is_permanent(error) or attempt >= MAX_ATTEMPTS or not backend.supports_defer:
            if is_permanent(error):
                why = "the mail server refused it for good"
            elif attempt >= MAX_ATTEMPTS:
                why = f"{attempt} attempts over {RETRY_SPAN.total_seconds() / 3600:.0f} hours"
            else:
                why = f"the {backend.alias!r} task backend cannot defer a retry"
            note = f"Gave up on the {what} ({why}). Last error: {reason}"
            logger.warning(note)
            raise EmailNotDelivered(note) from error
        run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
        task.using(run_after=run_after).enqueue(**retry_kwargs, attempt=attempt + 1)
        note = (
            f"Not sent (attempt {attempt} of {MAX_ATTEMPTS}): {reason}. "
            f"Next attempt after {run_after:%Y-%m-%d %H:%M:%S} UTC."
        )
        logger.warning("The %s was not sent: %s", what, note)
        return note
    return True
