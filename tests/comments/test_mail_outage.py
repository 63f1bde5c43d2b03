"""An hour without a mail server, on the real stack: readers are not slowed, the worker keeps going, no email is lost.

gunicorn (three workers) and ``manage.py db_worker`` run as README's production
does, with EMAIL_URL pointing at a port where nothing listens. The hour is
simulated by moving the retry schedule's clock (each waiting retry made due), not
by sleeping; then a real SMTP server (aiosmtpd) opens on that port.
"""

import email
import email.policy
import time

from aiosmtpd.controller import Controller

from tests.demo import ARTICLE
from tests.production_stack import ProductionStack, free_port


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",)).get_content()
        self.messages.append((tuple(envelope.rcpt_tos), str(message["Subject"]), text))
        return "250 Message accepted for delivery"


def post_comment(site, fields, n):
    data = {**fields, "body": f"Reader {n} writes during the outage.", "name": f"Reader {n}"}
    data |= {"email": f"reader{n}@example.test", "url": "", "homepage": "", "notify": "on"}
    return site.post_form("/comments/post/", data, reader_ip=f"192.0.2.{10 + n}")


def share(site, fields, n):
    data = {**fields, "name": f"Sharer {n}", "email": f"sharer{n}@example.test", "to": f"friend{n}@example.test"}
    data |= {"message": "Thought of you.", "homepage": ""}
    return site.post_form(ARTICLE + "share/", data, reader_ip=f"198.51.100.{10 + n}")


def test_an_hour_without_a_mail_server_loses_no_email_and_stops_no_worker(tmp_path):
    port = free_port()  # the mail server's address; nothing listens there for now
    site = ProductionStack(tmp_path, email_port=port).prepare()
    site.clear_tasks()  # the demo's own emails
    try:
        site.start_web(workers=3)

        comment_fields = site.hidden_inputs(site.get(ARTICLE), "commentform")
        share_fields = site.hidden_inputs(site.get(ARTICLE + "share/"), "shareform")
        time.sleep(3.2)  # the forms' stamps must be older than a person's fastest answer
        answers = [post_comment(site, comment_fields, n) for n in range(4)]
        answers += [share(site, share_fields, n) for n in range(2)]
        assert [answer.status for answer in answers] == [303] * 6, answers[0].text[:500]
        queued = site.task_count()
        # Each held comment tells the admin (the demo's author does not moderate); each share mails one friend.
        assert queued == 4 + 2
        worker = site.start_worker()

        # The outage: every attempt fails at once, the worker keeps going, nothing is sent.
        for _step in range(5):  # attempts 1 to 6, i.e. 1 + 5 + 15 + 30 + 60 minutes of retries
            site.wait_until_idle()
            assert site.get(ARTICLE).status == 200
            site.move_retry_clock()
        site.wait_until_idle()
        assert worker.poll() is None, site.log("worker")[-3000:]
        statuses = dict(site.tasks("status, COUNT(*)", "1 = 1 GROUP BY status"))
        assert statuses == {"SUCCESSFUL": queued * 6, "READY": queued}, statuses
        notes = [note for (note,) in site.tasks("return_value", "status = 'SUCCESSFUL'")]
        assert all("Not sent (attempt" in note and "ConnectionRefusedError" in note for note in notes)

        # The mail server is back: the next retries deliver every email, once.
        collector = Collector()
        controller = Controller(collector, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            site.move_retry_clock()
            site.wait_until_idle()
            deadline = time.monotonic() + 30
            while len(collector.messages) < queued and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            controller.stop()
        assert worker.poll() is None
        assert len(collector.messages) == queued
        # Each email once: every comment's moderation email and every share, no duplicates.
        texts = [text for _to, _subject, text in collector.messages]
        for n in range(4):
            assert sum(f"Reader {n} writes during the outage." in text for text in texts) == 1
        for n in range(2):
            assert sum(f"Sharer {n} shared" in subject for _to, subject, _text in collector.messages) == 1
        recipients = sorted(to for tos, _subject, _text in collector.messages for to in tos)
        assert recipients == sorted(["ops@example.test"] * 4 + ["friend0@example.test", "friend1@example.test"])
        assert site.task_count("status IN ('READY', 'FAILED')") == 0
    finally:
        site.stop()


def test_after_the_last_attempt_the_email_is_given_up_and_the_reason_recorded(tmp_path):
    site = ProductionStack(tmp_path, email_port=free_port()).prepare()
    site.clear_tasks()
    site.manage(
        "shell",
        "-c",
        "from blog.tasks import send_share_email; from blog.models import Post; "
        "send_share_email.enqueue(post_id=Post.objects.get().pk, sender_name='Sam', "
        "sender_email='sam@example.test', recipient='friend@example.test')",
    )
    try:
        worker = site.start_worker()
        for _attempt in range(11):
            site.wait_until_idle()
            site.move_retry_clock()
        site.wait_until_idle()
        assert worker.poll() is None
        (failed,) = site.tasks("exception_class_path, traceback", "status = 'FAILED'")
        assert failed[0] == "blog.delivery.EmailNotDelivered"
        assert "Gave up on the share email for post" in failed[1]
        assert "11 attempts over 32 hours" in failed[1]
        # Giving up is an error: the administrators get a report (it waits for the mail server too).
        # One report, however many of its own retries it has had since (the worker queues it
        # just after recording the failure, so give it a moment).
        reports = "task_path = 'config.error_reports.send_error_report' AND args_kwargs NOT LIKE '%\"attempt\"%'"
        deadline = time.monotonic() + 20
        while not site.task_count(reports) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert site.task_count(reports) == 1
    finally:
        site.stop()
