from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from blog.models import Post

# Ids in a comment's path are zero-padded so that ordering by path is
# depth-first, oldest first: the whole thread comes back in one ordered query.
PATH_DIGITS = 10
PATH_SEPARATOR = "/"
MODERATION_HASH_SALT = "comments.moderation-hash"


class DiscussionSettings(models.Model):
    """WordPress's Settings › Discussion, one row, editable in the admin."""

    class DefaultPage(models.TextChoices):
        NEWEST = "newest", _("last")
        OLDEST = "oldest", _("first")

    class Order(models.TextChoices):
        ASC = "asc", _("older")
        DESC = "desc", _("newer")

    # Other comment settings
    require_name_email = models.BooleanField(_("comment author must fill out name and email"), default=True)
    close_comments_for_old_posts = models.BooleanField(_("automatically close comments on old posts"), default=False)
    close_comments_days_old = models.PositiveIntegerField(_("close comments on posts older than (days)"), default=14)
    show_comments_cookies_opt_in = models.BooleanField(
        _("show the “save my name, email and website” checkbox"), default=True
    )
    thread_comments = models.BooleanField(_("enable threaded (nested) comments"), default=True)
    thread_comments_depth = models.PositiveSmallIntegerField(
        _("levels deep"), default=5, choices=[(n, str(n)) for n in range(2, 11)]
    )
    page_comments = models.BooleanField(_("break comments into pages"), default=False)
    comments_per_page = models.PositiveIntegerField(_("top level comments per page"), default=50)
    default_comments_page = models.CharField(
        _("page displayed by default"), max_length=6, choices=DefaultPage.choices, default=DefaultPage.NEWEST
    )
    comment_order = models.CharField(
        _("comments at the top of each page"), max_length=4, choices=Order.choices, default=Order.ASC
    )
    # Email me whenever
    comments_notify = models.BooleanField(_("anyone posts a comment"), default=True)
    moderation_notify = models.BooleanField(_("a comment is held for moderation"), default=True)
    # Before a comment appears
    comment_moderation = models.BooleanField(_("comment must be manually approved"), default=False)
    comment_previously_approved = models.BooleanField(
        _("comment author must have a previously approved comment"), default=True
    )
    # Comment moderation
    comment_max_links = models.PositiveIntegerField(
        _("hold a comment if it contains this many links or more"),
        default=2,
        help_text=_("A common characteristic of comment spam is a large number of links. 0 turns this off."),
    )
    moderation_keys = models.TextField(
        _("moderation keys"),
        blank=True,
        help_text=_(
            "When a comment contains any of these words in its content, author name, URL, email, IP address "
            "or browser’s user agent string, it will be held in the moderation queue. One word or IP address "
            "per line. It will match inside words, so “press” will match “WordPress”."
        ),
    )
    disallowed_keys = models.TextField(
        _("disallowed comment keys"),
        blank=True,
        help_text=_(
            "When a comment contains any of these words in its content, author name, URL, email, IP address "
            "or browser’s user agent string, it will be put in the Trash. One word or IP address per line. "
            "It will match inside words."
        ),
    )
    # Avatars
    show_avatars = models.BooleanField(_("show avatars"), default=True)

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="discussion_settings_singleton")]

    def __str__(self):
        return str(_("Discussion settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The settings row, created with WordPress's defaults the first time it is asked for."""
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def comments_closed_for(self, post, now=None):
        """True when readers may not comment on the post (flag off, or too old when auto-closing)."""
        if not post.comments_open:
            return True
        if self.close_comments_for_old_posts and post.published_at:
            age = (now or timezone.now()) - post.published_at
            return age.days >= self.close_comments_days_old
        return False

    @property
    def max_depth(self):
        """Deepest level a comment may have: 1 when threading is off."""
        return self.thread_comments_depth if self.thread_comments else 1


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments the public may see, count and read in feeds (pingbacks and trackbacks are not shown)."""
        return self.filter(status=Comment.Status.APPROVED, kind=Comment.Kind.COMMENT)

    def pending(self):
        """Comments waiting for a moderator."""
        return self.filter(status=Comment.Status.PENDING)

    def live(self):
        """Pending and approved comments: WordPress's "All" view, still part of the discussion."""
        return self.filter(status__in=Comment.LIVE_STATUSES)

    def removed(self):
        """Spam and trash: shown only in their own admin views, emptied by ``purge_comments``."""
        return self.filter(status__in=Comment.REMOVED_STATUSES)

    def for_post(self, post):
        """Comments of one post in thread order (depth-first, oldest first)."""
        return self.filter(post=post).order_by("path")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        # Only ever imported (this site neither sends nor receives them): kept for the admin, not shown.
        PINGBACK = "pingback", _("Pingback")
        TRACKBACK = "trackback", _("Trackback")

    LIVE_STATUSES = (Status.PENDING, Status.APPROVED)
    REMOVED_STATUSES = (Status.SPAM, Status.TRASH)

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    # Root of the thread (itself for a top-level comment): pagination by top-level comment.
    thread_root = models.PositiveBigIntegerField(null=True, editable=False, db_index=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    author_name = models.CharField(_("name"), max_length=245)
    author_email = models.EmailField(_("email"), max_length=100, blank=True)
    author_url = models.URLField(_("website"), max_length=200, blank=True)
    body = models.TextField(_("comment"), help_text=_("Sanitised HTML."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    kind = models.CharField(_("type"), max_length=9, choices=Kind.choices, default=Kind.COMMENT)
    moderation_reason = models.CharField(_("why held"), max_length=255, blank=True)
    # Where "Restore" and "Not spam" return the comment to.
    previous_status = models.CharField(max_length=8, choices=Status.choices, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    notify = models.BooleanField(_("wants follow-up emails"), default=False)
    # Set the first time the comment becomes public: restoring it later emails nobody again.
    was_published = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("submitted on"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["post", "status", "path"], name="comment_post_status_path_idx"),
            models.Index(fields=["ip_address", "created_at"], name="comment_ip_created_idx"),
        ]
        permissions = [
            ("moderate_comment", _("Can moderate comments (on own posts, unless also allowed on all)")),
            ("moderate_all_comments", _("Can moderate comments on every post")),
        ]

    def __str__(self):
        # What the admin's titles, breadcrumbs and history say of a comment (the post is select_related there).
        return _("Comment by %(name)s on “%(post)s”") % {"name": self.author_name, "post": self.post.title}

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def is_live(self):
        return self.status in self.LIVE_STATUSES

    @property
    def is_removed(self):
        return self.status in self.REMOVED_STATUSES

    @property
    def safe_author_url(self):
        """The author's website only when it is a plain http(s) address (never javascript: and friends)."""
        url = (self.author_url or "").strip()
        return url if url.lower().startswith(("http://", "https://")) else ""

    @property
    def ancestor_ids(self):
        """Ids of the comments above this one, nearest first (from the path)."""
        return [int(part) for part in reversed(self.path.split(PATH_SEPARATOR)[:-1]) if part]

    def place_in_thread(self, *, also_save=()):
        """Set and save path, depth and thread root from the parent (and any ``also_save`` fields).

        The path holds the primary key, so this comes after the first save; the parent's
        own place must already be right.
        """
        own = f"{self.pk:0{PATH_DIGITS}d}"
        if self.parent is None:
            self.path, self.depth, self.thread_root = own, 1, self.pk
        else:
            self.path = f"{self.parent.path}{PATH_SEPARATOR}{own}"
            self.depth = self.parent.depth + 1
            self.thread_root = self.parent.thread_root
        self.save(update_fields=[*also_save, "path", "depth", "thread_root"])

    def moderation_hash(self):
        """Proof that a visitor wrote this held comment (the ?moderation-hash= of the redirect)."""
        value = f"{self.pk}:{self.created_at.isoformat()}"
        return salted_hmac(MODERATION_HASH_SALT, value, algorithm="sha256").hexdigest()[:32]

    def admin_url(self):
        return reverse("admin:comments_comment_change", args=[self.pk])


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        """Subscriptions whose owner proved the address (double opt-in): the only ones that get follow-ups."""
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    """A reader's wish to be emailed about new comments on one post (“Notify me of follow-up comments”)."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="subscriptions")
    # Stored in lower case, so one address has one subscription per post.
    email = models.EmailField(_("email"), max_length=100)
    name = models.CharField(_("name"), max_length=245, blank=True)
    created_at = models.DateTimeField(_("requested on"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up subscription")
        verbose_name_plural = _("follow-up subscriptions")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["post", "email"], name="subscription_post_email_unique")]

    def __str__(self):
        return _("%(email)s on %(post)s") % {"email": self.email, "post": self.post_id}

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None
