from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from blog.admin import SturdyAdminMixin
from blog.sanitize import plain_text
from comments import services
from comments.models import Comment, DiscussionSettings, Subscription
from comments.permissions import (
    can_moderate,
    can_moderate_all,
    lookup_reads_private_field,
    moderatable_comments,
    private_fields,
)
from comments.sanitize import clean_stored_comment_html

Status = Comment.Status

# What each moderation verb does, and from which statuses it makes sense (WordPress's row actions).
MODERATION = {
    "approve": (services.comment_approve, _("Approve"), {Status.PENDING, Status.SPAM, Status.TRASH}),
    "unapprove": (services.comment_unapprove, _("Unapprove"), {Status.APPROVED}),
    "spam": (services.comment_spam, _("Spam"), {Status.PENDING, Status.APPROVED, Status.TRASH}),
    "not_spam": (services.comment_not_spam, _("Not spam"), {Status.SPAM}),
    "trash": (services.comment_trash, _("Trash"), {Status.PENDING, Status.APPROVED, Status.SPAM}),
    "restore": (services.comment_restore, _("Restore"), {Status.TRASH}),
}
DONE_MESSAGES = {
    "approve": lambda n: ngettext("%(count)d comment approved.", "%(count)d comments approved.", n),
    "unapprove": lambda n: ngettext(
        "%(count)d comment moved back to pending.", "%(count)d comments moved back to pending.", n
    ),
    "spam": lambda n: ngettext("%(count)d comment marked as spam.", "%(count)d comments marked as spam.", n),
    "not_spam": lambda n: ngettext(
        "%(count)d comment restored from the spam.", "%(count)d comments restored from the spam.", n
    ),
    "trash": lambda n: ngettext("%(count)d comment moved to the Trash.", "%(count)d comments moved to the Trash.", n),
    "restore": lambda n: ngettext(
        "%(count)d comment restored from the Trash.", "%(count)d comments restored from the Trash.", n
    ),
}
# Bulk actions offered in each status view (WordPress's screen).
ACTIONS_BY_VIEW = {
    None: ["approve", "unapprove", "spam", "trash"],
    Status.PENDING: ["approve", "spam", "trash"],
    Status.APPROVED: ["unapprove", "spam", "trash"],
    Status.SPAM: ["not_spam", "delete_permanently"],
    Status.TRASH: ["spam", "restore", "delete_permanently"],
}


class StatusFilter(admin.SimpleListFilter):
    """All (15) · Pending (3) · Approved (12) · Spam (1) · Trash (0), counted in one query.

    As in WordPress, "All" means the live comments (pending and approved): spam and
    trash only show in their own views.
    """

    title = _("status")
    parameter_name = "status"
    live = (Status.PENDING, Status.APPROVED)

    def lookups(self, request, model_admin):
        counts = dict(model_admin.get_queryset(request).order_by().values_list("status").annotate(total=Count("pk")))
        self.all_count = sum(counts.get(status, 0) for status in self.live)
        return [(status.value, f"{status.label} ({counts.get(status.value, 0)})") for status in Status]

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("All (%(count)d)") % {"count": self.all_count}
        return choices

    def queryset(self, request, queryset):
        if self.value() in Status.values:
            return queryset.filter(status=self.value())
        return queryset.filter(status__in=self.live)


def _run(modeladmin, request, queryset, verb):
    service, _label, allowed_from = MODERATION[verb]
    done = skipped = 0
    for comment in queryset.select_related("post"):
        if comment.status in allowed_from and can_moderate(request.user, comment):
            service(comment=comment)
            done += 1
        else:
            skipped += 1
    modeladmin.message_user(request, DONE_MESSAGES[verb](done) % {"count": done}, messages.SUCCESS)
    _report_skipped(modeladmin, request, skipped)


def _report_skipped(modeladmin, request, skipped):
    if skipped:
        message = ngettext(
            "%(count)d comment skipped: already in that state, or not yours to moderate.",
            "%(count)d comments skipped: already in that state, or not yours to moderate.",
            skipped,
        )
        modeladmin.message_user(request, message % {"count": skipped}, messages.WARNING)


def _bulk(verb, description):
    @admin.action(description=description, permissions=["moderate"])
    def action(modeladmin, request, queryset):
        _run(modeladmin, request, queryset, verb)

    action.__name__ = verb
    return action


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
    actions = [
        _bulk("approve", _("Approve")),
        _bulk("unapprove", _("Unapprove")),
        _bulk("spam", _("Mark as spam")),
        _bulk("not_spam", _("Not spam")),
        _bulk("trash", _("Move to Trash")),
        _bulk("restore", _("Restore")),
        "delete_permanently",
    ]

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
        return allowed and obj.status in (Status.SPAM, Status.TRASH) and can_moderate(request.user, obj)

    def delete_model(self, request, obj):
        services.comment_delete(comment=obj)

    def delete_queryset(self, request, queryset):
        for comment in queryset.filter(status__in=[Status.SPAM, Status.TRASH]):
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
        view = request.GET.get("status")
        wanted = ACTIONS_BY_VIEW.get(view if view in Status.values else None, ACTIONS_BY_VIEW[None])
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
            (reverse("admin:comments_comment_moderate", args=[comment.pk, verb]), label, comment.author_name)
            for verb, (_service, label, allowed_from) in MODERATION.items()
            if comment.status in allowed_from
        ]
        links = format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" formmethod="post" aria-label="{} — {}">{}</button>',
            ((url, label, name, label) for url, label, name in buttons),
        )
        reply = ""
        if comment.status in (Status.APPROVED, Status.PENDING):
            reply = format_html(
                ' <a class="button" href="{}">{}</a>',
                reverse("admin:comments_comment_reply", args=[comment.pk]),
                _("Reply"),
            )
        return format_html("{}{}", links, reply)

    # Actions

    @admin.action(description=_("Delete permanently"), permissions=["delete"])
    def delete_permanently(self, request, queryset):
        done = skipped = 0
        for comment in queryset.select_related("post"):
            if comment.status in (Status.SPAM, Status.TRASH) and can_moderate(request.user, comment):
                services.comment_delete(comment=comment)
                done += 1
            else:
                skipped += 1
        self.message_user(
            request,
            ngettext("%(count)d comment deleted permanently.", "%(count)d comments deleted permanently.", done)
            % {"count": done},
            messages.SUCCESS,
        )
        _report_skipped(self, request, skipped)

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
        if verb not in MODERATION:
            raise PermissionDenied
        comment = self._comment_for(request, comment_id)
        service, _label, allowed_from = MODERATION[verb]
        if comment.status in allowed_from:
            service(comment=comment)
            self.message_user(request, DONE_MESSAGES[verb](1) % {"count": 1}, messages.SUCCESS)
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
        body, error = "", ""
        if request.method == "POST":
            body = request.POST.get("body", "")
            if not body.strip():
                error = _("Please type your reply.")
            elif len(body) > 65525:
                error = _("Your reply is too long.")
            else:
                try:
                    with transaction.atomic():
                        # Replying to a held comment approves it (WordPress's "Approve and Reply").
                        if comment.status == Status.PENDING:
                            comment = services.comment_approve(comment=comment)
                        reply = services.comment_create(
                            post=comment.post, body=body, parent_id=comment.pk, user=request.user
                        )
                except services.CommentRefused as refusal:
                    comment.refresh_from_db()
                    error = refusal.message
                else:
                    self.message_user(request, _("Your reply was published."), messages.SUCCESS)
                    return redirect(reply.get_absolute_url())
        if comment.status not in (Status.APPROVED, Status.PENDING):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reply to %(name)s") % {"name": comment.author_name},
            "comment": comment,
            "body": body,
            "error": error,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context, status=400 if error else 200)


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(SturdyAdminMixin, admin.ModelAdmin):
    fieldsets = [
        (
            _("Other comment settings"),
            {
                "fields": [
                    "require_name_email",
                    ("close_comments_for_old_posts", "close_comments_days_old"),
                    "show_comments_cookies_opt_in",
                    ("thread_comments", "thread_comments_depth"),
                    ("page_comments", "comments_per_page", "default_comments_page"),
                    "comment_order",
                ]
            },
        ),
        (_("Email me whenever"), {"fields": ["comments_notify", "moderation_notify"]}),
        (_("Before a comment appears"), {"fields": ["comment_moderation", "comment_previously_approved"]}),
        (_("Comment moderation"), {"fields": ["comment_max_links", "moderation_keys"]}),
        (_("Disallowed comment keys"), {"fields": ["disallowed_keys"]}),
        (_("Avatars"), {"fields": ["show_avatars"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: go straight to it.
        settings_row = DiscussionSettings.load()
        return redirect("admin:comments_discussionsettings_change", settings_row.pk)


@admin.register(Subscription)
class SubscriptionAdmin(SturdyAdminMixin, admin.ModelAdmin):
    """Who asked for follow-up emails on which post (confirmed by the address owner, or not yet)."""

    list_display = ["email", "name", "post", "created_at", "confirmed_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["post"]
    search_fields = ["email", "name", "post__title"]
    readonly_fields = ["post", "email", "name", "created_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False  # only readers subscribe themselves (double opt-in)

    def has_change_permission(self, request, obj=None):
        return False  # a reader's own wish: nothing to edit

    # The list is readers' addresses: for those who see commenters' addresses (migration 0006).
    def has_view_permission(self, request, obj=None):
        return can_moderate_all(request.user) and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return can_moderate_all(request.user) and super().has_delete_permission(request, obj)
