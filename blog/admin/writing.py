from django.contrib import admin
from django.shortcuts import redirect

from blog.admin.sturdy import SturdyAdminMixin
from blog.models import WritingSettings


@admin.register(WritingSettings)
class WritingSettingsAdmin(SturdyAdminMixin, admin.ModelAdmin):
    """Settings › Writing, one row: the default post category."""

    fields = ["default_category"]
    autocomplete_fields = ["default_category"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: go straight to it.
        return redirect("admin:blog_writingsettings_change", WritingSettings.load().pk)
