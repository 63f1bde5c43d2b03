"""Failed admin logins are throttled per address and per username at an address, before any hashing."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.test import RequestFactory

from config import login_throttle

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.66"
ADMIN_HOME = "198.51.100.7"


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast in tests) that counts every password it hashes or checks."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


@pytest.fixture
def admin_user(db, hasher):
    return User.objects.create_superuser("admin", "admin@example.com", PASSWORD)


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand."""
    now = {"t": 1_800_000_000.0}
    monkeypatch.setattr(login_throttle, "_now", lambda: now["t"])

    def advance(seconds):
        now["t"] += seconds

    return advance


def login(client, username, password, address=ATTACKER):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)


def fail(client, times, username="admin", address=ATTACKER):
    for _ in range(times):
        response = login(client, username, "wrong password", address)
        assert response.status_code == 200, response.status_code


def test_sixth_wrong_password_is_refused_with_429_before_any_hashing(client, admin_user, hasher, clock):
    fail(client, login_throttle.FAILURES_PER_USERNAME)
    hashed_before = hasher.calls
    assert hashed_before >= login_throttle.FAILURES_PER_USERNAME

    response = login(client, "admin", "another wrong password")

    assert response.status_code == 429
    assert hasher.calls == hashed_before
    assert int(response["Retry-After"]) == login_throttle.WINDOW_SECONDS
    assert "Too many failed login attempts. Please try again in 15 minutes." in response.text
    assert 'id="login-form"' in response.text
    assert "no-cache" in response["Cache-Control"]


def test_the_right_password_is_refused_too_from_the_throttled_address(client, admin_user, clock):
    fail(client, login_throttle.FAILURES_PER_USERNAME)
    assert login(client, "admin", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_refused_login_keeps_the_username_and_the_admin_look(client, admin_user, clock):
    fail(client, login_throttle.FAILURES_PER_USERNAME, username="Admin")

    response = login(client, "Admin", "wrong password")

    assert response.status_code == 429
    assert 'name="username" value="Admin"' in response.text
    assert 'id="site-name"' in response.text  # the admin's header: the site's admin look
    assert 'name="next" value="/admin/"' in response.text


def test_the_real_administrator_still_logs_in_from_another_address(client, admin_user, clock):
    fail(client, login_throttle.FAILURES_PER_USERNAME)
    assert login(client, "admin", PASSWORD).status_code == 429

    response = login(client, "admin", PASSWORD, address=ADMIN_HOME)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_usernames_typed_differently_count_as_one(client, admin_user, clock):
    for typed in ["admin", "ADMIN", " admin ", "Admin", "\uff41dmin"]:  # the last with a fullwidth "a"
        login(client, typed, "wrong password")
    assert login(client, "admin", PASSWORD).status_code == 429


def test_the_address_limit_trips_across_many_usernames(client, admin_user, hasher, clock):
    for number in range(login_throttle.FAILURES_PER_ADDRESS):
        fail(client, 1, username=f"guess{number}")
    hashed_before = hasher.calls

    response = login(client, "someone-new", "wrong password")

    assert response.status_code == 429
    assert hasher.calls == hashed_before
    assert login(client, "admin", PASSWORD, address=ADMIN_HOME).status_code == 302


def test_an_ipv6_address_is_throttled_by_its_64(client, admin_user, clock):
    fail(client, login_throttle.FAILURES_PER_USERNAME, address="2001:db8:1:2::1")
    assert login(client, "admin", PASSWORD, address="2001:db8:1:2:ffff::9").status_code == 429
    assert login(client, "admin", PASSWORD, address="2001:db8:1:3::1").status_code == 302


def test_the_address_behind_a_trusted_proxy_is_the_forwarded_one(client, admin_user, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def via_proxy(password, forwarded):
        data = {"username": "admin", "password": password}
        return client.post(LOGIN, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).status_code

    for _ in range(login_throttle.FAILURES_PER_USERNAME):
        via_proxy("wrong password", ATTACKER)

    assert via_proxy(PASSWORD, ATTACKER) == 429
    assert via_proxy(PASSWORD, ADMIN_HOME) == 302


def test_logins_work_again_once_the_window_has_passed(client, admin_user, clock):
    fail(client, login_throttle.FAILURES_PER_USERNAME)
    clock(login_throttle.WINDOW_SECONDS - 60)
    response = login(client, "admin", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Please try again in 1 minute." in response.text

    clock(61)

    assert login(client, "admin", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_username_count(client, admin_user, clock):
    fail(client, login_throttle.FAILURES_PER_USERNAME - 1)
    assert login(client, "admin", PASSWORD).status_code == 302
    client.logout()

    fail(client, login_throttle.FAILURES_PER_USERNAME - 1)

    assert login(client, "admin", PASSWORD).status_code == 302


def test_get_of_the_login_page_is_never_refused_and_shows_the_wait(client, admin_user, clock):
    for number in range(login_throttle.FAILURES_PER_ADDRESS):
        fail(client, 1, username=f"guess{number}")

    response = client.get(LOGIN, REMOTE_ADDR=ATTACKER)

    assert response.status_code == 200
    assert 'id="login-form"' in response.text
    assert "Too many failed login attempts." in response.text
    assert "Too many" not in client.get(LOGIN, REMOTE_ADDR=ADMIN_HOME).text


def test_failures_counted_in_another_process_throttle_this_one(client, admin_user):
    # Another worker (its own process) records the failures in the shared cache.
    code = (
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from config import login_throttle\n"
        f"request = RequestFactory().post('/admin/login/', REMOTE_ADDR={ATTACKER!r})\n"
        f"for _ in range({login_throttle.FAILURES_PER_USERNAME}): login_throttle.record_failure(request, 'admin')\n"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()

    assert login(client, "admin", PASSWORD).status_code == 429


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("the shared cache is down")

        return fail


def test_a_broken_cache_never_turns_login_into_an_error(client, admin_user, monkeypatch):
    monkeypatch.setattr(login_throttle, "caches", {"shared": BrokenCache()})

    assert client.get(LOGIN, REMOTE_ADDR=ATTACKER).status_code == 200
    assert login(client, "admin", "wrong password").status_code == 200
    assert login(client, "admin", PASSWORD).status_code == 302


def test_keys_name_address_and_username_never_a_row_or_the_plain_values(admin_user):
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=ATTACKER)
    keys = list(login_throttle._cache_keys(request, "Admin"))
    assert [key.rsplit(":", 1)[0] for key in keys] == ["login-throttle:address", "login-throttle:address-username"]
    assert not any(ATTACKER in key or "admin" in key.lower().rsplit(":", 1)[1] for key in keys)
    assert keys == list(login_throttle._cache_keys(request, " ADMIN "))


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5"),  # a dual-stack socket's IPv4 reader
        ("", "unknown"),
    ],
)
def test_address_key(remote, expected):
    assert login_throttle.address_key(RequestFactory().get("/", REMOTE_ADDR=remote)) == expected


# Issue 9d: a `next` that is not safe lands on the admin, not on a 404.
@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example", "javascript:alert(1)"])
def test_login_with_an_unsafe_next_lands_on_the_admin_index(client, admin_user, unsafe):
    from_query = client.post(f"{LOGIN}?next={quote(unsafe)}", {"username": "admin", "password": PASSWORD})
    client.logout()
    from_form = client.post(LOGIN, {"username": "admin", "password": PASSWORD, "next": unsafe})

    assert from_query.status_code == from_form.status_code == 302
    assert from_query["Location"] == from_form["Location"] == "/admin/"
