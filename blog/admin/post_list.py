"""The posts list's comfort, as in WordPress: status and month filters, and bulk actions.

Each action works only on the selected posts the user may change (blog.permissions);
the others are left alone and counted in the message. Publishing needs
``blog.publish_post``: a contributor is not offered it, and a forged request for it
gets the admin's "No action selected".
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from blog import services, tagging
from blog.models import Category, Post
from blog.permissions import can_change_post, can_publish_posts


class StatusFilter(admin.SimpleListFilter):
    """Status as authors think of it: a published post still to come is Scheduled."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (Post.Status.DRAFT, Post.Status.DRAFT.label),
            (Post.Status.PENDING, Post.Status.PENDING.label),
            ("scheduled", _("Scheduled")),
            (Post.Status.PUBLISHED, Post.Status.PUBLISHED.label),
            (Post.Status.PRIVATE, Post.Status.PRIVATE.label),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "scheduled":
                return queryset.filter(status=Post.Status.PUBLISHED, published_at__gt=now)
            case Post.Status.PUBLISHED:
                return queryset.filter(status=Post.Status.PUBLISHED, published_at__lte=now)
            case Post.Status.DRAFT | Post.Status.PENDING | Post.Status.PRIVATE as status:
                return queryset.filter(status=status)
        return queryset


class MonthFilter(admin.SimpleListFilter):
    """WordPress's "All dates": the months that have posts (their publication, else creation, month)."""

    title = _("month")
    parameter_name = "month"

    def lookups(self, request, model_admin):
        months = (
            model_admin.get_queryset(request)
            .annotate(month=TruncMonth("published_at"))
            .exclude(month=None)
            .values_list("month", flat=True)
            .order_by("-month")
            .distinct()
        )
        return [(month.strftime("%Y-%m"), date_format(month, "YEAR_MONTH_FORMAT")) for month in months]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            year, month = (int(part) for part in self.value().split("-"))
            if not 1 <= month <= 12 or not 1 <= year <= 9998:
                raise ValueError
        except ValueError:
            # A hand-typed value: no post is from "2026-13", as for any other filter value.
            return queryset.none()
        return queryset.filter(published_at__year=year, published_at__month=month)


class TaxonomyChoiceForm(forms.Form):
    """The category and the tag the two taxonomy actions need."""

    category = forms.ModelChoiceField(
        Category.objects.all(), required=False, label=_("Category"), empty_label=_("— category —")
    )
    tag = forms.CharField(required=False, max_length=100, label=_("Tag"))


class PostActionForm(TaxonomyChoiceForm, ActionForm):
    """The actions bar, with the taxonomy actions' fields beside the action."""


def _changeable(request, queryset):
    """The selected posts the user may change, and how many others were left alone."""
    posts = [post for post in queryset if can_change_post(request.user, post)]
    return posts, len(queryset) - len(posts)


def _report(modeladmin, request, skipped, message):
    modeladmin.message_user(request, message, messages.SUCCESS)
    if skipped:
        left = ngettext(
            "%(count)d post was left alone: you may not change it.",
            "%(count)d posts were left alone: you may not change them.",
            skipped,
        )
        modeladmin.message_user(request, left % {"count": skipped}, messages.WARNING)


def _save_with_status(request, queryset, status):
    """Give the selected posts the user may change ``status``, through post_save; (saved, skipped)."""
    posts, skipped = _changeable(request, queryset)
    for post in posts:
        post.status = status  # a scheduled post keeps its time; a draft without one goes live now
        services.post_save(post=post, user=request.user)
    return len(posts), skipped


@admin.action(permissions=["publish"], description=_("Publish selected posts"))
def publish(modeladmin, request, queryset):
    done, skipped = _save_with_status(request, queryset, Post.Status.PUBLISHED)
    message = ngettext("%(count)d post published.", "%(count)d posts published.", done)
    _report(modeladmin, request, skipped, message % {"count": done})


@admin.action(permissions=["publish"], description=_("Unpublish selected posts (back to draft)"))
def unpublish(modeladmin, request, queryset):
    done, skipped = _save_with_status(request, queryset, Post.Status.DRAFT)
    message = ngettext("%(count)d post moved back to draft.", "%(count)d posts moved back to draft.", done)
    _report(modeladmin, request, skipped, message % {"count": done})


@admin.action(permissions=["change"], description=_("Move selected posts to the chosen category"))
def move_to_category(modeladmin, request, queryset):
    form = TaxonomyChoiceForm(request.POST)
    if not form.is_valid() or form.cleaned_data["category"] is None:
        modeladmin.message_user(request, _("Choose a category to move the posts to."), messages.ERROR)
        return
    category = form.cleaned_data["category"]
    posts, skipped = _changeable(request, queryset)
    for post in posts:
        post.categories.set([category])
    message = ngettext(
        "%(count)d post moved to “%(category)s”.", "%(count)d posts moved to “%(category)s”.", len(posts)
    )
    _report(modeladmin, request, skipped, message % {"count": len(posts), "category": category.name})


@admin.action(permissions=["change"], description=_("Add the typed tag to selected posts"))
def add_tag(modeladmin, request, queryset):
    form = TaxonomyChoiceForm(request.POST)
    name = form.cleaned_data["tag"].strip() if form.is_valid() else ""
    if not name:
        modeladmin.message_user(request, _("Type the tag to add to the posts."), messages.ERROR)
        return
    try:
        [tag] = tagging.tags_from_names([name], may_create=request.user.has_perm("blog.add_tag"))
    except tagging.TagsRefused as refused:
        modeladmin.message_user(request, refused.message, messages.ERROR)
        return
    posts, skipped = _changeable(request, queryset)
    for post in posts:
        post.tags.add(tag)
    message = ngettext("Tag “%(tag)s” added to %(count)d post.", "Tag “%(tag)s” added to %(count)d posts.", len(posts))
    _report(modeladmin, request, skipped, message % {"count": len(posts), "tag": tag.name})


ACTIONS = [publish, unpublish, move_to_category, add_tag]


def has_publish_permission(request):
    return can_publish_posts(request.user)
