from urllib.parse import quote

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.log import log_response
from django.views.decorators.cache import never_cache

from blog.clients import client_ip
from blog.forms import SESSION_EXPIRED
from blog.models import Post
from blog.views import render_post
from comments import services
from comments.forms import CommentForm
from comments.models import Comment, DiscussionSettings
from comments.section import (
    OWN_COMMENTS_COOKIE,
    OWN_COMMENTS_KEEP,
    OWN_COMMENTS_SALT,
    REMEMBER_COOKIES,
    REMEMBER_MAX_AGE,
    int_or_none,
    own_comment_ids,
)
from comments.selectors import comment_page_number


def _remember(response, request, form):
    secure = request.is_secure()
    if form.cleaned_data.get("remember"):
        for field, cookie in REMEMBER_COOKIES.items():
            response.set_cookie(
                cookie,
                quote(form.cleaned_data.get(field) or ""),
                max_age=REMEMBER_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=secure,
            )
    else:
        for cookie in REMEMBER_COOKIES.values():
            response.delete_cookie(cookie, samesite="Lax")


def _remember_own(response, request, comment):
    ids = [comment.pk, *own_comment_ids(request)][:OWN_COMMENTS_KEEP]
    response.set_signed_cookie(
        OWN_COMMENTS_COOKIE,
        ",".join(map(str, ids)),
        salt=OWN_COMMENTS_SALT,
        max_age=30 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _post_only(request):
    """405 for anything but POST, as a page (someone followed or reloaded the address)."""
    response = TemplateResponse(request, "comments/post_only.html", status=405)
    response["Allow"] = "POST"
    log_response("Method Not Allowed (%s): %s", request.method, request.path, response=response, request=request)
    return response


def _comment_url(post, comment, discussion, request):
    """Where the writer lands: the post (on the comment's page when paging is on) at the comment.

    A held comment adds ?unapproved=<id>&moderation-hash=<hash> (in this order, as the contract says).
    """
    query = {}
    if not comment.is_approved:
        query = {"unapproved": comment.pk, "moderation-hash": comment.moderation_hash()}
    # This browser's held comments take places on the pages too (see comments_context).
    preview = dict.fromkeys(own_comment_ids(request), True)
    if comment.status == Comment.Status.PENDING:
        preview[comment.pk] = True
    page = comment_page_number(comment, discussion, preview)
    if page is not None:
        query["cpage"] = page
    url = post.get_absolute_url()
    return f"{url}?{urlencode(query)}#comment-{comment.pk}" if query else f"{url}#comment-{comment.pk}"


@never_cache
def comment_post(request):
    """POST /comments/post/: validate, store through comment_create, then 303 to the comment.

    Invalid input re-renders the article with the form (400, values kept);
    refusals keep their own status (409 duplicate, 429 too fast). Any other
    method gets a 405 page.
    """
    if request.method != "POST":
        return _post_only(request)
    post_id = int_or_none(request.POST.get("post"))
    post = get_object_or_404(Post.objects.published(), pk=post_id) if post_id else None
    if post is None:
        raise Http404("No such post.")
    discussion = DiscussionSettings.load()
    form = CommentForm(
        request.POST,
        user=request.user,
        discussion=discussion,
    )
    if not form.is_valid():
        return render_post(request, post, context={"comment_form": form}, status=400)
    data = form.cleaned_data
    try:
        comment = services.comment_create(
            post=post,
            body=data["body"],
            author_name=data.get("name", ""),
            author_email=data.get("email", ""),
            author_url=data.get("url", ""),
            parent_id=data.get("parent") or None,
            user=request.user,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            notify=data.get("notify", False),
            spam_reason=form.spam_reason,
            sent_quickly=form.sent_quickly,
        )
    except services.CommentRefused as refusal:
        # Errors about hidden fields (the parent) are shown above the form.
        visible = refusal.field in form.fields and not form[refusal.field].is_hidden
        form.add_error(refusal.field if visible else None, refusal.message)
        return render_post(request, post, context={"comment_form": form}, status=refusal.status_code)
    form.stamp_used()

    response = HttpResponseRedirect(_comment_url(post, comment, discussion, request), status=303)
    if not request.user.is_authenticated:
        _remember(response, request, form)
    if comment.status == comment.Status.PENDING:
        _remember_own(response, request, comment)
    return response


def comment_post_csrf_failure(request):
    """The article with the comment form and what was typed, when the session had expired (see config.views)."""
    post_id = int_or_none(request.POST.get("post"))
    post = Post.objects.published().filter(pk=post_id).first() if post_id else None
    if post is None:
        return None
    form = CommentForm(request.POST, user=request.user, discussion=DiscussionSettings.load())
    form.add_error(None, SESSION_EXPIRED)
    return render_post(request, post, context={"comment_form": form}, status=403)


comment_post.csrf_failure = comment_post_csrf_failure
