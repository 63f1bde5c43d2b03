"""The comments section of a post page: the thread, the form and who is replying to whom."""

from urllib.parse import unquote

from django.http import Http404

from blog.antispam import form_timestamp
from comments.forms import CommentForm
from comments.models import DiscussionSettings
from comments.selectors import comment_thread

REMEMBER_COOKIES = {"name": "comment_author", "email": "comment_author_email", "url": "comment_author_url"}
REMEMBER_MAX_AGE = 30_000_000  # about 347 days, as WordPress
OWN_COMMENTS_COOKIE = "own_comments"
OWN_COMMENTS_SALT = "comments.own"
OWN_COMMENTS_KEEP = 20


def int_or_none(raw):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**63 else None


def own_comment_ids(request):
    """Ids of held comments this browser posted (a signed cookie, so it cannot be forged)."""
    raw = request.get_signed_cookie(OWN_COMMENTS_COOKIE, default="", salt=OWN_COMMENTS_SALT)
    return [pk for pk in (int_or_none(part) for part in raw.split(",")) if pk]


def comment_form_for(request, post, discussion, parent_id=0):
    """An empty form for the post, prefilled from the remember-me cookies (so it works without JS)."""
    initial = {"post": post.pk, "parent": parent_id, "ts": form_timestamp(post.pk)}
    if not request.user.is_authenticated:
        saved = {field: unquote(request.COOKIES.get(cookie, "")) for field, cookie in REMEMBER_COOKIES.items()}
        if saved["name"] or saved["email"]:
            initial.update(saved, remember=True)
    return CommentForm(
        initial=initial,
        user=request.user,
        require_name_email=discussion.require_name_email,
        show_remember=discussion.show_comments_cookies_opt_in,
    )


def comments_context(request, post, form=None):
    """Everything the comments section of a post needs; raises Http404 for a bad comment page."""
    discussion = DiscussionSettings.load()
    preview = {}
    unapproved = int_or_none(request.GET.get("unapproved"))
    if unapproved:
        preview[unapproved] = request.GET.get("moderation-hash", "")
    for pk in own_comment_ids(request):
        preview[pk] = True
    thread = comment_thread(post=post, discussion=discussion, preview=preview, page=request.GET.get("cpage"))
    if thread is None:
        raise Http404("No such comment page.")
    closed = discussion.comments_closed_for(post)
    reply_to = None
    if form is None:
        candidate = thread.by_id.get(int_or_none(request.GET.get("replytocom")))
        if candidate is not None and candidate.is_approved and candidate.depth < discussion.max_depth and not closed:
            reply_to = candidate
        form = comment_form_for(request, post, discussion, parent_id=reply_to.pk if reply_to else 0)
    else:
        parent = thread.by_id.get(int_or_none(form.data.get("parent")))
        reply_to = parent if parent is not None and parent.is_approved else None
        # A fresh time stamp, so the corrected form can be sent again.
        form.data = form.data.copy()
        form.data["ts"] = form_timestamp(post.pk)
    return {
        "discussion": discussion,
        "thread": thread,
        "comments_closed": closed,
        "comment_form": form,
        "reply_to": reply_to,
        "max_depth": discussion.max_depth,
    }
