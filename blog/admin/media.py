"""The media library: images with their alt text, where each is used, and the JSON the editor calls.

URLs (all under the admin, staff only, CSRF protected):
  admin:blog_image_upload   POST file + alt → 201 {"id", "url", "width", "height", "alt"} or 400 {"errors"}
  admin:blog_image_choose   GET ?q= → {"results": [{"id", "url", "thumbnail", "width", "height", "alt"}…]}
Authors see and change only their own uploads, editors all (blog.permissions).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from blog.admin.sturdy import SturdyAdminMixin
from blog.models import Image, Page, Post
from blog.permissions import (
    can_change_image,
    can_delete_image,
    can_edit_others_posts,
    can_upload_images,
    images_for,
)

ACCEPTED_TYPES = "image/jpeg,image/png,image/gif,image/webp"
ALT_REQUIRED = _("Describe the image for people who cannot see it: the alternative text is required.")
FILE_REQUIRED = _("Choose a picture to upload.")
CHOOSER_LIMIT = 30
USED_IN_LIMIT = 50


class ImageForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt", "title", "caption"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ACCEPTED_TYPES})}
        error_messages = {"alt": {"required": ALT_REQUIRED}, "file": {"required": FILE_REQUIRED}}


class ImageUploadForm(ImageForm):
    """What the visual editor sends: the file and its alt text."""

    class Meta(ImageForm.Meta):
        fields = ["file", "alt"]


def image_json(image, *, thumbnail=False):
    data = {"id": image.pk, "url": image.url, "width": image.width, "height": image.height, "alt": image.alt}
    if thumbnail:
        data["thumbnail"] = image.thumbnail_url
    return data


def json_errors(form):
    return {field: [error["message"] for error in errors] for field, errors in form.errors.get_json_data().items()}


@admin.register(Image)
class ImageAdmin(SturdyAdminMixin, admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "alt", "dimensions", "uploaded_by", "uploaded_at"]
    list_display_links = ["thumbnail", "alt"]
    list_select_related = ["uploaded_by"]
    search_fields = ["alt", "title", "caption", "file"]
    readonly_fields = ["preview", "dimensions", "file_size", "uploaded_by", "uploaded_at", "used_in"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "alt", "title", "caption"]}),
        (_("About the file"), {"fields": ["dimensions", "file_size", "uploaded_by", "uploaded_at"]}),
        (_("Used in"), {"fields": ["used_in"]}),
    ]

    def get_queryset(self, request):
        return images_for(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and from_field is None and not can_edit_others_posts(request.user):
            # Another author's image: refuse plainly rather than the admin's "doesn't exist".
            try:
                if Image.objects.filter(pk=int(object_id)).exists():
                    raise PermissionDenied
            except (TypeError, ValueError):
                pass
        return obj

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_change_image(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_delete_image(request.user, obj))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if request.method == "POST" and getattr(response, "context_data", {}).get("errors"):
            response.status_code = 400  # the form again with its errors: a refused upload is the client's
        return response

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("image"))
    def thumbnail(self, image):
        return format_html(
            '<img src="{}" alt="" width="80" height="{}" loading="lazy" class="media-thumbnail">',
            image.thumbnail_url,
            round(80 * image.height / image.width) if image.width else 80,
        )

    @admin.display(description=_("preview"))
    def preview(self, image):
        if image.pk is None:
            return "—"
        return format_html('<img src="{}" alt="" width="240" loading="lazy">', image.thumbnail_url)

    @admin.display(description=_("size"))
    def dimensions(self, image):
        return f"{image.width}×{image.height}" if image.width else "—"

    @admin.display(description=_("file size"))
    def file_size(self, image):
        return filesizeformat(image.filesize) if image.filesize else "—"

    @admin.display(description=_("used in"))
    def used_in(self, image):
        """Posts showing it as featured image, posts and pages whose body holds it: three queries."""
        if image.pk is None or not image.file:
            return "—"
        rows = [
            (reverse("admin:blog_post_change", args=[post.pk]), post.title, gettext("featured image"))
            for post in Post.objects.filter(featured_image=image).only("pk", "title")[:USED_IN_LIMIT]
        ]
        rows += [
            (reverse("admin:blog_post_change", args=[post.pk]), post.title, gettext("in the post"))
            for post in Post.objects.filter(body__contains=image.file.name).only("pk", "title")[:USED_IN_LIMIT]
        ]
        rows += [
            (reverse("admin:blog_page_change", args=[page.pk]), page.title, gettext("in the page"))
            for page in Page.objects.filter(body__contains=image.file.name).only("pk", "title")[:USED_IN_LIMIT]
        ]
        if not rows:
            return gettext("Not used in any post or page.")
        return format_html(
            '<ul class="used-in">{}</ul>', format_html_join("", '<li><a href="{}">{}</a> ({})</li>', rows)
        )

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="blog_image_upload"),
            path("choose/", self.admin_site.admin_view(self.choose_view), name="blog_image_choose"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """POST file and alt: the new image as JSON (201), the form's errors (400), or 403."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (can_upload_images(request.user) and self.has_add_permission(request)):
            return JsonResponse({"errors": {"__all__": [gettext("You may not upload images.")]}}, status=403)
        form = ImageUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"errors": json_errors(form)}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()
        self.log_addition(request, image, [{"added": {}}])
        return JsonResponse(image_json(image), status=201)

    def choose_view(self, request):
        """GET ?q=: the newest images the user may use, at most 30, matching alt, title, caption or file name."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if not self.has_view_permission(request):
            return JsonResponse({"errors": {"__all__": [gettext("You may not use the media library.")]}}, status=403)
        images = self.get_queryset(request).search(request.GET.get("q", "")[:200])[:CHOOSER_LIMIT]
        return JsonResponse({"results": [image_json(image, thumbnail=True) for image in images]})


class FeaturedImageAdminMixin:
    """The post form's featured image: chosen from the library's list, or uploaded with its "+" pop-up.

    Users who may not use the library (contributors) see it without changing it.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "featured_image":
            # A plain list (the admin's select2 box has no accessible name): the images the user
            # may use, and those already on their posts (an editor may have chosen one for them).
            own = images_for(request.user)
            kwargs["queryset"] = (own | Image.objects.filter(featured_in__author=request.user.pk)).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("blog.view_image"):
            fields.append("featured_image")
        return fields
