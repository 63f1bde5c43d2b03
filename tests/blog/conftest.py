"""Fixtures shared by the blog's tests."""

import datetime

import pytest
from django.utils import timezone

from blog.models import Post
from tests.factories import PostFactory, login


@pytest.fixture
def hidden_posts(db):
    """One post of every kind the public must never see ("Secret …" titles, "secret-…" slugs)."""
    return [
        PostFactory(title="Secret draft", slug="secret-draft", status=Post.Status.DRAFT),
        PostFactory(title="Secret pending", slug="secret-pending", status=Post.Status.PENDING),
        PostFactory(title="Secret private", slug="secret-private", status=Post.Status.PRIVATE),
        PostFactory(
            title="Secret future", slug="secret-future", published_at=timezone.now() + datetime.timedelta(days=1)
        ),
    ]


@pytest.fixture
def editor(client):
    return login(client, "Editor")


@pytest.fixture
def author(client):
    return login(client, "Author")


@pytest.fixture
def contributor(client):
    return login(client, "Contributor")
