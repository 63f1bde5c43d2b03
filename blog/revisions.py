"""Revisions and autosaves of posts and pages: the writes, called by blog.services and the admin.

Every save of a post or page through ``blog.services`` (the admin's included)
calls ``revision_record``; a restore goes back through that same save. An
autosave only ever writes its own row: never the post, its status or its dates.
"""

from django.db import transaction
from django.utils import timezone

from blog import diffs
from blog.models import Autosave, Post, Revision
from blog.models.revisions import owner_filter
from blog.sanitize import sanitize_post_html

TRACKED_FIELDS = ("title", "excerpt", "body")


def tracked_words(obj):
    """``(title, excerpt, body)`` of a post, page, revision or autosave (a page has no excerpt)."""
    return tuple(getattr(obj, name, "") for name in TRACKED_FIELDS)


def revision_record(*, obj, user=None):
    """Keep a revision of the title, excerpt and body ``obj`` was just saved with; None when they did not change.

    Side effects: one Revision row, with who saved it and what changed since the
    revision before (fields, words added and removed).
    """
    latest = Revision.objects.filter(**owner_filter(obj)).only(*TRACKED_FIELDS).first()
    words = tracked_words(obj)
    if latest is not None and tracked_words(latest) == words:
        return None
    changed, added, removed = [], 0, 0
    if latest is not None:
        changed = [
            name for name, old, new in zip(TRACKED_FIELDS, tracked_words(latest), words, strict=True) if old != new
        ]
        for segments in diffs.compare(latest, obj).values():
            more, fewer = diffs.word_counts(segments)
            added, removed = added + more, removed + fewer
    title, excerpt, body = words
    return Revision.objects.create(
        **owner_filter(obj),
        title=title,
        excerpt=excerpt,
        body=body,
        author=user if user is not None and user.is_authenticated else None,
        changed_fields=",".join(changed),
        words_added=added,
        words_removed=removed,
    )


@transaction.atomic
def revision_restore(*, revision, user):
    """Put a revision's title, excerpt and body back on its post or page, through the ordinary save.

    The status, slug and dates stay as they are; the save keeps a new revision
    (and, for a post, the old-slug rules of ``post_save``). Returns the post or page.
    """
    from blog import services  # services imports this module to record revisions

    obj = revision.owner
    obj.title, obj.body = revision.title, revision.body
    if isinstance(obj, Post):
        obj.excerpt = revision.excerpt
        return services.post_save(post=obj, user=user)
    return services.page_save(page=obj, user=user)


def autosave_store(*, obj, user, title, excerpt, body):
    """Keep ``user``'s unsaved words for ``obj``, replacing their previous autosave of it.

    Writes only the Autosave row (one per user and post or page); the body is
    sanitised as a saved body would be. Returns the Autosave.
    """
    autosave, _created = Autosave.objects.update_or_create(
        user=user,
        **owner_filter(obj),
        defaults={
            "title": title,
            "excerpt": excerpt if hasattr(obj, "excerpt") else "",
            "body": sanitize_post_html(body),
            "saved_at": timezone.now(),
        },
    )
    return autosave


def autosave_of(*, obj, user):
    """``user``'s autosave of ``obj``, or None."""
    return Autosave.objects.filter(user=user.pk, **owner_filter(obj)).first()


def autosave_offered(*, obj, user):
    """The autosave to offer on opening ``obj``: newer than its last save and different from it, else None."""
    autosave = autosave_of(obj=obj, user=user)
    if autosave is None or autosave.saved_at <= obj.updated_at or not autosave.differs_from(obj):
        return None
    return autosave


def autosave_discard(*, obj, user):
    """Forget ``user``'s autosave of ``obj`` (after a save, or when they discard it). Returns whether one existed."""
    deleted, _per_model = Autosave.objects.filter(user=user.pk, **owner_filter(obj)).delete()
    return bool(deleted)
