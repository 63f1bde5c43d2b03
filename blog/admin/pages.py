from django.contrib import admin

from blog import services
from blog.admin.editor import BodyEditorAdminMixin
from blog.admin.preview import PagePreviewAdminMixin
from blog.admin.revisions import RevisionsAdminMixin
from blog.admin.sturdy import SturdyAdminMixin
from blog.models import Page


@admin.register(Page)
class PageAdmin(RevisionsAdminMixin, PagePreviewAdminMixin, BodyEditorAdminMixin, SturdyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "path", "status", "menu_order", "show_in_menu", "updated_at"]
    list_editable = ["menu_order", "show_in_menu"]
    list_filter = ["status", "show_in_menu"]
    list_select_related = ["parent"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["path", "updated_at"]
    fields = ["title", "slug", "parent", "body", "status", "menu_order", "show_in_menu", "comments_open", "path"]

    def save_model(self, request, obj, form, change):
        services.page_save(page=obj, user=request.user)
