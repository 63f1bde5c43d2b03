from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.renditions import social_card
from blog.sanitize import excerpt_from_html, sanitize_post_html
from blog.validators import validate_image_file


class CategoryTree:
    """All categories in one query, to walk parents and children without more."""

    def __init__(self, categories):
        self.by_id = {category.pk: category for category in categories}
        self.children = {}
        for category in categories:
            self.children.setdefault(category.parent_id, []).append(category.pk)

    def descendant_ids(self, pk):
        """The category and everything below it."""
        found, todo = [], [pk]
        while todo:
            current = todo.pop()
            if current in found:
                continue  # a cycle written around the admin's validation
            found.append(current)
            todo.extend(self.children.get(current, []))
        return found

    def ancestors(self, pk):
        """Parents from the top down, without the category itself."""
        chain, current = [], self.by_id[pk].parent_id
        while current is not None and current in self.by_id and self.by_id[current] not in chain:
            chain.insert(0, self.by_id[current])
            current = self.by_id[current].parent_id
        return chain


class Category(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"slug": self.slug})

    @classmethod
    def tree(cls):
        return CategoryTree(list(cls.objects.all()))

    def clean(self):
        # A category may not become its own ancestor.
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot be inside itself.")})
            ancestor = ancestor.parent


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts the public may read: status published and a publication time already reached."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        """Published posts in front-page order (sticky first, newest first) with their relations."""
        return (
            self.published()
            .select_related("author")
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
    body = models.TextField(_("body"), help_text=_("HTML. Scripts and unsafe attributes are removed on save."))
    excerpt = models.TextField(
        _("excerpt"), blank=True, help_text=_("Leave empty to use the first 55 words of the body.")
    )
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
    featured_image = models.ImageField(
        _("featured image"),
        upload_to="featured/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "gif", "webp"]), validate_image_file],
    )
    # Stored on upload, so pages never open the image file to learn its size.
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # A 1200×630 crop for link previews, made when the image is uploaded.
    featured_image_social = models.CharField(max_length=255, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_alt = models.CharField(
        _("featured image description"),
        max_length=300,
        blank=True,
        help_text=_("Describe the image for people who cannot see it."),
    )
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), related_name="posts")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="posts", blank=True)

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
        self.body = sanitize_post_html(self.body)
        self.measure_featured_image()
        if not self.excerpt.strip():
            self.excerpt = excerpt_from_html(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:post_detail", kwargs=self.permalink_kwargs())

    def measure_featured_image(self):
        """Store the image's size when it is uploaded, so pages never open the file to learn it.

        (Not the ImageField's width_field: that reads the file whenever a post is
        loaded without a size, and fails when the file has gone missing.)
        """
        image = self.featured_image
        if not image:
            self.featured_image_width = self.featured_image_height = None
            self.featured_image_social = ""
        elif not image._committed or not self.featured_image_width:
            try:
                self.featured_image_width, self.featured_image_height = image.width, image.height
            except (OSError, ValueError):
                self.featured_image_width = self.featured_image_height = None
            self.featured_image_social = social_card(image)

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def permalink_kwargs(self):
        day = timezone.localtime(self.published_at or timezone.now())
        return {"year": day.year, "month": f"{day.month:02d}", "day": f"{day.day:02d}", "slug": self.slug}

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
        """When readers last saw a change: not before the post went live (a scheduled post)."""
        return max(self.updated_at, self.published_at) if self.published_at else self.updated_at

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at is not None and not self.is_published


class Share(models.Model):
    """One share of a post: a click on a network's button or an email sent by the site.

    Who shared is not kept: only keyed hashes of the sender's IP address and of the
    recipient (for email), enough to enforce the rate limits.
    """

    class Network(models.TextChoices):
        X = "x", "X"
        FACEBOOK = "facebook", "Facebook"
        LINKEDIN = "linkedin", "LinkedIn"
        REDDIT = "reddit", "Reddit"
        BLUESKY = "bluesky", "Bluesky"
        WHATSAPP = "whatsapp", "WhatsApp"
        TELEGRAM = "telegram", "Telegram"
        EMAIL = "email", _("Email")

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="shares")
    network = models.CharField(_("network"), max_length=10, choices=Network.choices)
    created_at = models.DateTimeField(_("shared at"), default=timezone.now)
    sender_hash = models.CharField(max_length=64, blank=True, editable=False)
    recipient_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        indexes = [
            models.Index(fields=["post", "network"], name="share_post_network_idx"),
            models.Index(fields=["network", "sender_hash", "created_at"], name="share_sender_idx"),
            models.Index(fields=["network", "recipient_hash", "created_at"], name="share_recipient_idx"),
        ]

    def __str__(self):
        return f"{self.get_network_display()}: {self.post_id}"


# First path segments that belong to the site's own URLs, not to pages.
RESERVED_PAGE_SLUGS = {
    "admin",
    "author",
    "category",
    "comments",
    "feed",
    "healthz",
    "media",
    "robots.txt",
    "search",
    "sitemap.xml",
    "static",
    "tag",
    "favicon.ico",
}


def ancestor_paths(path):
    """The paths of a page's parents, top first: "a/b/c" → ["a", "a/b"]."""
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(1, len(parts))]


class PageQuerySet(models.QuerySet):
    def published(self):
        """Pages whose own status is published (see ``public`` for their parents too)."""
        return self.filter(status=Page.Status.PUBLISHED)

    def public(self):
        """Published pages whose parents are all published too: what readers may see (one query)."""
        pages = list(self.published())
        paths = {page.path for page in pages}
        return [page for page in pages if all(parent in paths for parent in ancestor_paths(page.path))]

    def public_at(self, path):
        """The page readers see at ``path``, or None (a draft parent hides its children)."""
        wanted = [*ancestor_paths(path), path]
        pages = {page.path: page for page in self.published().filter(path__in=wanted)}
        return pages[path] if len(pages) == len(wanted) else None


class Page(models.Model):
    """A static page (About, Contact…): outside the date flow, nested by parent, listed in the menu.

    A separate model rather than a kind of Post: pages have no date, category,
    tags or share bar, and their URL is their path of slugs.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent page"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    body = models.TextField(_("body"), help_text=_("HTML. Scripts and unsafe attributes are removed on save."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    menu_order = models.IntegerField(_("menu order"), default=0, help_text=_("Lower numbers come first in the menu."))
    show_in_menu = models.BooleanField(_("show in the site menu"), default=True)
    comments_open = models.BooleanField(_("comments open"), default=False)
    path = models.CharField(max_length=1000, unique=True, editable=False, default="")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["menu_order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="page_unique_slug_per_parent"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_post_html(self.body)
        self.path = self.build_path()
        super().save(*args, **kwargs)
        # Children's paths follow their parent's.
        for child in self.children.all():
            child.save()

    def get_absolute_url(self):
        return reverse("blog:page", kwargs={"path": self.path})

    def clean(self):
        self.validate_slug_is_free()
        if self.slug and Page.objects.filter(path=self.build_path()).exclude(pk=self.pk).exists():
            raise ValidationError({"slug": _("Another page already has this address.")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A page cannot be inside itself.")})
            ancestor = ancestor.parent

    def build_path(self):
        return f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug

    def validate_slug_is_free(self):
        """A top-level page may not take a slug the site's own URLs use (feed, search, a year…)."""
        if self.parent_id is None and (self.slug in RESERVED_PAGE_SLUGS or self.slug.isdigit()):
            raise ValidationError(
                {"slug": _("“%(slug)s” is used by the site itself; choose another slug.") % {"slug": self.slug}}
            )


class AuthorProfile(models.Model):
    """What readers see about an author on their archive page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="author_profile"
    )
    bio = models.TextField(_("biographical info"), blank=True, help_text=_("Plain text, shown on your author page."))
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("author profile")
        verbose_name_plural = _("author profiles")

    def __str__(self):
        return str(self.user)


# The search package's models, registered with the blog's. Imported last: blog.search
# imports Post, Category and Tag from this module, so they must exist by now.
from blog.search.models import PostSearchDocument, PostSearchIndex, PostSearchVector  # noqa: E402, F401
