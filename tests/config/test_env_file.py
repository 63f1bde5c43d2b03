"""Commands typed by hand beside `make run`: manage.py reads the checkout's .env; production stays explicit."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = "from django.conf import settings; print(settings.DEBUG, settings.SITE_TITLE, settings.SITE_URL)"


@pytest.fixture
def checkout(tmp_path):
    """A checkout of its own (manage.py and config/ copied, the apps linked): its .env and var/ are the test's."""
    shutil.copy(ROOT / "manage.py", tmp_path)
    shutil.copytree(ROOT / "config", tmp_path / "config", ignore=shutil.ignore_patterns("__pycache__"))
    apps = [path.parent.name for path in ROOT.glob("*/apps.py")]
    for name in (*apps, "templates", "static", "scripts"):
        (tmp_path / name).symlink_to(ROOT / name)
    return tmp_path


def manage(checkout, *args, **environ):
    """manage.py run as a person types it: no DJANGO_ or site variable set unless given."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(checkout), **environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=checkout, env=clean, capture_output=True, text=True, timeout=60
    )


def test_without_env_file_a_missing_secret_is_one_line_not_a_traceback(checkout):
    result = manage(checkout, "check")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: DJANGO_SECRET_KEY is not set.")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr and "make run" in result.stderr


def test_a_bad_value_is_one_line_too(checkout):
    result = manage(checkout, "check", DJANGO_DEBUG="perhaps")
    assert (result.returncode, result.stderr.strip()) == (
        1,
        "Error: DJANGO_DEBUG must be a boolean (1/0, true/false), not 'perhaps'.",
    )


def test_the_env_file_make_run_writes_lets_commands_run(checkout):
    subprocess.run([checkout / "scripts" / "write-dev-env"], cwd=checkout, check=True)
    result = manage(checkout, "check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    shown = manage(checkout, "shell", "-c", PRINT_SETTINGS)
    assert shown.stdout.strip().splitlines()[-1].split() == ["True", "Steady", "Ground", "http://127.0.0.1:8000"]


def test_the_environment_wins_over_the_env_file(checkout):
    (checkout / ".env").write_text('# mine\nexport DJANGO_DEBUG=1\nSITE_TITLE="From the file"\n\nPORT = 8401\n')
    shown = manage(checkout, "shell", "-c", PRINT_SETTINGS, SITE_TITLE="From the environment")
    last_line = shown.stdout.strip().splitlines()[-1]
    assert last_line.split() == ["True", "From", "the", "environment", "http://127.0.0.1:8401"], shown.stderr


def test_production_without_a_secret_still_refuses_whatever_the_env_file_says(checkout):
    subprocess.run([checkout / "scripts" / "write-dev-env"], cwd=checkout, check=True)
    result = manage(checkout, "check", DJANGO_DEBUG="0")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: DJANGO_SECRET_KEY is not set.")


def test_the_web_server_never_reads_the_env_file(checkout):
    subprocess.run([checkout / "scripts" / "write-dev-env"], cwd=checkout, check=True)
    clean = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"], cwd=checkout, env=clean, capture_output=True, text=True
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY is not set" in result.stderr


def test_write_dev_env_makes_a_private_file_once_and_never_overwrites(tmp_path):
    script = ROOT / "scripts" / "write-dev-env"
    subprocess.run([script], cwd=tmp_path, check=True)
    written = tmp_path / ".env"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert env.read_env_file(written) == {"DJANGO_DEBUG": "1"}
    written.write_text("DJANGO_DEBUG=1\nSITE_TITLE=Mine\n")
    subprocess.run([script], cwd=tmp_path, check=True)
    assert written.read_text() == "DJANGO_DEBUG=1\nSITE_TITLE=Mine\n"


def test_env_is_ignored_by_git():
    result = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
    assert result.returncode == 0


def test_a_malformed_line_names_its_number(tmp_path):
    bad = tmp_path / ".env"
    bad.write_text("DJANGO_DEBUG=1\nthis is not a setting\n")
    with pytest.raises(ImproperlyConfigured, match=r"line 2: expected NAME=value"):
        env.read_env_file(bad)


def test_load_env_file_keeps_what_is_set_and_skips_a_missing_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_TITLE", "Set")
    monkeypatch.delenv("SITE_TAGLINE", raising=False)
    (tmp_path / ".env").write_text("SITE_TITLE=File\nSITE_TAGLINE='Quoted # not a comment'\n")
    env.load_env_file(tmp_path / ".env")
    assert (os.environ["SITE_TITLE"], os.environ["SITE_TAGLINE"]) == ("Set", "Quoted # not a comment")
    env.load_env_file(tmp_path / "missing")
