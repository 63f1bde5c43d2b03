"""Revisions in the admin: the list of a post's or page's revisions, the difference of two, restoring one.

``RevisionsAdminMixin`` (with the autosave of blog/admin/autosave.py) goes first in
the bases of PostAdmin and PageAdmin. Who may see and restore is what the
ModelAdmin's own ``has_view_permission`` / ``has_change_permission`` say, which for
posts is ``blog.permissions``.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from blog import diffs
from blog.admin.autosave import AutosaveAdminMixin
from blog.models import Revision
from blog.models.revisions import owner_filter
from blog.revisions import revision_restore, tracked_words

FIELD_LABELS = {"title": gettext_lazy("Title"), "excerpt": gettext_lazy("Excerpt"), "body": gettext_lazy("Body")}


def when(moment):
    """A revision's time as the admin shows it (the site's time zone and date format)."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def revision_id(value):
    """A revision's id from a query string; ValueError unless it is a whole number a database can hold."""
    number = int(value)
    if not 0 < number < 2**63:
        raise ValueError(value)
    return number


class RevisionsAdminMixin(AutosaveAdminMixin):
    """Adds /<id>/revisions/, /<id>/revisions/compare/?from=&to=, /<id>/revisions/<rev>/restore/ and the autosave."""

    revisions_per_page = 50

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/revisions/", view(self.revision_list_view), name=f"{name}_revisions"),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.revision_compare_view),
                name=f"{name}_revision_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                view(require_POST(self.revision_restore_view)),
                name=f"{name}_revision_restore",
            ),
            *super().get_urls(),
        ]

    def revisions_context(self, request, obj, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "has_view_permission": self.has_view_permission(request, obj),
            "can_restore": self.has_change_permission(request, obj),
            "change_url": self.object_url("change", obj),
            "revisions_url": self.object_url("revisions", obj),
            "compare_url": self.object_url("revision_compare", obj),
            **extra,
        }

    def revision_list_view(self, request, object_id, *, error=None, status=200):
        """Every revision of the post or page, newest first: who, when, what changed; pick two to compare."""
        obj = self.object_within_reach(request, object_id)
        revisions = (
            Revision.objects.filter(**owner_filter(obj))
            .select_related("author__author_profile")
            .defer("title", "excerpt", "body")
        )
        page = Paginator(revisions, self.revisions_per_page).get_page(request.GET.get("p"))
        context = self.revisions_context(
            request,
            obj,
            title=_("Revisions of “%(title)s”") % {"title": obj},
            page_obj=page,
            revisions=page.object_list,
            picked_from=request.GET.get("from", ""),
            picked_to=request.GET.get("to", ""),
            error=error,
        )
        return TemplateResponse(request, "admin/blog/revision_list.html", context, status=status)

    def revision_compare_view(self, request, object_id):
        """The difference between two revisions (``?from=&to=``; without ``from``, the one before ``to``)."""
        obj = self.object_within_reach(request, object_id)
        revisions = Revision.objects.filter(**owner_filter(obj)).select_related("author__author_profile")
        try:
            to_id = revision_id(request.GET["to"])
            from_id = revision_id(request.GET["from"]) if request.GET.get("from") else None
        except (KeyError, ValueError):
            return self.refuse_comparison(request, object_id, _("Choose the revisions to compare."))
        if from_id == to_id:
            return self.refuse_comparison(request, object_id, _("Choose two different revisions to compare."))
        found = {revision.pk: revision for revision in revisions.filter(pk__in=[to_id, from_id or to_id])}
        newer = found.get(to_id)
        if newer is None or (from_id is not None and from_id not in found):
            return self.refuse_comparison(request, object_id, _("These are not revisions of this item."))
        older = found[from_id] if from_id else revisions.filter(pk__lt=to_id).first()
        changes = diffs.compare(older, newer)
        rows = [
            {"name": name, "label": FIELD_LABELS[name], "segments": segments} for name, segments in changes.items()
        ]
        context = self.revisions_context(
            request,
            obj,
            title=_("Compare revisions of “%(title)s”") % {"title": obj},
            older=older,
            newer=newer,
            rows=rows,
            # Same text, other markup (a link, bold…): the text difference alone would show nothing.
            markup_only=older is not None
            and tracked_words(older) != tracked_words(newer)
            and all(diffs.word_counts(parts) == (0, 0) for parts in changes.values()),
            is_current=tracked_words(newer) == tracked_words(obj),
            restore_url=self.object_url("revision_restore", obj, newer.pk),
        )
        return TemplateResponse(request, "admin/blog/revision_compare.html", context)

    def refuse_comparison(self, request, object_id, message):
        # The list again, with the reader's choice kept and the reason said.
        return self.revision_list_view(request, object_id, error=message, status=400)

    def revision_restore_view(self, request, object_id, revision_id):
        """Put a revision's words back (a new save, status untouched), then back to the change form."""
        obj = self.object_within_reach(request, object_id, change=True)
        revision = Revision.objects.filter(**owner_filter(obj), pk=revision_id).first()
        if revision is None:
            raise Http404(_("This is not a revision of this item."))
        revision_restore(revision=revision, user=request.user)
        self.message_user(
            request, _("Restored the revision of %(time)s.") % {"time": when(revision.created_at)}, messages.SUCCESS
        )
        return HttpResponseRedirect(self.object_url("change", obj))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["revision_count"] = Revision.objects.filter(**owner_filter(obj)).count()
            context["revisions_url"] = self.object_url("revisions", obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
