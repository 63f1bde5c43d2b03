"""Error reports reach the administrators through the task queue, a few an hour, and never hurt a request."""

import logging
import smtplib
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend

from config import error_reports
from tests.demo import ARTICLE
from tests.production_stack import ADMIN_EMAIL, ProductionStack, SilentMailServer, free_port

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
)


@pytest.fixture
def dummy_queue(settings):
    settings.ADMINS = ["ops@example.com"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


def reports(queue):
    return [result for result in queue.results if result.task.func is error_reports.send_error_report.func]


def test_an_error_is_queued_as_a_report_not_mailed_from_the_request(dummy_queue):
    logging.getLogger("django.request").error("Internal Server Error: /boom/")
    (report,) = reports(dummy_queue)
    assert "Internal Server Error: /boom/" in report.kwargs["subject"]
    assert mail.outbox == []


def test_the_queued_report_is_mailed_to_the_admins(settings):
    settings.ADMINS = ["ops@example.com"]
    logging.getLogger("django.request").error("Internal Server Error: /boom/")
    (message,) = mail.outbox
    assert message.to == ["ops@example.com"]
    assert message.subject == f"[{settings.SITE_TITLE}] ERROR: Internal Server Error: /boom/"


def test_a_forged_host_header_is_answered_and_reported_to_nobody(client, dummy_queue):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert reports(dummy_queue) == []


def test_reports_stop_at_the_hourly_budget(dummy_queue, settings):
    settings.ERROR_REPORTS_PER_HOUR = 3
    for n in range(10):
        logging.getLogger("django.security.RequestDataTooBig").error("Request body exceeded the limit %d", n)
    assert len(reports(dummy_queue)) == 3


def test_the_budget_is_per_hour():
    assert all(error_reports.within_budget(now=1_000 * 3600) for _ in range(10))
    assert not error_reports.within_budget(now=1_000 * 3600 + 1800)
    assert error_reports.within_budget(now=1_001 * 3600)


def test_a_broken_queue_never_breaks_what_logged(dummy_queue, monkeypatch, capsys):
    def refuse(self, task, args, kwargs):
        raise RuntimeError("The queue's database is unreachable.")

    monkeypatch.setattr(type(dummy_queue), "enqueue", refuse)
    logging.getLogger("django.request").error("Internal Server Error: /boom/")  # no exception
    assert "The queue's database is unreachable." in capsys.readouterr().err


def test_a_report_that_cannot_be_sent_ends_quietly(settings, monkeypatch, caplog):
    settings.ADMINS = ["ops@example.com"]

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    result = error_reports.send_error_report.enqueue(subject="ERROR: boom", message="Traceback …")
    # The immediate backend cannot retry: the report gives up, as a warning, and the task succeeds.
    assert result.status == "SUCCESSFUL"
    assert result.return_value.startswith("Gave up on the error report")
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert isinstance(task_backends["default"], ImmediateBackend)


@pytest.mark.parametrize("ssl_redirect", [True, False])
def test_the_400_for_a_disallowed_host_has_the_security_headers(client, settings, ssl_redirect):
    settings.SECURE_SSL_REDIRECT = ssl_redirect
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    for header in SECURITY_HEADERS:
        assert header in response.headers, header
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


# The real stack: gunicorn with three workers, DEBUG off, ADMINS set, a mail server that is down or silent


@pytest.fixture(scope="module")
def prepared_var(tmp_path_factory):
    """A migrated, seeded var/ folder shared by this module's stacks."""
    var_dir = tmp_path_factory.mktemp("production")
    ProductionStack(var_dir, email_port=free_port()).prepare()
    return var_dir


@pytest.fixture
def stack(prepared_var):
    stacks = []

    def start(*, email_port, **env):
        site = ProductionStack(prepared_var, email_port=email_port, **env)
        stacks.append(site)
        site.start_web(workers=3)
        return site

    yield start
    for site in stacks:
        site.stop()


def oversized_post(site):
    return site.request(
        "POST",
        "/comments/post/",
        body=b"body=xxxx",
        content_length=6 * 1024 * 1024,  # over DATA_UPLOAD_MAX_MEMORY_SIZE; Django refuses before reading
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def too_many_fields(site):
    return site.request(
        "POST",
        "/comments/post/",
        body="&".join(f"f{n}=1" for n in range(1500)).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def queued_reports(site):
    return site.tasks(where="task_path = 'config.error_reports.send_error_report'")


def test_with_the_mail_server_down_bad_requests_get_their_400_and_reports_are_bounded(stack):
    site = stack(email_port=free_port(), DJANGO_ERROR_REPORTS_PER_HOUR="5")  # nothing listens there
    site.clear_tasks()

    forged = site.get("/", host="evil.example")
    assert forged.status == 400
    for header in SECURITY_HEADERS:
        assert header in forged.headers, header
    assert queued_reports(site) == []  # a forged Host header is noise, not an error

    assert oversized_post(site).status == 400
    assert too_many_fields(site).status == 400
    subjects = " ".join(row[2] for row in queued_reports(site))
    assert "RequestDataTooBig" in subjects or "exceeded" in subjects
    assert len(queued_reports(site)) == 2

    for _ in range(10):
        assert oversized_post(site).status == 400
    assert len(queued_reports(site)) == 5  # the hourly budget, whatever a stranger sends
    assert site.get(ARTICLE).status == 200
    assert ADMIN_EMAIL in site.env["DJANGO_ADMIN_EMAILS"]


def test_a_mail_server_that_never_answers_holds_no_worker(stack):
    with SilentMailServer() as silent:
        site = stack(email_port=silent.port)  # EMAIL_URL timeout: 30 s
        with ThreadPoolExecutor(max_workers=7) as pool:
            bad = [pool.submit(site.get, "/", host="evil.example") for _ in range(3)]
            bad += [pool.submit(oversized_post, site) for _ in range(3)]
            readers = [pool.submit(site.get, ARTICLE) for _ in range(3)]
            answers = [future.result(timeout=60) for future in bad + readers]
    assert [answer.status for answer in answers] == [400] * 6 + [200] * 3
    # Had a worker talked to the mail server, it would have waited 30 s for its greeting.
    assert max(answer.seconds for answer in answers) < 10
    assert silent.connections == []
