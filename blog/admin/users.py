from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.shortcuts import redirect

from blog.admin.sturdy import SturdyAdminMixin
from blog.models import AuthorProfile
from blog.permissions import can_edit_others_posts


@admin.register(AuthorProfile)
class AuthorProfileAdmin(SturdyAdminMixin, admin.ModelAdmin):
    """Editors keep everyone's profile; authors and contributors their own (display name, bio, website)."""

    list_display = ["user", "display_name", "website"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "display_name", "bio"]
    autocomplete_fields = ["user"]
    fields = ["user", "display_name", "bio", "website"]

    def get_queryset(self, request):
        profiles = super().get_queryset(request)
        return profiles if can_edit_others_posts(request.user) else profiles.filter(user=request.user.pk)

    def get_readonly_fields(self, request, obj=None):
        return [] if can_edit_others_posts(request.user) else ["user"]

    def has_add_permission(self, request):
        allowed = super().has_add_permission(request)
        if allowed and not can_edit_others_posts(request.user):
            return not AuthorProfile.objects.filter(user=request.user.pk).exists()
        return allowed

    def changelist_view(self, request, extra_context=None):
        if can_edit_others_posts(request.user) or not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        # One profile of one's own: go straight to it (or to making it).
        profile = AuthorProfile.objects.filter(user=request.user.pk).first()
        if profile is None:
            return redirect("admin:blog_authorprofile_add")
        return redirect("admin:blog_authorprofile_change", profile.pk)

    def save_model(self, request, obj, form, change):
        if not can_edit_others_posts(request.user):
            obj.user = request.user
        super().save_model(request, obj, form, change)


# Django's own user and group screens get the same sturdiness.
admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class UserAdmin(SturdyAdminMixin, auth_admin.UserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(SturdyAdminMixin, auth_admin.GroupAdmin):
    pass
