"""The visual editor on the body of posts and pages (see blog/editor.py)."""

from django.views.decorators.csp import csp_override

from blog.editor import BodyEditorWidget, editor_csp
from blog.permissions import can_upload_images


class BodyEditorAdminMixin:
    """Edit ``body`` with the visual editor; the form's page allows the editor's import map by nonce."""

    editor_fields = ("body",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.editor_fields:
            kwargs["widget"] = BodyEditorWidget(images=can_upload_images(request.user))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = csp_override(editor_csp())(super().changeform_view)
        return view(request, object_id, form_url, extra_context)
