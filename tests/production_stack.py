"""The site as README's "Running in production" runs it, on loopback, for fault tests.

Real processes: ``manage.py migrate``/``seed_demo``/``collectstatic``, gunicorn
with several workers and ``manage.py db_worker``, with DEBUG off, a SQLite file
of its own, ADMINS set and EMAIL_URL pointing at whatever mail server a test
provides (a closed port, a server that never answers, a real SMTP server).
The site sits behind an imaginary TLS proxy: requests say X-Forwarded-Proto: https
and, for form posts, the reader's address in X-Forwarded-For.
"""

import html
import http.client
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ADMIN_EMAIL = "ops@example.test"
TASKS = "django_tasks_database_dbtaskresult"  # django-tasks-db's table


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SilentMailServer:
    """Accepts SMTP connections and never says a word (a hung mail server)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            self.connections.append(connection)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.socket.close()
        for connection in self.connections:
            connection.close()


class Response:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class ProductionStack:
    """One site: its var/ folder, its environment, and the processes a test starts."""

    def __init__(self, var_dir, *, email_port, **env):
        self.var_dir = Path(var_dir)
        self.web_port = free_port()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "REDIS_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # Explicit: manage.py would otherwise take DJANGO_DEBUG=1 from a checkout's .env (make run's).
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "production-stack-" + secrets.token_urlsafe(40),
            "DJANGO_VAR_DIR": str(self.var_dir),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
            "DJANGO_ADMIN_EMAILS": ADMIN_EMAIL,
            "SITE_URL": f"https://127.0.0.1:{self.web_port}",
            "EMAIL_URL": f"smtp://127.0.0.1:{email_port}?timeout=30",
            **env,
        }
        self.processes = []
        self.cookies = {}

    # Processes

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        )

    def prepare(self):
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("seed_demo")
        return self

    def start_web(self, workers=3):
        log = open(self.var_dir / "gunicorn.log", "a")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [BIN / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.web_port}", "--workers", str(workers)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz").status == 200:
                    return process
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start:\n" + (self.var_dir / "gunicorn.log").read_text())

    def start_worker(self):
        log = open(self.var_dir / "worker.log", "a")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []

    def log(self, name):
        path = self.var_dir / f"{name}.log"
        return path.read_text() if path.exists() else ""

    # HTTP, as a browser behind the TLS proxy would speak it

    def request(self, method, path, *, body=b"", headers=None, host=None, timeout=60, content_length=None):
        """One request on a new connection; ``content_length`` claims a longer body than is sent."""
        connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=timeout)
        headers = {
            "Host": host or f"127.0.0.1:{self.web_port}",
            "X-Forwarded-Proto": "https",
            **({"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}),
            **(headers or {}),
        }
        started = time.monotonic()
        try:
            if content_length is None:
                connection.request(method, path, body=body, headers=headers)
            else:
                connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
                for header, value in {**headers, "Content-Length": str(content_length)}.items():
                    connection.putheader(header, value)
                connection.endheaders(body)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return Response(response.status, dict(response.getheaders()), content, time.monotonic() - started)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, fields, *, reader_ip="192.0.2.1", **kwargs):
        from urllib.parse import urlencode

        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{self.web_port}",
            "Referer": f"https://127.0.0.1:{self.web_port}{path}",
            "X-Forwarded-For": reader_ip,  # as the proxy tells who is asking
        }
        return self.request("POST", path, body=urlencode(fields).encode(), headers=headers, **kwargs)

    @staticmethod
    def hidden_inputs(page, form_id):
        """The hidden inputs (CSRF token, post, parent, stamp) of the form with ``form_id``."""
        form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page.text, re.S).group(0)
        inputs = re.findall(r"<input[^>]*>", form)
        fields = {}
        for tag in inputs:
            if 'type="hidden"' in tag:
                name = re.search(r'name="([^"]+)"', tag).group(1)
                value = re.search(r'value="([^"]*)"', tag)
                fields[name] = html.unescape(value.group(1)) if value else ""
        return fields

    # The task queue, read straight from the database file

    def sql(self, query, params=()):
        """Run one statement on the site's SQLite file (committed at once); returns the rows."""
        with sqlite3.connect(self.var_dir / "db.sqlite3", timeout=20) as db:
            return db.execute(query, params).fetchall()

    def tasks(self, columns="task_path, status, args_kwargs, return_value", where="1 = 1"):
        """Rows of the task queue; ``where`` is this suite's own SQL, never outside input."""
        return self.sql(f"SELECT {columns} FROM {TASKS} WHERE {where}")  # noqa: S608

    def clear_tasks(self):
        self.sql(f"DELETE FROM {TASKS}")  # noqa: S608

    def task_count(self, where="1 = 1"):
        return self.tasks("COUNT(*)", where)[0][0]

    def move_retry_clock(self):
        """Make every waiting retry due now: time passing, without sleeping."""
        self.sql(
            f"UPDATE {TASKS} SET run_after = '2000-01-01 00:00:00' "  # noqa: S608
            "WHERE status = 'READY' AND run_after < '9999-01-01 00:00:00'"
        )

    def wait_until_idle(self, timeout=60):
        """Wait until the worker has run every task that is due (retries later on may wait)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # Text against text: a bare '9999' would be compared as a number (column affinity).
            now, never = "strftime('%Y-%m-%d %H:%M:%f', 'now')", "'9999-01-01 00:00:00'"
            due = self.task_count(
                f"status = 'RUNNING' OR (status = 'READY' AND (run_after <= {now} OR run_after = {never}))"
            )
            if not due:
                return
            time.sleep(0.1)
        raise AssertionError("the worker did not finish the due tasks:\n" + self.log("worker")[-3000:])
