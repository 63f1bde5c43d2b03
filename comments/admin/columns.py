"""The queue's three columns, as WordPress's Comments screen: Author, Comment (with its row actions), In response to.

Built per request (columns_for) because what a row shows depends on who looks: addresses
only for those who moderate every comment, Delete permanently only with the delete permission.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.sanitize import plain_text
from comments.moderation import ACTIONS
from comments.permissions import can_moderate_all
from comments.templatetags.comments_tags import avatar_svg


def short_url(url, limit=32):
    """What WordPress shows of a commenter's site: no scheme, no "www.", at most ``limit`` characters."""
    text = url.split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def author_html(comment, private):
    parts = [avatar_svg(comment.author_name, comment.author_email or comment.author_name, 32)]
    parts.append(format_html('<strong class="comment-author">{}</strong>', comment.author_name))
    if url := comment.safe_author_url:
        parts.append(format_html('<a href="{}" rel="nofollow noopener">{}</a>', url, short_url(url)))
    if private:
        if comment.author_email:
            parts.append(format_html('<a href="mailto:{}">{}</a>', comment.author_email, comment.author_email))
        if comment.ip_address:
            parts.append(format_html('<span class="comment-ip">{}</span>', comment.ip_address))
    return format_html('<div class="comment-author-card">{}</div>', format_html_join("", "{}", ((p,) for p in parts)))


def row_actions_html(comment, may_delete, back):
    # Buttons submit the changelist form (which carries the CSRF token) to the row's URL; as in
    # WordPress a row offers what its status view offers (no Approve in the Trash).
    items = [
        format_html(
            '<button type="submit" class="row-action action-{}" formaction="{}" formmethod="post"'
            ' aria-label="{} — {}">{}</button>',
            action.name,
            reverse("admin:comments_comment_moderate", args=[comment.pk, action.name]),
            action.label,
            comment.author_name,
            action.label,
        )
        for action in ACTIONS.values()
        if action.row_button and action.applies(comment) and comment.status in action.listed_in
    ]
    # Reply and Quick Edit are pages of their own without JavaScript: they come back to this view.
    come_back = "?" + urlencode({"next": back})
    links = []
    if comment.is_live:
        links.append(("reply", reverse("admin:comments_comment_reply", args=[comment.pk]) + come_back, _("Reply")))
    links.append(
        ("quick-edit", reverse("admin:comments_comment_quick_edit", args=[comment.pk]) + come_back, _("Quick Edit"))
    )
    if comment.is_removed and may_delete:
        links.append(("delete", reverse("admin:comments_comment_delete", args=[comment.pk]), _("Delete Permanently")))
    items += [
        format_html(
            '<a class="row-action action-{}" href="{}" data-cancel="{}" aria-label="{} — {}">{}</a>',
            name,
            url,
            _("Cancel"),
            label,
            comment.author_name,
            label,
        )
        for name, url, label in links
    ]
    return format_html('<div class="row-actions">{}</div>', format_html_join(" ", "{}", ((item,) for item in items)))


def comment_html(comment, may_delete, back):
    text = plain_text(comment.body)
    excerpt = text if len(text) <= 300 else text[:299] + "…"
    head = []
    if comment.parent_id:
        head.append(
            format_html(
                '<span class="in-reply-to">{} <a href="{}">{}</a></span>',
                _("In reply to"),
                reverse("admin:comments_comment_change", args=[comment.parent_id]),
                comment.parent.author_name,
            )
        )
    submitted = formats.date_format(timezone.localtime(comment.created_at), "DATETIME_FORMAT")
    head.append(
        format_html(
            '<span class="submitted-on">{} <a href="{}"><time datetime="{}">{}</time></a></span>',
            _("Submitted on"),
            reverse("admin:comments_comment_change", args=[comment.pk]),
            comment.created_at.isoformat(timespec="seconds"),
            submitted,
        )
    )
    if not comment.is_approved:
        head.append(
            format_html(
                '<span class="comment-status status-{}">{}</span>', comment.status, comment.get_status_display()
            )
        )
    if comment.moderation_reason:
        head.append(format_html('<span class="why-held">{}: {}</span>', _("Why held"), comment.moderation_reason))
    return format_html(
        '<div class="comment-meta">{}</div><p class="comment-text">{}</p>{}',
        format_html_join(" ", "{}", ((h,) for h in head)),
        excerpt,
        row_actions_html(comment, may_delete, back),
    )


def post_html(comment):
    return format_html(
        '<a href="{}">{}</a><br><a href="{}">{}</a>',
        reverse("admin:comments_comment_changelist") + f"?post__id__exact={comment.post_id}",
        comment.post.title,
        comment.post.get_absolute_url(),
        _("View post"),
    )


def columns_for(modeladmin, request):
    """The list_display of one request: three callables named as the columns' CSS hooks."""
    private = can_moderate_all(request.user)
    may_delete = modeladmin.has_delete_permission(request)
    back = request.get_full_path()

    @admin.display(description=gettext_lazy("author"), ordering="author_name")
    def author_column(comment):
        return author_html(comment, private)

    @admin.display(description=gettext_lazy("comment"))
    def comment_column(comment):
        return comment_html(comment, may_delete, back)

    @admin.display(description=gettext_lazy("in response to"), ordering="post__title")
    def post_column(comment):
        return post_html(comment)

    return [author_column, comment_column, post_column]
