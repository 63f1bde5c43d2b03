"""Autosave in the admin: the endpoint static/js/admin-autosave.js posts to, and the notice on return.

``POST <id>/autosave/`` (title, excerpt, body; X-CSRFToken) keeps one Autosave per
user and post or page and answers ``{"saved_at": …, "message": …}``; 400 with
``{"error": …}`` for unusable input, 403 when the user may not change it, 405 for
anything but POST. A post not saved yet has no autosave: the script only warns
before leaving it. Opening the change form offers a newer, different autosave
("Restore the autosave" is ``?autosave=restore``: the form starts from it).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from blog.revisions import autosave_discard, autosave_of, autosave_offered, autosave_store

# Far above any article, well below DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB, Django's own cap on a request).
AUTOSAVE_BODY_MAX_LENGTH = 1_000_000


class AutosaveForm(forms.Form):
    title = forms.CharField(max_length=300, required=False, strip=False)
    excerpt = forms.CharField(required=False, strip=False, max_length=AUTOSAVE_BODY_MAX_LENGTH)
    body = forms.CharField(
        required=False,
        strip=False,
        max_length=AUTOSAVE_BODY_MAX_LENGTH,
        error_messages={"max_length": gettext_lazy("The body is too long to autosave (%(limit_value)d characters).")},
    )

    def clean(self):
        if not {"title", "body"} <= set(self.data):
            raise forms.ValidationError(_("An autosave needs the title and the body."))
        return super().clean()


def json_error(message, status):
    return JsonResponse({"error": message}, status=status)


class AutosaveAdminMixin:
    """The autosave endpoint, "Discard", and the change form's notice and restored form."""

    # How often the script sends changed words, in seconds (the data-autosave-interval attribute).
    autosave_seconds = 10

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/autosave/", view(self.autosave_view), name=f"{name}_autosave"),
            path(
                "<path:object_id>/autosave/discard/",
                view(require_POST(self.autosave_discard_view)),
                name=f"{name}_autosave_discard",
            ),
            *super().get_urls(),
        ]

    def object_url(self, name, obj, *args):
        """The admin URL ``name`` (revisions, revision_compare, change…) of ``obj``."""
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}",
            args=[obj.pk, *args],
            current_app=self.admin_site.name,
        )

    def object_within_reach(self, request, object_id, *, change=False):
        """The post or page at ``object_id`` if ``request.user`` may view it (or change it); else 404 or 403."""
        obj = self.get_object(request, unquote(object_id))  # PostAdmin refuses another's post itself (403)
        if obj is None:
            raise Http404(_("There is no %(name)s with this ID.") % {"name": self.opts.verbose_name})
        allowed = self.has_change_permission(request, obj) if change else self.has_view_permission(request, obj)
        if not allowed:
            raise PermissionDenied
        return obj

    def autosave_view(self, request, object_id):
        """Keep the user's unsaved title, excerpt and body; nothing else of the post or page changes."""
        if request.method != "POST":
            response = json_error(_("Autosave only accepts POST."), 405)
            response["Allow"] = "POST"
            return response
        refused = json_error(_("You may not change this %(name)s.") % {"name": self.opts.verbose_name}, 403)
        try:
            obj = self.get_object(request, unquote(object_id))
        except PermissionDenied:  # PostAdmin: another author's post
            return refused
        if obj is None:
            return json_error(_("There is no %(name)s with this ID.") % {"name": self.opts.verbose_name}, 404)
        if not self.has_change_permission(request, obj):
            return refused
        form = AutosaveForm(request.POST)
        if not form.is_valid():
            message = " ".join(error for errors in form.errors.values() for error in errors)
            return json_error(message, 400)
        autosave = autosave_store(obj=obj, user=request.user, **form.cleaned_data)
        saved_at = timezone.localtime(autosave.saved_at)
        return JsonResponse(
            {
                "saved_at": saved_at.isoformat(timespec="seconds"),
                "message": _("Draft autosaved at %(time)s.") % {"time": time_format(saved_at, "H:i")},
            }
        )

    def autosave_discard_view(self, request, object_id):
        """Forget the user's autosave of this post or page, then back to its change form."""
        obj = self.object_within_reach(request, object_id)
        if autosave_discard(obj=obj, user=request.user):
            self.message_user(request, _("The autosave was discarded."), messages.SUCCESS)
        return HttpResponseRedirect(self.object_url("change", obj))

    def restored_autosave(self, request, obj):
        """The autosave the change form starts from (GET ``?autosave=restore``), or None; asked once a request."""
        if obj is None or obj.pk is None or request.method != "GET" or request.GET.get("autosave") != "restore":
            return None
        cache = request.__dict__.setdefault("_blog_restored_autosaves", {})
        key = (obj._meta.label, obj.pk)
        if key not in cache:
            may_change = self.has_change_permission(request, obj)
            cache[key] = autosave_of(obj=obj, user=request.user) if may_change else None
        return cache[key]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        autosave = self.restored_autosave(request, obj)
        if autosave is None:
            return form
        initial = {name: getattr(autosave, name) for name in ("title", "excerpt", "body") if name in form.base_fields}

        class AutosavedForm(form):
            # The autosaved words over the saved ones; the author then saves as usual.
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return AutosavedForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["autosave_seconds"] = self.autosave_seconds
        if obj is not None and obj.pk is not None and self.has_change_permission(request, obj):
            context["autosave_url"] = self.object_url("autosave", obj)
            restored = self.restored_autosave(request, obj)
            context["autosave_restored"] = restored is not None
            if request.method == "GET" and restored is None:
                context["autosave"] = autosave_offered(obj=obj, user=request.user)
                context["autosave_discard_url"] = self.object_url("autosave_discard", obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
