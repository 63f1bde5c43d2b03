"""The posts list gets a comments column, as in WordPress: approved, with the pending ones beside.

The blog knows nothing of comments, so its PostAdmin is registered again here with the column.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from blog.admin.posts import PostAdmin
from blog.models import Post
from comments.models import Comment


class PostWithCommentsAdmin(PostAdmin):
    list_display = [*PostAdmin.list_display[:-2], "comment_count", *PostAdmin.list_display[-2:]]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                approved_comments=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED), distinct=True),
                pending_comments=Count("comments", filter=Q(comments__status=Comment.Status.PENDING), distinct=True),
            )
        )

    @admin.display(description=_("comments"), ordering="approved_comments")
    def comment_count(self, post):
        if not post.approved_comments and not post.pending_comments:
            return "—"
        link = reverse("admin:comments_comment_changelist") + f"?post__id__exact={post.pk}"
        if not post.pending_comments:
            return format_html('<a href="{}">{}</a>', link, post.approved_comments)
        pending = ngettext("%(count)d pending", "%(count)d pending", post.pending_comments) % {
            "count": post.pending_comments
        }
        return format_html(
            '<a href="{}">{}</a> <a class="comment-count-pending" href="{}&amp;status=pending">({})</a>',
            link,
            post.approved_comments,
            link,
            pending,
        )


admin.site.unregister(Post)
admin.site.register(Post, PostWithCommentsAdmin)
