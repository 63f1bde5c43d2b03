"""The signed form stamp: bound to one post, half a day of life, a few successful uses, honest retries kept."""

import time

import pytest
from django.core import signing

from blog import antispam
from blog.antispam import (
    FORM_SALT,
    MAX_FORM_AGE,
    MAX_STAMP_USES,
    AntiSpamForm,
    form_timestamp,
    read_stamp,
    retry_timestamp,
    stamp_use,
    stamp_worn_out,
)
from blog.forms import ShareByEmailForm
from comments.forms import CommentForm
from tests.factories import PostFactory


def test_a_form_stays_good_for_half_a_day():
    assert MAX_FORM_AGE == 12 * 3600


def test_each_stamp_names_its_post_and_carries_its_own_nonce():
    one, two = read_stamp(form_timestamp(7)), read_stamp(form_timestamp(7))
    assert one["post"] == two["post"] == 7
    assert one["n"] and one["n"] != two["n"]


@pytest.mark.parametrize(
    "payload",
    [
        {"post": 7, "t": 1},  # an old-style stamp without a nonce
        {"post": "7", "t": 1, "n": "x"},
        {"post": True, "t": 1, "n": "x"},  # True == 1 in Python: not a post id
        {"post": 7, "t": "1", "n": "x"},
        {"post": 7, "t": 1, "n": ""},
        [7, 1, "x"],
    ],
)
def test_a_signed_but_malformed_stamp_is_not_read(payload):
    assert read_stamp(signing.dumps(payload, salt=FORM_SALT)) is None


def test_a_stamp_signed_for_another_purpose_is_not_read():
    assert read_stamp(signing.dumps({"post": 7, "t": 1, "n": "x"}, salt="another.purpose")) is None


@pytest.mark.django_db
def test_a_stamp_wears_out_after_its_successful_uses():
    stamp = read_stamp(form_timestamp(7))
    for _ in range(MAX_STAMP_USES - 1):
        stamp_use(stamp)
        assert not stamp_worn_out(stamp)
    stamp_use(stamp)
    assert stamp_worn_out(stamp)
    assert not stamp_worn_out(read_stamp(form_timestamp(7)))  # another form, another nonce


@pytest.mark.django_db
def test_the_use_count_is_kept_by_nonce_not_by_anything_in_the_database():
    stamp = read_stamp(form_timestamp(7))
    stamp_use(stamp)
    assert antispam.USE_KEY.format(nonce=stamp["n"], place=0).startswith("blog:form-stamp-use:")
    from django.core.cache import caches

    assert caches["shared"].get(antispam.USE_KEY.format(nonce=stamp["n"], place=0)) is True


@pytest.mark.django_db
def test_retry_keeps_a_good_stamp_and_renews_one_that_is_ending_worn_out_or_for_another_post():
    good = form_timestamp(7, now=time.time() - 60)
    assert retry_timestamp(good, 7) == good
    assert retry_timestamp(good, 8) != good
    ending = form_timestamp(7, now=time.time() - MAX_FORM_AGE + 60)
    assert retry_timestamp(ending, 7) != ending
    worn = form_timestamp(7, now=time.time() - 60)
    for _ in range(MAX_STAMP_USES):
        stamp_use(read_stamp(worn))
    renewed = retry_timestamp(worn, 7)
    assert renewed != worn and read_stamp(renewed)["post"] == 7
    assert read_stamp(retry_timestamp("forged", 7))["post"] == 7


def test_a_form_that_does_not_say_its_post_is_a_programming_error():
    form = AntiSpamForm({"ts": form_timestamp(7)})
    with pytest.raises(NotImplementedError):
        form.is_valid()


@pytest.mark.django_db
def test_every_form_using_the_stamp_binds_it_to_its_post():
    """Each AntiSpamForm refuses a stamp issued for another post (a bot cannot collect one and post anywhere)."""
    post, other = PostFactory(), PostFactory()
    stale = {"ts": form_timestamp(other.pk, now=time.time() - 60), "homepage": ""}
    comment = CommentForm(
        {"body": "Hi", "name": "Riley", "email": "r@example.com", "post": post.pk, "parent": 0, **stale}
    )
    share = ShareByEmailForm({"name": "Sam", "email": "s@example.com", "to": "f@example.org", **stale}, post=post)
    forms = {type(comment), type(share)}
    assert forms == set(AntiSpamForm.__subclasses__())  # a new form must be added here
    for form in (comment, share):
        assert not form.is_valid()
        assert [error.code for error in form.errors.as_data()["__all__"]] == ["bad_timestamp"]
