from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.forms import Script

from blog.admin.sturdy import SturdyAdminMixin
from comments import services
from comments.admin.actions import bulk_action
from comments.admin.columns import columns_for
from comments.admin.filters import StatusFilter
from comments.admin.screens import QueueScreensMixin
from comments.models import Comment
from comments.moderation import ACTIONS, actions_listed_in
from comments.permissions import (
    can_moderate,
    can_moderate_all,
    lookup_reads_private_field,
    moderatable_comments,
    private_fields,
)
from comments.sanitize import clean_stored_comment_html


@admin.register(Comment)
class CommentAdmin(QueueScreensMixin, SturdyAdminMixin, admin.ModelAdmin):
    class Media:
        css = {"all": ["css/admin-comments.css"]}
        js = [Script("js/admin-comments.js", type="module")]

    list_display = ["author_name", "body", "post"]  # replaced per request by columns.columns_for
    list_filter = [StatusFilter]  # dates: the date_hierarchy bar
    list_select_related = ["post", "parent"]
    list_per_page = 20
    search_fields = ["body", "author_name", "author_email", "ip_address"]
    date_hierarchy = "created_at"
    raw_id_fields = ["post", "parent", "user"]
    readonly_fields = ["post", "parent", "user", "ip_address", "user_agent", "moderation_reason", "created_at"]
    fields = [
        "author_name",
        "author_email",
        "author_url",
        "body",
        "status",
        "post",
        "parent",
        "user",
        "created_at",
        "ip_address",
        "user_agent",
        "moderation_reason",
    ]
    actions = [bulk_action(action) for action in ACTIONS.values()]

    # Who sees what

    def get_queryset(self, request):
        # Every screen names comments by author and post (Comment.__str__); the list also shows the parent.
        # (Django's ChangeList skips list_select_related once the queryset has a select_related.)
        return moderatable_comments(request.user, super().get_queryset(request)).select_related(
            *self.list_select_related
        )

    def get_object(self, request, object_id, from_field=None):
        comment = super().get_object(request, object_id, from_field)
        if comment is None and str(object_id).isdigit() and Comment.objects.filter(pk=object_id).exists():
            raise PermissionDenied  # someone else's comment: forbidden, not "missing"
        return comment

    def lookup_allowed(self, lookup, value, request):
        # Hiding the address columns is not enough: ?author_email__startswith=a answers row or no row.
        if not can_moderate_all(request.user) and lookup_reads_private_field(self.model, lookup):
            return False
        # "In response to" links filter the list by post.
        return lookup == "post__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_add_permission(self, request):
        return False  # comments come from readers and the Reply screen

    def has_delete_permission(self, request, obj=None):
        # Deleting for good is for spam and trash only, as the bulk action (WordPress).
        allowed = super().has_delete_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and obj.is_removed and can_moderate(request.user, obj)

    def delete_model(self, request, obj):
        services.comment_delete(comment=obj)

    def delete_queryset(self, request, queryset):
        for comment in queryset.removed():
            services.comment_delete(comment=comment)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not can_moderate_all(request.user):
            # Commenters' addresses are for moderators, not for every author.
            fields = [name for name in fields if name not in private_fields(Comment)]
        return fields

    def get_search_fields(self, request):
        if can_moderate_all(request.user):
            return self.search_fields
        return [name for name in self.search_fields if name not in private_fields(Comment)]

    def get_list_display(self, request):
        return columns_for(self, request)

    def get_list_display_links(self, request, list_display):
        return None  # the row actions and the submitted date link to the comment

    def changelist_view(self, request, extra_context=None):
        status = request.GET.get("status")
        extra_context = {
            **(extra_context or {}),
            "empty_status": status
            if status in Comment.REMOVED_STATUSES and self.has_delete_permission(request)
            else "",
        }
        return super().changelist_view(request, extra_context)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        wanted = {action.name for action in actions_listed_in(request.GET.get("status"))}
        return {name: action for name, action in actions.items() if name in wanted}

    def save_model(self, request, obj, form, change):
        obj.body = clean_stored_comment_html(obj.body)
        new_status = obj.status
        if change and "status" in form.changed_data:
            # Status changes go through the services (notifications, restore memory).
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            services.comment_set_status(comment=obj, status=new_status)
            return
        super().save_model(request, obj, form, change)
