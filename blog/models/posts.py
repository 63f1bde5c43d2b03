"""Posts: the dated articles of the blog, and the queryset every public surface starts from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.models.taxonomy import Category, Tag
from blog.sanitize import excerpt_from_html, sanitize_post_html


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts the public may read: status published and a publication time already reached."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        """Published posts in front-page order (sticky first, newest first) with their relations."""
        return (
            self.published()
            .select_related("author__author_profile", "featured_image")
            .prefetch_related("categories")
            .order_by("-sticky", "-published_at", "-pk")
        )


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending review")
        PRIVATE = "private", _("Private")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="posts"
    )
    body = models.TextField(
        _("body"), help_text=_("Scripts and unsafe HTML are removed on save (without JavaScript, type HTML here).")
    )
    excerpt = models.TextField(
        _("excerpt"), blank=True, help_text=_("Leave empty to use the first 55 words of the body.")
    )
    # What lists, feeds, emails and link previews show: the excerpt as written, else the start
    # of the current body. Refreshed on every save, so an edit of the body always reaches it.
    summary = models.TextField(_("summary"), blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("A published post with a time in the future is scheduled: invisible until then."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sticky = models.BooleanField(_("sticky"), default=False, help_text=_("Keep at the top of the front page."))
    comments_open = models.BooleanField(_("comments open"), default=True)
    featured_image = models.ForeignKey(
        "blog.Image",
        verbose_name=_("featured image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="featured_in",
        help_text=_("Shown above the post, beside it in lists, and in link previews."),
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories"),
        related_name="posts",
        blank=True,
        help_text=_("Leave empty to file the post under the default category (Settings › Writing)."),
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="posts", blank=True)
    # The post's id on the WordPress site it was imported from: old /?p=<id> links and its shortlink keep it.
    wordpress_id = models.PositiveIntegerField(_("WordPress ID"), null=True, blank=True, unique=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"], name="post_status_published_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="post_published_has_date",
                violation_error_message=_("A published post needs a publication time."),
            ),
        ]
        permissions = [
            ("publish_post", _("Can publish and schedule posts")),
            ("edit_others_posts", _("Can edit posts by other authors")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.derive_fields()
        self.fill_published_at()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:post_detail", kwargs=self.permalink_kwargs())

    def derive_fields(self):
        """What saving derives from the typed fields: the cleaned body and the summary (a preview shows them too)."""
        self.body = sanitize_post_html(self.body)
        self.summary = self.excerpt if self.excerpt.strip() else excerpt_from_html(self.body)

    def clean(self):
        # Before validation checks the constraint that a published post has a time.
        self.fill_published_at()

    def fill_published_at(self):
        """A post published without a time is published now.

        Both ``clean()`` (forms, services: before the constraint is checked) and
        ``save()`` (code that saves without validating) call it; the first one wins.
        """
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def permalink_kwargs(self):
        day = timezone.localtime(self.published_at or timezone.now())
        return {"year": day.year, "month": f"{day.month:02d}", "day": f"{day.day:02d}", "slug": self.slug}

    @property
    def shortlink(self):
        """WordPress's short address, /?p=<id>: the old WordPress id when imported, else its own.

        None for an unsaved post, and when another post's WordPress id is this post's own id
        (``/?p=`` would lead there); the article's queryset annotates ``pk_is_taken`` for that.
        """
        if self.wordpress_id:
            return f"{reverse('blog:post_list')}?p={self.wordpress_id}"
        if self.pk is None or getattr(self, "pk_is_taken", False):
            return None
        return f"{reverse('blog:post_list')}?p={self.pk}"

    def share_url(self, network=None):
        """Where a share button points: the counting redirect for a network, or the email form."""
        if network is None:
            return reverse("blog:share_by_email", kwargs=self.permalink_kwargs())
        return reverse("blog:share_network", kwargs={**self.permalink_kwargs(), "network": network})

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def modified_at(self):
        """When readers last saw a change: not before the post went live (a scheduled post).

        Feeds, sitemaps, JSON-LD and the page's meta all say this; ``modified_at_expression``
        is the same in SQL.
        """
        return max(self.updated_at, self.published_at) if self.published_at else self.updated_at

    @staticmethod
    def modified_at_expression():
        """``modified_at`` in SQL, to annotate or aggregate many posts in one query."""
        return Greatest("updated_at", Coalesce("published_at", "updated_at"))

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at is not None and not self.is_published
