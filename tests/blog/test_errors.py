"""Failures Django handles itself still answer in the site's look, and keep what the reader typed."""

import time

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from blog.antispam import form_timestamp
from comments.models import Comment
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_expired_csrf_on_a_comment_shows_the_article_with_the_text_kept():
    post = PostFactory()
    client = Client(enforce_csrf_checks=True)
    data = {
        "body": "Words worth keeping.",
        "name": "Riley",
        "email": "riley@example.com",
        "post": post.pk,
        "parent": 0,
        "ts": form_timestamp(post.pk, now=time.time() - 60),
    }
    response = client.post("/comments/post/", data)
    assert response.status_code == 403
    assertContains(response, "Your session had expired", status_code=403)
    assertContains(response, "Words worth keeping.", status_code=403)
    assertContains(response, f'<article id="post-{post.pk}"', status_code=403)
    assertContains(response, 'name="csrfmiddlewaretoken"', status_code=403)
    assert not Comment.objects.exists()


def test_expired_csrf_on_a_share_keeps_the_form():
    post = PostFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(post.share_url(), {"name": "Sam", "email": "sam@example.com", "to": "f@example.org"})
    assert response.status_code == 403
    assertContains(response, "Your session had expired", status_code=403)
    assertContains(response, 'value="f@example.org"', status_code=403)


def test_other_csrf_failures_and_oversized_requests_answer_in_the_sites_look(settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/comments/post/", {"post": "nope"})
    assert response.status_code == 403
    assertContains(response, "This form has expired.", status_code=403)
    assertContains(response, 'class="site-header"', status_code=403)

    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = Client().post("/comments/post/", {f"f{i}": "x" for i in range(50)})
    assert response.status_code == 400
    assertContains(response, "We could not read that request.", status_code=400)
    assertContains(response, 'class="site-header"', status_code=400)
