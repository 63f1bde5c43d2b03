"""Actions that write posts and their taxonomy; views, admin and commands call these."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _

from blog import revisions, tasks
from blog.clients import network_key
from blog.models import Category, OldSlug, Page, Post, Share, Tag, default_category
from blog.recipients import recipient_key

# Share by email must not become a spam relay.
SHARE_EMAILS_PER_IP_PER_HOUR = 5
SHARE_EMAILS_PER_RECIPIENT_PER_DAY = 3
# All senders together: a ceiling no botnet can lift.
SHARE_EMAILS_PER_HOUR = 60


class ShareRefused(Exception):
    """A share that is over a rate limit; the message says what to do."""

    status_code = 429

    def __init__(self, message):
        super().__init__(message)
        self.message = message


LIMITS_SALT = "blog.services.share-limits"


def _keyed_hash(value):
    """A keyed hash, so limits can be counted without keeping addresses."""
    if not value:
        return ""
    return salted_hmac(LIMITS_SALT, value.strip().lower(), algorithm="sha256").hexdigest()


@transaction.atomic
def category_get_or_create(*, name, slug=None, parent=None, description=""):
    """Return the category with this slug, creating it (validated) when missing."""
    slug = slug or slugify(name, allow_unicode=True)
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        category = Category(name=name, slug=slug, parent=parent, description=description)
        category.full_clean()
        category.save()
    return category


@transaction.atomic
def tag_get_or_create(*, name, slug=None):
    """Return the tag with this slug, creating it when missing."""
    slug = slug or slugify(name, allow_unicode=True)
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        tag = Tag(name=name, slug=slug)
        tag.full_clean()
        tag.save()
    return tag


@transaction.atomic
def post_create(
    *,
    author,
    title,
    body,
    categories,
    tags=(),
    slug=None,
    excerpt="",
    status=Post.Status.DRAFT,
    published_at=None,
    sticky=False,
    comments_open=True,
):
    """Create a post after full validation; its body is sanitised on save.

    Raises ValidationError for invalid data (duplicate slug, missing date on a
    published post). Without categories the post goes to the default one (Settings › Writing).
    """
    post = Post(
        author=author,
        title=title,
        slug=slug or slugify(title, allow_unicode=True),
        body=body,
        excerpt=excerpt,
        status=status,
        published_at=published_at,
        sticky=sticky,
        comments_open=comments_open,
    )
    if not categories:
        categories = [default_category()]
    post.full_clean()
    post.save()
    # A slug given up by another post now belongs to this one: no redirect away from it.
    OldSlug.objects.filter(slug=post.slug).delete()
    post.categories.set(categories)
    post.tags.set(tags)
    revisions.revision_record(obj=post, user=author)
    return post


@transaction.atomic
def post_save(*, post, user=None):
    """Save an edited post; when its slug changed, its old address keeps working (one 301, however many changes).

    Side effects: records the old slug for this post (taking it over from another
    post that had it before) and forgets the new slug as an old one anywhere; keeps
    a revision when the words changed, saved by ``user``, whose autosave it replaces.
    """
    old_slug = Post.objects.filter(pk=post.pk).values_list("slug", flat=True).first()
    post.save()
    if old_slug and old_slug != post.slug:
        OldSlug.objects.update_or_create(slug=old_slug, defaults={"post": post})
    OldSlug.objects.filter(slug=post.slug).delete()
    _keep_revision(post, user)
    return post


def _keep_revision(obj, user):
    revisions.revision_record(obj=obj, user=user)
    if user is not None and user.is_authenticated:
        revisions.autosave_discard(obj=obj, user=user)


def post_share(*, post, network, ip_address=None):
    """Count a share of a published post on a network: once an hour per reader, so reloads do not inflate it.

    Returns the new Share, or None when this reader's share was already counted.
    """
    sender = _keyed_hash(network_key(ip_address))
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    if Share.objects.filter(post=post, network=network, sender_hash=sender, created_at__gte=hour_ago).exists():
        return None
    return Share.objects.create(post=post, network=network, sender_hash=sender)


def post_share_by_email(*, post, sender_name, sender_email, recipient, message="", ip_address=None):
    """Record an email share and send it (through the task queue, after commit).

    Raises ShareRefused when the sender's address (5 an hour), the recipient
    (3 a day) or the whole site (60 an hour) is over its limit; nothing is
    recorded or sent then.
    """
    now = timezone.now()
    sender, to = _keyed_hash(network_key(ip_address)), _keyed_hash(recipient_key(recipient))
    emails = Share.objects.filter(network=Share.Network.EMAIL)
    with transaction.atomic():
        # Serialise the checks per post so parallel requests cannot slip past a limit.
        Post.objects.select_for_update().filter(pk=post.pk).first()
        hour_ago = now - datetime.timedelta(hours=1)
        if emails.filter(created_at__gte=hour_ago).count() >= SHARE_EMAILS_PER_HOUR:
            raise ShareRefused(_("Sharing by email is resting for a while. Please try again in an hour."))
        if emails.filter(sender_hash=sender, created_at__gte=hour_ago).count() >= SHARE_EMAILS_PER_IP_PER_HOUR:
            raise ShareRefused(_("You have shared by email too often in the last hour. Please try again later."))
        day_ago = now - datetime.timedelta(days=1)
        if emails.filter(recipient_hash=to, created_at__gte=day_ago).count() >= SHARE_EMAILS_PER_RECIPIENT_PER_DAY:
            raise ShareRefused(_("This address has received enough shares today. Please try again tomorrow."))
        share = Share.objects.create(
            post=post, network=Share.Network.EMAIL, sender_hash=sender, recipient_hash=to, created_at=now
        )
        transaction.on_commit(
            lambda: tasks.queue_share_email(
                post_id=post.pk,
                sender_name=sender_name,
                sender_email=sender_email,
                recipient=recipient,
                message=message,
            )
        )
    return share


@transaction.atomic
def page_create(*, title, body, slug=None, parent=None, status=Page.Status.DRAFT, menu_order=0, user=None):
    """Create a static page after full validation (reserved slugs, unique path); its first revision is by ``user``."""
    page = Page(
        title=title,
        slug=slug or slugify(title, allow_unicode=True),
        parent=parent,
        body=body,
        status=status,
        menu_order=menu_order,
    )
    page.full_clean()
    page.save()
    revisions.revision_record(obj=page, user=user)
    return page


@transaction.atomic
def page_save(*, page, user=None):
    """Save an edited page; keeps a revision when its words changed, saved by ``user``, whose autosave it replaces."""
    page.save()
    _keep_revision(page, user)
    return page
