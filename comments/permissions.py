"""Who may moderate which comments, see whose addresses and skip the rules: the one place that answers it."""

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP

from comments.models import Comment, Subscription

# Readers' addresses and traces: only for those who may moderate every comment.
PRIVATE_FIELDS = {Comment: {"author_email", "ip_address", "user_agent"}, Subscription: {"email"}}


def can_moderate_all(user):
    """Moderators, editors and administrators moderate every comment (and see commenters' addresses)."""
    return bool(user and user.is_active and user.has_perm("comments.moderate_all_comments"))


def private_fields(model):
    """The fields of ``model`` that only users who moderate all comments may see, search or filter by."""
    if model is get_user_model():
        return {"email", "password"}
    return PRIVATE_FIELDS.get(model, set())


def lookup_reads_private_field(model, lookup):
    """Does an admin filter such as ``parent__author_email__startswith`` read a private field?"""
    for name in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # what follows are transforms and lookups (``__lower``, ``__startswith``)
        if field.name in private_fields(model):
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def is_trusted_commenter(user, post):
    """Does ``user`` skip the comment rules (closed post, flood check, moderation) on ``post``?

    The post's own author and those who moderate every comment do, as in WordPress; an
    author who moderates comments on their own posts is a reader on everyone else's.
    """
    if not (user and user.is_authenticated and user.is_active):
        return False
    return post.author_id == user.pk or can_moderate_all(user)


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
