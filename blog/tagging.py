"""Tags typed by authors, as WordPress takes them: "calm, slow mornings" in one field."""

import functools
import operator

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from blog.models import Tag
from blog.services import tag_get_or_create


class TagsRefused(Exception):
    """Typed tags that cannot be used; the message says which and why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def split_tag_names(text):
    """Tags typed as WordPress takes them: separated by commas, spaces trimmed, each once (case ignored)."""
    names = {}
    for name in (text or "").split(","):
        name = " ".join(name.split())
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def _existing_tags(names):
    """{slug: name} of the typed names, and the tags among them that exist, by slug and by name (case ignored).

    Raises TagsRefused for a name too long or one that makes no slug ("!!!").
    """
    wanted = {}
    for name in names:
        slug = slugify(name, allow_unicode=True)
        if len(name) > Tag._meta.get_field("name").max_length or len(slug) > Tag._meta.get_field("slug").max_length:
            raise TagsRefused(_("“%(name)s…” is too long for a tag (at most 100 characters).") % {"name": name[:40]})
        if not slug:
            raise TagsRefused(_("“%(name)s” cannot be a tag: use letters or numbers.") % {"name": name})
        wanted.setdefault(slug, name)
    same_name = functools.reduce(operator.or_, (Q(name__iexact=name) for name in wanted.values()), Q(pk__in=[]))
    existing = {}
    for tag in Tag.objects.filter(Q(slug__in=wanted) | same_name):
        existing[tag.slug] = existing[tag.name.casefold()] = tag
    return wanted, existing


def check_tag_names(names, *, may_create):
    """Raise TagsRefused when the typed tags cannot be used (see tags_from_names); write nothing."""
    wanted, existing = _existing_tags(names)
    missing = [name for slug, name in wanted.items() if slug not in existing and name.casefold() not in existing]
    if missing and not may_create:
        raise TagsRefused(
            _("You may only use existing tags; these are new: %(names)s.") % {"names": ", ".join(missing)}
        )


@transaction.atomic
def tags_from_names(names, *, may_create):
    """The tags with these names (or slugs), in the order given; missing ones are created when allowed.

    Raises TagsRefused for a name too long, one that makes no slug ("!!!"), or a new
    tag from someone without ``blog.add_tag``. Nothing is created then.
    """
    check_tag_names(names, may_create=may_create)
    return [tag if tag.pk else tag_get_or_create(name=tag.name, slug=tag.slug) for tag in tags_named(names)]


def tags_named(names):
    """The tags these typed names mean, without writing: existing ones, and unsaved ones for new names.

    What a preview shows; raises TagsRefused as tags_from_names does.
    """
    wanted, existing = _existing_tags(names)
    tags = []
    for slug, name in wanted.items():
        tag = existing.get(slug) or existing.get(name.casefold()) or Tag(name=name, slug=slug)
        if tag.pk is None or tag not in tags:  # "calm" and "Calm!" may both mean the tag Calm
            tags.append(tag)
    return tags
