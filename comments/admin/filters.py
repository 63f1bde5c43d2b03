from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from comments.models import Comment

MINE = "mine"


class StatusFilter(admin.SimpleListFilter):
    """All (15) · Mine (4) · Pending (3) · Approved (12) · Spam (1) · Trash (0), counted in one query.

    As in WordPress, "All" means the live comments (pending and approved): spam and
    trash only show in their own views. "Mine" is the live comments on the user's own posts.
    """

    title = _("status")
    parameter_name = "status"
    # Shown above the table as WordPress does, not in a sidebar that narrows the queue.
    template = "admin/comments/comment/status_views.html"

    def lookups(self, request, model_admin):
        rows = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list("status")
            .annotate(total=Count("pk"), mine=Count("pk", filter=Q(post__author_id=request.user.pk)))
        )
        counts = {status: total for status, total, _mine in rows}
        self.all_count = sum(counts.get(status, 0) for status in Comment.LIVE_STATUSES)
        mine = sum(mine for status, _total, mine in rows if status in Comment.LIVE_STATUSES)
        choices = [(MINE, _("Mine (%(count)d)") % {"count": mine})]
        return choices + [(s.value, f"{s.label} ({counts.get(s.value, 0)})") for s in Comment.Status]

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("All (%(count)d)") % {"count": self.all_count}
        return choices

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        if self.value() == MINE:
            return queryset.live().filter(post__author_id=request.user.pk)
        return queryset.live()
