from django.contrib import admin

from blog.admin.sturdy import SturdyAdminMixin
from comments.models import Subscription
from comments.permissions import can_moderate_all


@admin.register(Subscription)
class SubscriptionAdmin(SturdyAdminMixin, admin.ModelAdmin):
    """Who asked for follow-up emails on which post (confirmed by the address owner, or not yet)."""

    list_display = ["email", "name", "post", "created_at", "confirmed_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["post"]
    search_fields = ["email", "name", "post__title"]
    readonly_fields = ["post", "email", "name", "created_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False  # only readers subscribe themselves (double opt-in)

    def has_change_permission(self, request, obj=None):
        return False  # a reader's own wish: nothing to edit

    # The list is readers' addresses: for those who see commenters' addresses (migration 0006).
    def has_view_permission(self, request, obj=None):
        return can_moderate_all(request.user) and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return can_moderate_all(request.user) and super().has_delete_permission(request, obj)
