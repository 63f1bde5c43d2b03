"""``import_wxr``: a WordPress export (WXR) into this site, through the site's own services.

Two passes over the file, each streaming (memory flat in the file's size): the first
reads it whole and writes nothing, so a truncated or malformed file leaves the site as it
was; the second writes, one transaction per author, term, post or page (with its
comments), so a failure leaves no half-made post. Everything is keyed by the source site's
address and the WordPress id (``wordpress.models.ImportedObject``): importing the same
file again updates in place, two sites' files never overwrite each other.
"""

import datetime
import html
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from blog.models import Category, Tag
from wordpress.models import ImportedObject, Source
from wordpress.wxr.reader import Author, Channel, Item, read_wxr
from wordpress.wxr.reader import Category as WXRCategory
from wordpress.wxr.reader import Tag as WXRTag

KINDS = ["author", "category", "tag", "post", "page", "comment", "attachment"]
PLURALS = {kind: f"{kind}s" for kind in KINDS} | {"category": "categories"}


@dataclass
class Report:
    """What an import did, per kind, and what it could not import and why."""

    counts: dict = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    problems: list = field(default_factory=list)
    dry_run: bool = False

    def count(self, kind, outcome):
        self.counts[kind][outcome] += 1

    def problem(self, text):
        self.problems.append(text)

    def table(self):
        rows = [f"{'':<12}{'created':>9}{'updated':>9}{'unchanged':>11}{'skipped':>9}"]
        for kind in KINDS:
            tally = self.counts[kind]
            rows.append(
                f"{PLURALS[kind]:<12}{tally['created']:>9}{tally['updated']:>9}{tally['unchanged']:>11}{tally['skipped']:>9}"
            )
        return "\n".join(rows)


class DryRun(Exception):
    """Raised at the end of a dry run, to roll everything back."""


def text(value):
    """A plain-text field of the export (title, name): WordPress stores them with entities; decoded once."""
    return html.unescape(value or "").strip()


def survey(path):
    """Read the whole file once, writing nothing: the channel, and a WXRError now if the file is broken."""
    channel = Channel()
    for record in read_wxr(path):
        if isinstance(record, Channel):
            channel = record
    return channel


def import_wxr(path, *, author_map=None, dry_run=False, progress=None):
    """Import the file at ``path``; returns a Report. Raises WXRError (nothing changed) for a broken file."""
    channel = survey(path)
    report = Report(dry_run=dry_run)
    try:
        with transaction.atomic():
            run = ImportRun(channel, report, author_map or {})
            for record in read_wxr(path):
                run.take(record)
                if progress is not None and isinstance(record, Item):
                    progress()
            run.finish()
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return report


class ImportRun:
    """One pass of writing: remembers what this file's ids became."""

    def __init__(self, channel, report, author_map):
        from wordpress import importing  # the per-kind writers

        self.writers = importing
        self.report = report
        self.author_map = author_map
        address = (channel.base_blog_url or channel.link or "").rstrip("/")
        if not address:
            raise ValidationError("The export does not say which site it comes from (no <wp:base_blog_url>).")
        self.source, _ = Source.objects.update_or_create(url=address, defaults={"title": text(channel.title)})
        self.users = {}
        self.categories = {}
        self.category_parents = {}
        self.page_parents = {}
        self.pages = {}

    # Bookkeeping

    def recall(self, kind, key):
        return ImportedObject.objects.filter(source=self.source, kind=kind, key=str(key)).first()

    def remember(self, kind, key, obj, *, guid="", old_url=""):
        ImportedObject.objects.update_or_create(
            source=self.source,
            kind=kind,
            key=str(key),
            defaults={"object_id": getattr(obj, "pk", None), "guid": guid[:1000], "old_url": old_url[:2000]},
        )

    def take(self, record):
        try:
            with transaction.atomic():
                if isinstance(record, Author):
                    self.writers.take_author(self, record)
                elif isinstance(record, WXRCategory):
                    self.writers.take_category(self, record)
                elif isinstance(record, WXRTag):
                    self.writers.take_tag(self, record)
                elif isinstance(record, Item):
                    self.writers.take_item(self, record)
        except ValidationError as error:
            name = getattr(record, "title", None) or getattr(record, "name", None) or getattr(record, "login", "")
            self.report.problem(f"{type(record).__name__} “{text(name)}”: {'; '.join(error.messages)}")
            self.report.count(kind_of(record), "skipped")

    def finish(self):
        """Links that may point forward in the file: category parents, page parents."""
        for slug, parent_slug in self.category_parents.items():
            category, parent = self.categories.get(slug), self.categories.get(parent_slug)
            if category and parent and category.parent_id != parent.pk and parent.pk != category.pk:
                category.parent = parent
                category.save(update_fields=["parent"])
        self.writers.link_pages(self)

    # Lookups the writers share

    def user_for(self, login):
        if login in self.users:
            return self.users[login]
        user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            user = self.writers.user_create(login or "wordpress", "", "")
        self.users[login] = user
        return user

    def category_for(self, slug, name):
        category = self.categories.get(slug)
        if category is None:
            category = Category.objects.filter(slug=slug).first() or self.writers.term_category(self, slug, name)
            self.categories[slug] = category
        return category

    def tag_for(self, slug, name):
        return Tag.objects.filter(slug=slug).first() or self.writers.term_tag(self, slug, name)


def kind_of(record):
    if isinstance(record, Author):
        return "author"
    if isinstance(record, WXRCategory):
        return "category"
    if isinstance(record, WXRTag):
        return "tag"
    if isinstance(record, Item):
        return {"page": "page", "attachment": "attachment"}.get(record.post_type, "post")
    return "post"


def when(gmt, local):
    """An aware datetime: the GMT one, else the local one read as UTC (the export does not say the zone)."""
    if gmt is not None:
        return gmt
    if local is not None:
        return local.replace(tzinfo=datetime.UTC)
    return None


def unique_slug(model, slug, *, exclude_pk=None, **scope):
    """``slug``, or ``slug-2``, ``slug-3``… when another row in the same scope has it."""
    slug = slug[:190] or "untitled"
    candidate, number = slug, 2
    while model.objects.filter(slug=candidate, **scope).exclude(pk=exclude_pk).exists():
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def slug_from(value, fallback):
    return slugify(value or "", allow_unicode=True) or slugify(fallback, allow_unicode=True) or "untitled"
