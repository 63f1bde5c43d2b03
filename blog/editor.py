"""The visual editor of post and page bodies (django-prose-editor), and the CSP its page needs.

The editor only changes how the body is typed: what it sends is a plain form
value, cleaned by ``blog.sanitize.sanitize_post_html`` when the post or page is
saved, like any other HTML. Without JavaScript the widget is the textarea it
enhances.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget, prose_editor_admin_media
from js_asset import Media, Script

# The widget's preset: its textarea carries data-django-prose-editor-body="<config JSON>",
# which static/js/body-editor.js turns into an editor.
PRESET = "body"

# H1 is the title of the post or page.
HEADING_LEVELS = [2, 3, 4]

# The media library's upload endpoint (POST file, alt → 201 {"id", "url", "width", "height", "alt"}).
IMAGE_UPLOAD_URL_NAME = "admin:blog_image_upload"


def image_upload_url():
    """Where the editor uploads images."""
    return reverse(IMAGE_UPLOAD_URL_NAME)


def editor_labels():
    """The words of the editor's own dialog, translated here so the JavaScript needs no catalogue."""
    return {
        "insertImage": _("Insert image"),
        "file": _("Image file"),
        "alt": _("Alternative text"),
        "altHelp": _("Describe the image for people who cannot see it."),
        "upload": _("Upload and insert"),
        "cancel": _("Cancel"),
        "uploading": _("Uploading…"),
        "failed": _("The image could not be uploaded. Try again."),
        "fileRequired": _("Choose an image file."),
        "altRequired": _("Describe the image: the alternative text is required."),
    }


class BodyEditorWidget(AdminProseEditorWidget):
    """A textarea the admin's JavaScript turns into a visual editor (toolbar, headings, lists, images…)."""

    def __init__(self, attrs=None, *, images=True):
        super().__init__(attrs={"class": "vLargeTextField", **(attrs or {})}, preset=PRESET)
        # Whether this writer may upload to the media library (contributors may not): else no "Insert image".
        self.images = images

    @property
    def media(self):
        return prose_editor_admin_media + Media(
            css={"all": ["css/body-editor.css"]},
            js=[Script("js/body-editor.js", type="module")],
        )

    def get_config(self):
        return {"headingLevels": HEADING_LEVELS, "labels": editor_labels()}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-image-upload-url"] = image_upload_url() if self.images else ""
        return context


def editor_csp():
    """The site's CSP with a nonce allowed in script-src: the editor's import map is an inline script.

    Only the forms showing the editor are answered with it; the admin renders
    every script of a form's media with the request's nonce, so nothing else
    changes. Styles stay 'self' only (the editor's base CSS is a file).
    """
    policy = dict(settings.SECURE_CSP)
    policy["script-src"] = [*policy.get("script-src", [CSP.SELF]), CSP.NONCE]
    return policy
