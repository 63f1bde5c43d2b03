"""The admin's Preview button and the "Get a preview link" button (the pages they show: ``blog.preview``).

Preview posts the whole form, unsaved, to ``/admin/blog/post/preview/`` (a new
post) or ``/admin/blog/post/<id>/preview/`` (``admin:blog_post_preview``; pages
alike, ``admin:blog_page_preview``) and answers, in a new tab, with the page as
readers will see it; nothing is written. A saved post's change form also posts to
``<id>/preview-link/`` (``admin:blog_post_preview_link``) for a signed link that
someone without an account can open.
"""

from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from blog import preview
from blog.permissions import can_preview_post


class PreviewAdminMixin:
    """Adds the preview URL to a ModelAdmin; subclasses say how the unsaved object is shown."""

    def admin_url_name(self, view):
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        view = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", view, name=self.admin_url_name("preview")),
            path("<path:object_id>/preview/", view, name=self.admin_url_name("preview")),
            *super().get_urls(),
        ]

    def has_preview_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) if obj else self.has_add_permission(request)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if self.has_preview_permission(request, obj):
            args = [obj.pk] if obj is not None and obj.pk is not None else []
            context["preview_url"] = reverse(f"admin:{self.admin_url_name('preview')}", args=args)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_object(self, request, object_id):
        """The saved object being edited (None for a new one), if the user may preview it."""
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404(_("There is nothing to preview at this address."))
        if not self.has_preview_permission(request, obj):
            raise PermissionDenied
        return obj

    def preview_view(self, request, object_id=None):
        """POST: the form's content shown as the site will show it, without saving anything."""
        obj = self.preview_object(request, object_id)
        if request.method != "POST":
            # The button posts the form; an address typed or reloaded goes back to the form.
            name = "change" if obj is not None else "add"
            return redirect(f"admin:{self.admin_url_name(name)}", *([obj.pk] if obj is not None else []))
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        form_class = self.get_form(request, obj, change=obj is not None, fields=fields)
        form = form_class(request.POST, request.FILES, instance=obj)
        if not form.is_valid():
            return preview.render_invalid_preview(request, form)
        # Never form.save(): the object is only put together in memory, and shown.
        return self.preview_response(request, form)

    def preview_response(self, request, form):
        raise NotImplementedError


class PagePreviewAdminMixin(PreviewAdminMixin):
    def preview_response(self, request, form):
        return preview.render_page_preview(request, preview.page_from_form(form))


class PostPreviewAdminMixin(PreviewAdminMixin):
    """Preview for posts, with the rules of ``blog.permissions``, and the signed preview link."""

    def has_preview_permission(self, request, obj=None):
        return super().has_preview_permission(request, obj) and can_preview_post(request.user, obj)

    def get_urls(self):
        view = self.admin_site.admin_view(self.preview_link_view)
        return [
            path("<path:object_id>/preview-link/", view, name=self.admin_url_name("preview_link")),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and self.has_preview_permission(request, obj):
            context["preview_link_url"] = reverse(f"admin:{self.admin_url_name('preview_link')}", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_response(self, request, form):
        return preview.render_post_preview(request, preview.post_from_form(form, user=request.user))

    def preview_link_view(self, request, object_id):
        """POST: a signed link to the saved post, shown on its own admin page (the edits stay in their tab)."""
        post = self.preview_object(request, object_id)
        if request.method != "POST":
            return redirect(f"admin:{self.admin_url_name('change')}", post.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": post,
            "title": _("Preview link"),
            "preview_link": preview.preview_link_url(post),
            "expires_at": preview.preview_link_expiry(),
            "is_published": post.is_published,
        }
        response = TemplateResponse(request, "admin/blog/post/preview_link.html", context)
        response["Referrer-Policy"] = "no-referrer"
        return response
