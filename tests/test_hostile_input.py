"""Every public URL answers hostile, odd or oversized input with a normal page or a 4xx, never a 500."""

import pytest
from django.test import Client

from tests.demo import ARTICLE

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "x",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e9",
    "%00",
    "\x00",
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    "../../etc/passwd",
    "NEAR(",
    "*",
    "😀" * 50,
    "a" * 5000,
    "\r\nSet-Cookie: x=y",
]
GET_URLS = [
    "/",
    ARTICLE,
    ARTICLE + "share/",
    ARTICLE + "feed/",
    "/2017/",
    "/2017/03/",
    "/2017/03/06/",
    "/category/relationships/",
    "/tag/boundaries/",
    "/author/blogauthor/",
    "/search/",
    "/about/",
    "/feed/",
    "/feed/atom/",
    "/comments/feed/",
    "/sitemap.xml",
    "/robots.txt",
]
PARAMS = ["page", "q", "cpage", "replytocom", "unapproved", "moderation-hash"]


@pytest.fixture
def client_with_demo(demo):
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", GET_URLS)
def test_hostile_query_strings_never_500(client_with_demo, url):
    for value in HOSTILE:
        for param in PARAMS:
            response = client_with_demo.get(url, {param: value})
            assert response.status_code < 500, (url, param, value[:40])


@pytest.mark.parametrize(
    "url",
    [
        "/comments/post/",
        ARTICLE + "share/",
        "/comments/moderate/garbage/",
        "/comments/unsubscribe/garbage/",
        "/comments/subscriptions/confirm/garbage/",
    ],
)
def test_hostile_posts_never_500(client_with_demo, url):
    fields = ["body", "name", "email", "url", "post", "parent", "ts", "homepage", "to", "message", "remember"]
    for value in HOSTILE:
        response = client_with_demo.post(url, dict.fromkeys(fields, value), REMOTE_ADDR="203.0.113.77")
        assert response.status_code < 500, (url, value[:40])
    response = client_with_demo.post(url, b"\xff\xfe\x00garbage", content_type="application/octet-stream")
    assert response.status_code < 500


@pytest.mark.parametrize(
    "path",
    [
        "/comments/moderate/%s/",
        "/comments/unsubscribe/%s/",
        "/comments/subscriptions/confirm/%s/",
        "/category/%s/",
        "/tag/%s/",
        "/author/%s/",
        "/%s/",
        "/2017/03/06/%s/",
        "/2017/03/06/%s/share/x/",
    ],
)
def test_hostile_path_segments_never_500(client_with_demo, path):
    for value in ["x" * 3000, "%E2%80%99", "a.b.c:d", "..", "%2F%2F", "0", "-"]:
        response = client_with_demo.get(path % value)
        assert response.status_code < 500, (path, value[:40])
