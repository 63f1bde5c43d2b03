import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from blog.models import Post, display_name
from blog.sanitize import plain_text
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_published_includes_only_published_posts_whose_time_has_come():
    visible = PostFactory()
    PostFactory(status=Post.Status.DRAFT)
    PostFactory(status=Post.Status.PENDING)
    PostFactory(status=Post.Status.PRIVATE)
    PostFactory(published_at=timezone.now() + datetime.timedelta(hours=1))  # scheduled

    assert list(Post.objects.published()) == [visible]


def test_scheduled_post_becomes_public_when_its_time_arrives():
    post = PostFactory(published_at=timezone.now() + datetime.timedelta(minutes=5))
    assert post.is_scheduled and not post.is_published
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    post.refresh_from_db()
    assert post.is_published
    assert list(Post.objects.published()) == [post]


def test_listing_order_is_sticky_first_then_newest():
    now = timezone.now()
    old_sticky = PostFactory(sticky=True, published_at=now - datetime.timedelta(days=30))
    newest = PostFactory(published_at=now - datetime.timedelta(hours=1))
    older = PostFactory(published_at=now - datetime.timedelta(days=2))

    assert list(Post.objects.for_listing()) == [old_sticky, newest, older]


def test_body_is_sanitised_on_save():
    post = PostFactory(
        body='<p onclick="steal()">Hi<script>alert(1)</script></p><a href="javascript:alert(1)">x</a>'
        '<img src="x.png" onerror="alert(1)" alt="pic">'
    )
    post.refresh_from_db()
    assert "<script" not in post.body
    assert "onclick" not in post.body and "onerror" not in post.body
    assert "javascript:" not in post.body
    assert '<img src="x.png" alt="pic">' in post.body


def test_summary_is_derived_from_the_body_when_the_excerpt_is_empty():
    words = " ".join(f"word{i}" for i in range(80))
    post = PostFactory(body=f"<p>{words} &amp; more</p>", excerpt="")
    assert post.summary.startswith("word0 word1")
    assert post.summary.endswith("…")
    assert len(post.summary.split()) == 55
    assert "<" not in post.summary
    assert post.excerpt == ""  # nothing frozen: the field is still the author's


def test_given_excerpt_is_kept_as_the_summary():
    post = PostFactory(excerpt="My own summary.", body="<p>Other words.</p>")
    assert post.excerpt == post.summary == "My own summary."
    post.body = "<p>Changed words.</p>"
    post.save()
    assert post.summary == "My own summary."


def test_summary_follows_every_edit_of_the_body():
    post = PostFactory(excerpt="", body="<p>First draft.</p>")
    post.body = "<p>Second thoughts.</p>"
    post.save()
    post.refresh_from_db()
    assert post.summary == "Second thoughts."


def test_summary_keeps_list_items_and_blocks_apart():
    post = PostFactory(
        excerpt="", body="<h2>Try</h2><ul><li>Breathe</li><li>Wait</li><li>Reflect back</li></ul><p>Then</p>"
    )
    assert post.summary == "Try Breathe Wait Reflect back Then"


def test_plain_text_keeps_inline_markup_inside_a_word():
    assert plain_text("<p>Bre<b>athe</b> in<br>and out</p><p>again</p>") == "Breathe in and out again"


def test_summary_migration_frees_only_excerpts_that_were_derived():
    migration = importlib.import_module("blog.migrations.0010_post_summary")
    body = "<ul><li>Breathe</li><li>Wait</li></ul>"
    assert migration.old_derived_excerpt(body) == "BreatheWait"  # what the old save() stored
    derived = PostFactory(body=body)
    written = PostFactory(body=body, excerpt="Written by hand.")
    Post.objects.filter(pk=derived.pk).update(excerpt="BreatheWait", summary="")
    Post.objects.filter(pk=written.pk).update(summary="")
    migration.fill_summaries(django_apps, None)
    derived.refresh_from_db()
    written.refresh_from_db()
    assert (derived.excerpt, derived.summary) == ("", "Breathe Wait")
    assert (written.excerpt, written.summary) == ("Written by hand.", "Written by hand.")


def test_published_post_without_a_date_gets_one_on_save():
    post = PostFactory(published_at=None)
    assert post.published_at is not None


def test_validating_a_published_post_without_a_date_gives_it_one_and_a_draft_none():
    author = PostFactory().author
    published = PostFactory.build(slug="now", published_at=None, author=author)
    published.full_clean()
    assert published.published_at is not None
    draft = PostFactory.build(slug="later", status=Post.Status.DRAFT, published_at=None, author=author)
    draft.full_clean()
    draft.save()
    assert draft.published_at is None


def test_database_refuses_a_published_post_without_a_date():
    post = PostFactory()
    with pytest.raises(IntegrityError):
        Post.objects.filter(pk=post.pk).update(published_at=None)


def test_modified_at_in_python_and_in_sql_agree():
    now = timezone.now()
    edited = PostFactory(slug="edited")
    Post.objects.filter(pk=edited.pk).update(updated_at=now, published_at=now - datetime.timedelta(days=1))
    went_live = PostFactory(slug="went-live")
    Post.objects.filter(pk=went_live.pk).update(updated_at=now - datetime.timedelta(days=2), published_at=now)
    draft = PostFactory(slug="draft", status=Post.Status.DRAFT, published_at=None)
    posts = Post.objects.annotate(changed=Post.modified_at_expression()).in_bulk([edited.pk, went_live.pk, draft.pk])
    assert [posts[pk].changed for pk in posts] == [posts[pk].modified_at for pk in posts]
    assert (posts[edited.pk].changed, posts[went_live.pk].changed) == (now, now)
    assert posts[draft.pk].changed == posts[draft.pk].updated_at


def test_slug_is_unique():
    PostFactory(slug="same")
    with pytest.raises(ValidationError):
        PostFactory.build(slug="same", author=PostFactory().author).full_clean()


def test_permalink_uses_the_publication_date():
    post = PostFactory(slug="hello", published_at=datetime.datetime(2017, 3, 6, 9, 0, tzinfo=datetime.UTC))
    assert post.get_absolute_url() == "/2017/03/06/hello/"


def test_display_name_is_the_full_name_else_the_username():
    assert display_name(UserFactory.build(username="ada", first_name="Ada", last_name="Lovelace")) == "Ada Lovelace"
    assert display_name(UserFactory.build(username="ada", first_name="", last_name="")) == "ada"
