from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from blog.models import Category, Post, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "status", "published_at", "sticky", "comments_open"]
    list_filter = ["status", "sticky", "comments_open", "categories", "published_at"]
    list_select_related = ["author"]
    search_fields = ["title", "slug", "excerpt", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["categories", "tags"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "excerpt"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "sticky", "comments_open"]}),
        (_("Taxonomy"), {"fields": ["categories", "tags"]}),
        (_("Featured image"), {"fields": ["featured_image", "featured_image_alt"]}),
        (_("History"), {"fields": ["author", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Only an administrator may hand a post to another author.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("author")
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "author" in form.base_fields and obj is None:
            form.base_fields["author"].initial = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not change and not obj.author_id:
            obj.author = request.user
        super().save_model(request, obj, form, change)
