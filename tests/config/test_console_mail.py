"""The development mail backend: one line per email, the whole message only when asked."""

import io

from django.core.mail import EmailMultiAlternatives

from config.console_mail import EmailBackend


def send(*messages):
    stream = io.StringIO()
    assert EmailBackend(stream=stream).send_messages(list(messages)) == len(messages)
    return stream.getvalue()


def message(to, subject):
    email = EmailMultiAlternatives(subject, "The body, line one.\n", "site@example.com", to)
    email.attach_alternative("<p>The body in HTML</p>", "text/html")
    return email


def test_each_email_is_one_line_without_its_body(settings):
    settings.EMAIL_CONSOLE_BODIES = False
    out = send(message(["a@example.com"], "First"), message(["b@example.com", "c@example.com"], "Second"))
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(' to a@example.com: "First"') and lines[0].startswith("Email ")
    assert lines[1].endswith(' to b@example.com, c@example.com: "Second"')
    assert lines[0] != send(message(["a@example.com"], "First")).strip(), "the same email twice is told apart"
    assert "body" not in out and "Content-Type" not in out and "MIME-Version" not in out


def test_email_console_bodies_prints_the_whole_message(settings):
    settings.EMAIL_CONSOLE_BODIES = True
    out = send(message(["a@example.com"], "First"))
    assert "Subject: First" in out and "To: a@example.com" in out
    assert "Content-Type: multipart/alternative" in out and "The body, line one." in out
