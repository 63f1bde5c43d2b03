import time

import pytest

from blog.antispam import form_timestamp
from comments.models import DiscussionSettings

ARTICLE = "/2017/03/06/dos-and-donts-when-your-partner-withdraws/"


@pytest.fixture
def discussion(db):
    return DiscussionSettings.load()


def old_timestamp(post_id, seconds_ago=60):
    """A form time stamp issued a while ago, so the post is not 'faster than a person'."""
    return form_timestamp(post_id, now=time.time() - seconds_ago)


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
