from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from blog import services
from blog.admin.revisions import RevisionsAdminMixin
from blog.admin.sturdy import SturdyAdminMixin
from blog.models import Post, Share
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
class PostAdmin(RevisionsAdminMixin, SturdyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "author", "status_shown", "published_at", "sticky", "comments_open", "share_count"]
    list_filter = ["status", "sticky", "comments_open", "categories", "published_at"]
    list_select_related = ["author"]
    search_fields = ["title", "slug", "excerpt", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["categories", "tags"]
    readonly_fields = ["created_at", "updated_at", "share_breakdown"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "excerpt"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "sticky", "comments_open"]}),
        (_("Taxonomy"), {"fields": ["categories", "tags"]}),
        (_("Featured image"), {"fields": ["featured_image", "featured_image_alt"]}),
        (_("History"), {"fields": ["author", "created_at", "updated_at"], "classes": ["collapse"]}),
        (_("Shares"), {"fields": ["share_breakdown"]}),
    ]

    def get_queryset(self, request):
        posts = super().get_queryset(request).annotate(share_total=Count("shares"))
        return posts_for(request.user, posts)

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, post):
        # As WordPress: a published post whose time is still to come is "Scheduled".
        return _("Scheduled") if post.is_scheduled else post.get_status_display()

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
