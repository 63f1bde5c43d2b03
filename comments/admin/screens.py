"""The queue's own screens beside Django's: a row's quick action, Reply, Quick Edit, Empty Spam/Trash.

Each works as a plain page without JavaScript; static/js/admin-comments.js opens Reply
and Quick Edit inside the row by fetching the same page's form.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from comments import services
from comments.forms import ReplyForm
from comments.models import Comment
from comments.moderation import ACTIONS
from comments.permissions import can_moderate, can_moderate_all, moderatable_comments, private_fields
from comments.sanitize import clean_stored_comment_html


class QuickEditForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["author_name", "author_email", "author_url", "body", "status"]


def safe_next(request, default):
    back = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return back
    return default


class QueueScreensMixin:
    def get_urls(self):
        view = self.admin_site.admin_view
        extra = [
            path(
                "<int:comment_id>/moderate/<str:verb>/",
                view(require_POST(self.moderate_view)),
                name="comments_comment_moderate",
            ),
            path("<int:comment_id>/reply/", view(self.reply_view), name="comments_comment_reply"),
            path("<int:comment_id>/quick-edit/", view(self.quick_edit_view), name="comments_comment_quick_edit"),
            path("empty/<str:status>/", view(self.empty_view), name="comments_comment_empty"),
        ]
        return extra + super().get_urls()

    def _comment_for(self, request, comment_id):
        comment = get_object_or_404(Comment.objects.select_related("post"), pk=comment_id)
        if not can_moderate(request.user, comment):
            raise PermissionDenied
        return comment

    def _render(self, request, template, status=200, **context):
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, f"admin/comments/comment/{template}", context, status=status)

    def moderate_view(self, request, comment_id, verb):
        action = ACTIONS.get(verb)
        if action is None or not action.row_button:
            raise PermissionDenied
        comment = self._comment_for(request, comment_id)
        if action.applies(comment):
            services.comment_moderate(comment=comment, action=action)
            self.message_user(request, action.done % {"count": 1}, messages.SUCCESS)
        else:
            self.message_user(request, _("Nothing to do: the comment is already in that state."), messages.WARNING)
        referer = request.headers.get("referer") or ""
        request.POST = request.POST.copy()
        request.POST.setdefault("next", referer)
        return HttpResponseRedirect(safe_next(request, reverse("admin:comments_comment_changelist")))

    def reply_view(self, request, comment_id):
        """Reply as the logged-in user: approved at once, threaded under the comment (held parents get approved)."""
        comment = self._comment_for(request, comment_id)
        if not comment.is_live:
            raise PermissionDenied
        form = ReplyForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                reply = services.comment_reply(parent=comment, user=request.user, body=form.cleaned_data["body"])
            except services.CommentRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                self.message_user(request, _("Your reply was published."), messages.SUCCESS)
                return HttpResponseRedirect(safe_next(request, reply.get_absolute_url()))
        title = _("Reply to %(name)s") % {"name": comment.author_name}
        return self._render(
            request,
            "reply.html",
            400 if form.errors else 200,
            title=title,
            comment=comment,
            form=form,
            next=safe_next(request, ""),
        )

    def quick_edit_view(self, request, comment_id):
        """Name, email, website, text and status of one comment; a status change goes through the services."""
        comment = self._comment_for(request, comment_id)
        form = QuickEditForm(request.POST if request.method == "POST" else None, instance=comment)
        if not can_moderate_all(request.user):
            for name in private_fields(Comment):
                form.fields.pop(name, None)
        if form.is_valid():
            new_status = form.cleaned_data["status"]
            edited = form.save(commit=False)
            edited.body = clean_stored_comment_html(edited.body)
            edited.status = form.initial["status"]
            edited.save()
            if new_status != edited.status:
                services.comment_set_status(comment=edited, status=new_status)
            self.message_user(request, _("The comment was updated."), messages.SUCCESS)
            return HttpResponseRedirect(safe_next(request, reverse("admin:comments_comment_changelist")))
        title = _("Quick Edit: %(name)s") % {"name": comment.author_name}
        return self._render(
            request,
            "quick_edit.html",
            400 if form.errors else 200,
            title=title,
            comment=comment,
            form=form,
            next=safe_next(request, ""),
        )

    def empty_view(self, request, status):
        """Empty Spam / Empty Trash: a confirmation page, then every such comment the user may moderate is deleted."""
        if status not in Comment.REMOVED_STATUSES or not self.has_delete_permission(request):
            raise PermissionDenied
        comments = moderatable_comments(request.user).filter(status=status).select_related("post")
        changelist = reverse("admin:comments_comment_changelist") + f"?status={status}"
        if request.method == "POST":
            count = 0
            for comment in comments.order_by("-path"):
                services.comment_delete(comment=comment)
                count += 1
            message = ngettext(
                "%(count)d comment deleted permanently.", "%(count)d comments deleted permanently.", count
            )
            self.message_user(request, message % {"count": count}, messages.SUCCESS)
            return HttpResponseRedirect(changelist)
        label = Comment.Status(status).label
        title = _("Empty %(view)s") % {"view": label}
        return self._render(
            request, "empty.html", title=title, count=comments.count(), view=label, changelist=changelist
        )
