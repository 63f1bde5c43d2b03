from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from blog import services
from blog.admin import post_list
from blog.admin.editor import BodyEditorAdminMixin
from blog.admin.media import FeaturedImageAdminMixin
from blog.admin.post_form import PostAdminForm
from blog.admin.preview import PostPreviewAdminMixin
from blog.admin.revisions import RevisionsAdminMixin
from blog.admin.sturdy import SturdyAdminMixin
from blog.models import Post, Share, default_category
from blog.permissions import (
    UNPUBLISHED_STATUSES,
    can_change_post,
    can_delete_post,
    can_edit_others_posts,
    can_publish_posts,
    can_view_post,
    posts_for,
)

# The POST keys of the publication time (the admin's split date/time widget).
PUBLISHED_AT_KEYS = ("published_at", "published_at_0", "published_at_1")


@admin.register(Post)
class PostAdmin(
    RevisionsAdminMixin,
    PostPreviewAdminMixin,
    BodyEditorAdminMixin,
    FeaturedImageAdminMixin,
    SturdyAdminMixin,
    admin.ModelAdmin,
):
    form = PostAdminForm
    list_display = ["title", "author", "status_shown", "category_list", "share_count", "published_at"]
    list_filter = [post_list.StatusFilter, "author", "categories", post_list.MonthFilter, "sticky", "comments_open"]
    list_select_related = ["author"]
    search_fields = ["title", "slug", "excerpt", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["publication_state", "created_at", "updated_at", "share_breakdown"]
    actions = post_list.ACTIONS
    action_form = post_list.PostActionForm
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "excerpt"]}),
        (_("Publishing"), {"fields": ["publication_state", "status", "published_at", "sticky", "comments_open"]}),
        (_("Taxonomy"), {"fields": ["categories", "tag_names"]}),
        (_("Featured image"), {"fields": ["featured_image"]}),
        (_("History"), {"fields": ["author", "created_at", "updated_at"], "classes": ["collapse"]}),
        (_("Shares"), {"fields": ["share_breakdown"]}),
    ]

    def get_queryset(self, request):
        posts = super().get_queryset(request).annotate(share_total=Count("shares", distinct=True))
        return posts_for(request.user, posts).prefetch_related("categories")

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        # Authors see only their own posts: a filter by author would list one name.
        return filters if can_edit_others_posts(request.user) else [f for f in filters if f != "author"]

    def has_publish_permission(self, request):
        return post_list.has_publish_permission(request)

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, post):
        # As WordPress: a published post whose time is still to come is "Scheduled".
        return _("Scheduled") if post.is_scheduled else post.get_status_display()

    @admin.display(description=_("categories"))
    def category_list(self, post):
        return ", ".join(category.name for category in post.categories.all()) or "—"

    @admin.display(description=_("tags"))
    def tag_names(self, post):
        # Shown when the form is read-only (a contributor's published post); else a form field.
        return ", ".join(tag.name for tag in post.tags.all()) or "—"

    @admin.display(description=_("state"))
    def publication_state(self, post):
        """Where the post stands, in words: "Scheduled for 3 December 2026, 09:00" as WordPress says it."""
        if post.pk is None:
            return _("Not saved yet. A post published without a time goes live when it is saved.")
        when = date_format(localtime(post.published_at), "DATETIME_FORMAT") if post.published_at else ""
        if post.is_scheduled:
            return _("Scheduled for %(when)s: it appears on the site by itself then.") % {"when": when}
        if post.is_published:
            return _("Published on %(when)s.") % {"when": when}
        return post.get_status_display()

    @admin.display(description=_("shares"), ordering="share_total")
    def share_count(self, post):
        return post.share_total

    @admin.display(description=_("shares by network"))
    def share_breakdown(self, post):
        if post.pk is None:
            return "—"
        counts = dict(post.shares.order_by().values_list("network").annotate(total=Count("pk")))
        if not counts:
            return _("Not shared yet.")
        rows = [(label, counts[value]) for value, label in Share.Network.choices if value in counts]
        return format_html(
            '<table class="share-breakdown"><thead><tr><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            _("Network"),
            _("Shares"),
            format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows),
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not can_edit_others_posts(request.user):
            # Another author's post: refuse plainly instead of the admin's "doesn't exist" redirect.
            field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
            try:
                exists = self.model._default_manager.filter(**{field.name: field.to_python(object_id)}).exists()
            except (ValidationError, ValueError):
                exists = False
            if exists:
                raise PermissionDenied
        return obj

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_view_post(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_change_post(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_delete_post(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_edit_others_posts(request.user):
            # Choosing a post's author and pinning it to the front page are editors' decisions.
            fields += ["author", "sticky"]
        if not can_publish_posts(request.user):
            fields.append("published_at")
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not can_publish_posts(request.user):
            kwargs["choices"] = [
                (Post.Status.DRAFT, Post.Status.DRAFT.label),
                (Post.Status.PENDING, _("Submit for review")),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.may_create_tags = request.user.has_perm("blog.add_tag")
        if "author" in form.base_fields and obj is None:
            form.base_fields["author"].initial = request.user
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and not can_publish_posts(request.user):
            # The form only offers draft and pending: anything else is a forged request.
            status = request.POST.get("status")
            if (status and status not in UNPUBLISHED_STATUSES) or any(
                request.POST.get(key) for key in PUBLISHED_AT_KEYS
            ):
                raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not can_publish_posts(request.user) and obj.status not in UNPUBLISHED_STATUSES:
            raise PermissionDenied
        if not change and not obj.author_id:
            obj.author = request.user
        services.post_save(post=obj, user=request.user)
        if obj.is_scheduled:
            when = date_format(localtime(obj.published_at), "DATETIME_FORMAT")
            message = gettext("Scheduled for %(when)s: “%(title)s” appears on the site by itself then.")
            self.message_user(request, message % {"when": when, "title": obj.title}, messages.INFO)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        post = form.instance
        form.save_tags(post)
        if not post.categories.exists():
            # As WordPress: a post saved without a category is filed under the default one.
            post.categories.add(default_category())
