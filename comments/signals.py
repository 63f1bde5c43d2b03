"""Where comments joins the blog's pages and caches: its section of the article, a new navigation generation."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from blog import navigation
from blog.signals import post_page
from comments.models import Comment
from comments.section import comments_context


@receiver(post_page)
def add_comments_section(sender, *, request, post, context, **kwargs):
    """The thread and the form (the bound one when the view shows it again with its errors)."""
    if context.get("preview"):
        return {}  # an unpublished post shown to its author or a reviewer: no discussion yet
    return comments_context(request, post, form=context.get("comment_form"))


@receiver([post_save, post_delete], sender=Comment)
def comment_changed(sender, **kwargs):
    # The sidebar lists the recent comments.
    navigation.new_generation()
