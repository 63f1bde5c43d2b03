from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from blog.admin.sturdy import SturdyAdminMixin
from blog.models import AuthorProfile


@admin.register(AuthorProfile)
class AuthorProfileAdmin(SturdyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "website"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "bio"]
    autocomplete_fields = ["user"]


# Django's own user and group screens get the same sturdiness.
admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class UserAdmin(SturdyAdminMixin, auth_admin.UserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(SturdyAdminMixin, auth_admin.GroupAdmin):
    pass
