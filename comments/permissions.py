"""Who may moderate which comments: the one place that answers it."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from comments.models import Comment


def can_moderate_all(user):
    """Moderators, editors and administrators moderate every comment."""
    return bool(user and user.is_active and user.has_perm("comments.moderate_all_comments"))


def can_moderate(user, comment):
    """May ``user`` approve, spam, trash or delete ``comment``? (Authors: only on their own posts.)"""
    if not (user and user.is_authenticated and user.is_active and user.has_perm("comments.moderate_comment")):
        return False
    return can_moderate_all(user) or comment.post.author_id == user.pk


def moderatable_comments(user, queryset=None):
    """The comments ``user`` may moderate: all, those on their own posts, or none."""
    queryset = Comment.objects.all() if queryset is None else queryset
    if not (user and user.is_authenticated and user.has_perm("comments.moderate_comment")):
        return queryset.none()
    if can_moderate_all(user):
        return queryset
    return queryset.filter(post__author=user)


def moderators_of(comment):
    """Active users with an email address who may moderate ``comment`` (for held-comment emails).

    Everyone holding ``moderate_comment`` in any way (directly, through a group, or as
    a superuser) is a candidate; can_moderate decides, so authors only get their own posts.
    """
    holders = Q(is_superuser=True)
    holders |= Q(user_permissions__codename="moderate_comment") | Q(groups__permissions__codename="moderate_comment")
    # Only staff can log in to act on the email's links.
    users = (
        get_user_model()
        .objects.filter(holders, is_active=True, is_staff=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [user for user in users if can_moderate(user, comment)]
