"""Error reports to the site's administrators, sent by the task worker, never by the request.

Django's own AdminEmailHandler talks to the mail server inside the request (or
the worker) that logged the error: with the mail server down the request dies
without an answer, with a silent one it holds a worker for the whole SMTP
timeout, and anyone who can cause an error can make the site send mail. This
handler only queues the report as a task, at most ERROR_REPORTS_PER_HOUR an
hour (counted in the shared cache every worker sees), and swallows its own
failures: logging never breaks what logged.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils.log import AdminEmailHandler

from blog.delivery import EmailNotDelivered, send_or_retry

logger = logging.getLogger(__name__)


class QueuedAdminEmailHandler(AdminEmailHandler):
    """AdminEmailHandler whose mail goes through the task queue, with an hourly budget."""

    def emit(self, record):
        if not settings.ADMINS:
            return
        try:
            super().emit(record)
        except Exception:
            self.handleError(record)

    def send_mail(self, subject, message, *args, **kwargs):
        if not within_budget():
            return
        send_error_report.enqueue(subject=subject, message=message)


def within_budget(now=None):
    """Count one report against this hour's budget; False once it is spent."""
    hour = int((time.time() if now is None else now) // 3600)
    key = f"error-reports:sent-in-hour:{hour}"
    cache = caches["shared"]
    cache.add(key, 0, timeout=2 * 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        count = 1
    return count <= settings.ERROR_REPORTS_PER_HOUR


@task
def send_error_report(*, subject, message, attempt=1):
    """Email one error report to ADMINS, tried again on the usual schedule if the mail server fails."""
    recipients = [entry[1] if isinstance(entry, list | tuple) else entry for entry in settings.ADMINS]
    if not recipients:
        return False
    email = EmailMessage(
        subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
        body=message,
        from_email=settings.SERVER_EMAIL,
        to=recipients,
    )
    # Giving up on a report is a warning and a quiet end: a failed task would report itself again.
    try:
        return send_or_retry(
            email,
            task=send_error_report,
            what="error report",
            attempt=attempt,
            retry_kwargs={"subject": subject, "message": message},
        )
    except EmailNotDelivered as given_up:
        return str(given_up)
