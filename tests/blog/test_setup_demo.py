"""``manage.py setup_demo``, what ``make run`` prints before serving: a few lines ending with the login."""

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
LOGIN = re.compile(r"Login: (\S+) / (\S+) ")


def setup_demo():
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def no_superuser_env(monkeypatch):
    for name in ("DJANGO_SUPERUSER_USERNAME", "DJANGO_SUPERUSER_PASSWORD", "DJANGO_SUPERUSER_EMAIL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.django_db
def test_first_run_ends_with_the_address_and_a_password_that_logs_in(settings, no_superuser_env):
    settings.SITE_URL = "http://127.0.0.1:8123"
    lines = setup_demo().splitlines()
    assert lines[0] == "Database up to date"
    assert lines[1] == "Demo site loaded (the article, its comments and the About page)"
    box = lines[2:]
    assert box[0].startswith("┌") and box[-1].startswith("└")
    assert len({len(line) for line in box}) == 1, "every line of the box is as wide"
    assert "http://127.0.0.1:8123/ " in box[1] and "http://127.0.0.1:8123/admin/ " in box[2]
    username, password = LOGIN.search(box[3]).groups()
    assert "shown only once" in box[3]
    user = get_user_model().objects.get(username=username)
    assert username == "admin" and user.is_superuser and user.check_password(password)


@pytest.mark.django_db
def test_second_run_says_the_password_was_set_earlier_and_how_to_change_it(no_superuser_env):
    first = setup_demo()
    password = LOGIN.search(first).group(2)
    second = setup_demo()
    assert "Demo site already loaded" in second
    assert "Login: admin (password as set earlier)" in second
    assert "manage.py changepassword admin" in second
    assert password not in second
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_the_environment_names_the_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "owner")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-and-secret-pass")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "owner@example.com")
    for _ in range(2):
        out = setup_demo()
        assert "Login: owner (password from DJANGO_SUPERUSER_PASSWORD)" in out
        assert "a-long-and-secret-pass" not in out and "changepassword" not in out
    assert get_user_model().objects.get(username="owner").check_password("a-long-and-secret-pass")


@pytest.mark.django_db
def test_half_the_admin_variables_is_refused(monkeypatch, no_superuser_env):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "owner")
    with pytest.raises(CommandError, match="all three"):
        setup_demo()
    assert not get_user_model().objects.filter(is_superuser=True).exists()


# The whole start-up in real processes, as `make run` runs it (without serving forever).


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def started(tmp_path_factory):
    """A fresh checkout's first ``setup_demo``, on a SQLite file of its own: (environment, output)."""
    port = free_port()
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "SITE_", "REDIS_")) and key != "PORT"
    }
    environ = {
        **kept,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "PORT": str(port),
        "PYTHONUNBUFFERED": "1",
    }
    result = manage(environ, "setup_demo")
    assert result.returncode == 0, result.stderr
    return environ, result.stdout + result.stderr


def manage(environ, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


def assert_no_line_twice(lines):
    repeated = [line for line in set(lines) if line.strip() and lines.count(line) > 1]
    assert repeated == [], repeated


def test_start_up_is_short_and_ends_with_the_login_box(started):
    environ, output = started
    lines = output.splitlines()
    assert len(lines) < 25, output
    assert lines[0].startswith("Database ready (") and lines[0].endswith(" migrations applied)")
    assert f"http://127.0.0.1:{environ['PORT']}/" in lines[-4] and lines[-2].startswith("│ Login: admin / ")
    assert lines[-1].startswith("└")
    assert not [line for line in lines if re.match(r"(Content-Type|MIME-Version|Subject|Task id)\b", line)], output
    assert "Applying " not in output
    assert "\x1b[" not in output, "no colour codes when the output is not a terminal"
    assert_no_line_twice(lines)
    # The demo's comment notifications, one line each.
    assert len([line for line in lines if line.startswith("Email ") and " to author@example.com: " in line]) == 2


def test_runserver_logs_each_request_once(started, tmp_path):
    environ, _output = started
    port = environ["PORT"]
    log = tmp_path / "runserver.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env={**environ, "DJANGO_RUNSERVER_HIDE_WARNING": "true"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: get(port, "/healthz") == 200, server)
        assert get(port, "/") == 200
        assert get(port, "/no-such-page/") == 404
        # The access line is written after the response has gone: wait for it.
        wait_for(lambda: '"GET /no-such-page/ HTTP/1.1" 404' in log.read_text(), server)
        time.sleep(0.3)  # room for a second copy, were there one
    finally:
        server.terminate()
        server.wait(timeout=10)
    output = log.read_text()
    lines = output.splitlines()
    assert f"Starting WSGI development server at http://127.0.0.1:{port}/" in lines
    assert "System check identified no issues (0 silenced)." in lines
    assert len([line for line in lines if '"GET / HTTP/1.1" 200' in line]) == 1, output
    assert len([line for line in lines if '"GET /no-such-page/ HTTP/1.1" 404' in line]) == 1, output
    assert lines.count("Not Found: /no-such-page/") == 1, output
    assert_no_line_twice(lines)


def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(condition, server, seconds=20):
    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return
        except OSError:
            pass
        assert server.poll() is None, "runserver stopped"
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.1)


def test_second_start_up_points_to_changepassword(started):
    environ, _output = started
    result = manage(environ, "setup_demo")
    lines = (result.stdout + result.stderr).splitlines()
    assert lines[:2] == ["Database up to date", "Demo site already loaded"]
    assert "│ Login: admin (password as set earlier)" in lines[-3]
    assert "Forgot it? .venv/bin/python manage.py changepassword admin" in lines[-2]
    assert len(lines) == 8
