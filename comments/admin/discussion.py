from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from blog.admin.sturdy import SturdyAdminMixin
from comments.models import DiscussionSettings


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(SturdyAdminMixin, admin.ModelAdmin):
    fieldsets = [
        (
            _("Other comment settings"),
            {
                "fields": [
                    "require_name_email",
                    ("close_comments_for_old_posts", "close_comments_days_old"),
                    "show_comments_cookies_opt_in",
                    ("thread_comments", "thread_comments_depth"),
                    ("page_comments", "comments_per_page", "default_comments_page"),
                    "comment_order",
                ]
            },
        ),
        (_("Email me whenever"), {"fields": ["comments_notify", "moderation_notify"]}),
        (_("Before a comment appears"), {"fields": ["comment_moderation", "comment_previously_approved"]}),
        (_("Comment moderation"), {"fields": ["comment_max_links", "moderation_keys"]}),
        (_("Disallowed comment keys"), {"fields": ["disallowed_keys"]}),
        (_("Avatars"), {"fields": ["show_avatars"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: go straight to it.
        settings_row = DiscussionSettings.load()
        return redirect("admin:comments_discussionsettings_change", settings_row.pk)
