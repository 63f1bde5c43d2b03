from django import template

from comments.models import Comment
from comments.permissions import moderatable_comments

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_comments_count(context):
    """Pending comments the current user may moderate; None for users who moderate nothing."""
    user = context["request"].user
    if not user.has_perm("comments.moderate_comment"):
        return None
    return moderatable_comments(user, Comment.objects.pending()).count()
