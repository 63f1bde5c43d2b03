"""Pages behind the links in comment emails: moderate a held comment, confirm or cancel follow-ups.

Every link is checked before anything is shown; a bad, expired or used link
gets a page in the site's look with a 4xx status and changes nothing. GET
never changes anything (mail scanners follow links): each page asks for one
POST button.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from blog.models import Post
from comments import links, notifications, services
from comments.models import Comment, Subscription
from comments.moderation import ACTIONS
from comments.permissions import can_moderate


def _link_page(request, title, message, *, status, hint=""):
    context = {"title": title, "message": message, "hint": hint}
    return render(request, "comments/link_error.html", context, status=status)


def _link_error(request, error, *, hint=""):
    return _link_page(request, error.title, error.message, status=error.status_code, hint=hint)


def _forbidden(request):
    return _link_page(
        request,
        _("You may not moderate this comment"),
        _("You are logged in with an account that cannot moderate comments on this post. Nothing was done."),
        status=403,
    )


def _see_other(url):
    return HttpResponseRedirect(url, status=303)


@never_cache
@require_http_methods(["GET", "POST"])
def moderate(request, token):
    """GET /comments/moderate/<token>/: confirm one action on a held comment; POST does it.

    Logged out → the admin login, back here after. Tampered → 400, expired → 410,
    used or the comment changed since → 409, not allowed → 403; none changes anything.
    """
    hint = _("The comment can still be moderated in the admin.")
    try:
        comment_id, action, version = links.read_moderation_token(token)
    except links.LinkError as error:
        return _link_error(request, error, hint=hint)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        comment = links.find_comment(comment_id)
    except links.LinkError as error:
        return _link_error(request, error)
    if not can_moderate(request.user, comment):
        return _forbidden(request)

    if request.method == "POST":
        # Checked and acted on under the row lock: two clicks cannot both act.
        with transaction.atomic():
            try:
                comment = links.find_comment(comment_id, Comment.objects.select_for_update())
                links.check_unchanged(comment, version)
            except links.LinkError as error:
                return _link_error(request, error, hint=hint)
            services.comment_moderate(comment=comment, action=ACTIONS[action])
        return _see_other(reverse("comments:moderate_done", args=[comment_id]))

    try:
        links.check_unchanged(comment, version)
    except links.LinkError as error:
        return _link_error(request, error, hint=hint)
    context = {"comment": comment, "post": comment.post, "action": action, "action_label": ACTIONS[action].description}
    return render(request, "comments/moderate_confirm.html", context)


@never_cache
@login_required
def moderate_done(request, pk):
    """GET /comments/moderate/done/<id>/: where a moderation link leads after acting."""
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    if not can_moderate(request.user, comment):
        return _forbidden(request)
    return render(request, "comments/moderate_done.html", {"comment": comment, "post": comment.post})


@never_cache
@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    """GET /comments/subscriptions/confirm/<token>/: ask to confirm follow-up emails; POST confirms."""
    hint = _("Tick “Notify me of follow-up comments by email” on your next comment to get a new link.")
    try:
        post_id, email = links.read_confirm_token(token)
    except links.LinkError as error:
        return _link_error(request, error, hint=hint)
    subscription = Subscription.objects.select_related("post").filter(post_id=post_id, email=email).first()
    if subscription is None:
        return _link_page(
            request,
            _("There is nothing to confirm"),
            _("This subscription was cancelled after the email was sent."),
            status=410,
            hint=hint,
        )
    if request.method == "POST":
        notifications.subscription_confirm(post_id=post_id, email=email)
        return _see_other(request.path)
    context = {
        "subscription": subscription,
        "post": subscription.post,
        "unsubscribe_url": links.unsubscribe_url(subscription),
    }
    return render(request, "comments/subscription_confirm.html", context)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET /comments/unsubscribe/<token>/: a page with one button; POST unsubscribes.

    The signed token is the secret, so the POST needs no CSRF token: mail programs
    send RFC 8058's one-click POST (body ``List-Unsubscribe=One-Click``) without a session.
    """
    try:
        post_id, email = links.read_unsubscribe_token(token)
    except links.LinkError as error:
        return _link_error(request, error)
    post = Post.objects.filter(pk=post_id).first()
    if request.method == "POST":
        notifications.subscription_cancel(post_id=post_id, email=email)
        if request.POST.get("List-Unsubscribe") != "One-Click":
            return _see_other(request.path)
    subscribed = Subscription.objects.filter(post_id=post_id, email=email).exists()
    return render(request, "comments/unsubscribe.html", {"post": post, "email": email, "subscribed": subscribed})
