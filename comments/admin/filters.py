from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from comments.models import Comment


class StatusFilter(admin.SimpleListFilter):
    """All (15) · Pending (3) · Approved (12) · Spam (1) · Trash (0), counted in one query.

    As in WordPress, "All" means the live comments (pending and approved): spam and
    trash only show in their own views.
    """

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = dict(model_admin.get_queryset(request).order_by().values_list("status").annotate(total=Count("pk")))
        self.all_count = sum(counts.get(status, 0) for status in Comment.LIVE_STATUSES)
        return [(status.value, f"{status.label} ({counts.get(status.value, 0)})") for status in Comment.Status]

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("All (%(count)d)") % {"count": self.all_count}
        return choices

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        return queryset.live()
