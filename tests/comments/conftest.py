import pytest
from django.contrib.auth.models import Group

from comments.models import DiscussionSettings
from tests.factories import UserFactory, old_timestamp


@pytest.fixture
def discussion(db):
    return DiscussionSettings.load()


@pytest.fixture
def moderator(db):
    """A staff user in the Moderator group (made by a migration): moderates every post's comments."""
    user = UserFactory(username="mod", email="mod@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderator"))
    return user


@pytest.fixture
def comment_data():
    """Valid form data for a new comment on ``post``."""

    def make(post, **overrides):
        data = {
            "body": "A calm and thoughtful reply.",
            "name": "Riley Reader",
            "email": "riley@example.com",
            "url": "",
            "post": post.pk,
            "parent": 0,
            "ts": old_timestamp(post.pk),
            "homepage": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return make
