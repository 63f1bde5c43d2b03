"""Bulk actions of the comment list, one per row of comments.moderation.ACTIONS."""

from django.contrib import admin, messages
from django.utils.translation import ngettext

from comments import services
from comments.permissions import can_moderate


def bulk_action(action):
    """The bulk action for one row of moderation.ACTIONS: comments it does not apply to are skipped."""

    @admin.action(description=action.description, permissions=[action.permission])
    def run(modeladmin, request, queryset):
        done = skipped = 0
        for comment in queryset.select_related("post"):
            if action.applies(comment) and can_moderate(request.user, comment):
                services.comment_moderate(comment=comment, action=action)
                done += 1
            else:
                skipped += 1
        modeladmin.message_user(request, action.done % {"count": done}, messages.SUCCESS)
        if skipped:
            message = ngettext(
                "%(count)d comment skipped: already in that state, or not yours to moderate.",
                "%(count)d comments skipped: already in that state, or not yours to moderate.",
                skipped,
            )
            modeladmin.message_user(request, message % {"count": skipped}, messages.WARNING)

    run.__name__ = action.name
    return run
