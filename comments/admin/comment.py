from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from blog.admin.sturdy import SturdyAdminMixin
from blog.sanitize import plain_text
from comments import services
from comments.admin.actions import bulk_action
from comments.admin.filters import StatusFilter
from comments.forms import ReplyForm
from comments.models import Comment
from comments.moderation import ACTIONS, actions_listed_in
from comments.permissions import (
    can_moderate,
    can_moderate_all,
    lookup_reads_private_field,
    moderatable_comments,
    private_fields,
)
from comments.sanitize import clean_stored_comment_html


@admin.register(Comment)
class CommentAdmin(SturdyAdminMixin, admin.ModelAdmin):
    list_display = [
        "author_column",
        "comment_column",
        "post_column",
        "created_at",
        "status",
        "why_held",
        "row_actions",
    ]
    list_filter = [StatusFilter, "created_at"]
    list_select_related = ["post", "parent"]
    list_per_page = 20
    search_fields = ["body", "author_name", "author_email", "ip_address"]
    date_hierarchy = "created_at"
    raw_id_fields = ["post", "parent", "user"]
    readonly_fields = ["post", "parent", "user", "ip_address", "user_agent", "moderation_reason", "created_at"]
    fields = [
        "author_name",
        "author_email",
        "author_url",
        "body",
        "status",
        "post",
        "parent",
        "user",
        "created_at",
        "ip_address",
        "user_agent",
        "moderation_reason",
    ]
    actions = [bulk_action(action) for action in ACTIONS.values()]

    # Who sees what

    def get_queryset(self, request):
        return moderatable_comments(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        comment = super().get_object(request, object_id, from_field)
        if comment is None and str(object_id).isdigit() and Comment.objects.filter(pk=object_id).exists():
            raise PermissionDenied  # someone else's comment: forbidden, not "missing"
        return comment

    def lookup_allowed(self, lookup, value, request):
        # Hiding the address columns is not enough: ?author_email__startswith=a answers row or no row.
        if not can_moderate_all(request.user) and lookup_reads_private_field(self.model, lookup):
            return False
        # "In response to" links filter the list by post.
        return lookup == "post__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_add_permission(self, request):
        return False  # comments come from readers and the Reply screen

    def has_delete_permission(self, request, obj=None):
        # Deleting for good is for spam and trash only, as the bulk action (WordPress).
        allowed = super().has_delete_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and obj.is_removed and can_moderate(request.user, obj)

    def delete_model(self, request, obj):
        services.comment_delete(comment=obj)

    def delete_queryset(self, request, queryset):
        for comment in queryset.removed():
            services.comment_delete(comment=comment)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not can_moderate_all(request.user):
            # Commenters' addresses are for moderators, not for every author.
            fields = [name for name in fields if name not in private_fields(Comment)]
        return fields

    def get_search_fields(self, request):
        if can_moderate_all(request.user):
            return self.search_fields
        return [name for name in self.search_fields if name not in private_fields(Comment)]

    def get_list_display(self, request):
        columns = list(self.list_display)
        if can_moderate_all(request.user):
            # Commenters' addresses are for moderators, not for every author.
            columns[1:1] = ["author_email", "ip_address"]
        return columns

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        wanted = {action.name for action in actions_listed_in(request.GET.get("status"))}
        return {name: action for name, action in actions.items() if name in wanted}

    # Columns

    @admin.display(description=_("author"), ordering="author_name")
    def author_column(self, comment):
        if comment.safe_author_url:
            return format_html(
                '{}<br><a href="{}" rel="nofollow noopener">{}</a>',
                comment.author_name,
                comment.safe_author_url,
                comment.safe_author_url,
            )
        return comment.author_name

    @admin.display(description=_("comment"))
    def comment_column(self, comment):
        text = plain_text(comment.body)
        excerpt = text if len(text) <= 160 else text[:159] + "…"
        if comment.parent_id:
            return format_html(
                '<span class="in-reply-to">In reply to <a href="{}">{}</a></span><br>{}',
                reverse("admin:comments_comment_change", args=[comment.parent_id]),
                comment.parent.author_name,
                excerpt,
            )
        return excerpt

    @admin.display(description=_("in response to"), ordering="post__title")
    def post_column(self, comment):
        return format_html(
            '<a href="{}">{}</a><br><a href="{}">View post</a>',
            reverse("admin:comments_comment_changelist") + f"?post__id__exact={comment.post_id}",
            comment.post.title,
            comment.post.get_absolute_url(),
        )

    @admin.display(description=_("why held"))
    def why_held(self, comment):
        return comment.moderation_reason or "—"

    @admin.display(description=_("quick actions"))
    def row_actions(self, comment):
        # Buttons submit the changelist form (which carries the CSRF token) to the row's URL.
        buttons = [
            (reverse("admin:comments_comment_moderate", args=[comment.pk, action.name]), action.label)
            for action in ACTIONS.values()
            if action.row_button and action.applies(comment)
        ]
        links = format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" formmethod="post" aria-label="{} — {}">{}</button>',
            ((url, label, comment.author_name, label) for url, label in buttons),
        )
        reply = ""
        if comment.is_live:
            reply = format_html(
                ' <a class="button" href="{}">{}</a>',
                reverse("admin:comments_comment_reply", args=[comment.pk]),
                _("Reply"),
            )
        return format_html("{}{}", links, reply)

    def save_model(self, request, obj, form, change):
        obj.body = clean_stored_comment_html(obj.body)
        new_status = obj.status
        if change and "status" in form.changed_data:
            # Status changes go through the services (notifications, restore memory).
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            services.comment_set_status(comment=obj, status=new_status)
            return
        super().save_model(request, obj, form, change)

    # Extra screens: quick actions and Reply

    def get_urls(self):
        extra = [
            path(
                "<int:comment_id>/moderate/<str:verb>/",
                self.admin_site.admin_view(require_POST(self.moderate_view)),
                name="comments_comment_moderate",
            ),
            path(
                "<int:comment_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="comments_comment_reply",
            ),
        ]
        return extra + super().get_urls()

    def _comment_for(self, request, comment_id):
        comment = get_object_or_404(Comment.objects.select_related("post"), pk=comment_id)
        if not can_moderate(request.user, comment):
            raise PermissionDenied
        return comment

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
        back = request.POST.get("next") or request.headers.get("referer") or ""
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:comments_comment_changelist")
        return HttpResponseRedirect(back)

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
                return redirect(reply.get_absolute_url())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reply to %(name)s") % {"name": comment.author_name},
            "comment": comment,
            "form": form,
            "opts": self.opts,
        }
        status = 400 if form.errors else 200
        return TemplateResponse(request, "admin/comments/comment/reply.html", context, status=status)
