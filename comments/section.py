"""The comments section of a post page: the thread, the form and who is replying to whom."""

from urllib.parse import unquote

from django.http import Http404

from blog.antispam import form_timestamp
from comments.forms import CommentForm
from comments.models import Comment, DiscussionSettings
from comments.selectors import comment_page_number, comment_thread

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
        discussion=discussion,
    )


def preview_proofs(request):
    """Held comments this viewer may see: {id: moderation hash from the link, or True from the cookie}."""
    preview = {}
    unapproved = int_or_none(request.GET.get("unapproved"))
    if unapproved:
        preview[unapproved] = request.GET.get("moderation-hash", "")
    for pk in own_comment_ids(request):
        preview[pk] = True
    return preview


def _page_of(post, comment_id, discussion, preview):
    """The comment page holding an approved comment of the post (the one being replied to), else None."""
    comment = Comment.objects.approved().filter(post=post, pk=comment_id).only("pk", "post", "thread_root", "status")
    comment = comment.first()
    return comment_page_number(comment, discussion, preview) if comment is not None else None


def _may_reply_to(comment, discussion, closed):
    return comment is not None and comment.is_approved and comment.depth < discussion.max_depth and not closed


def comments_context(request, post, form=None):
    """Everything the comments section of a post needs; raises Http404 for a bad comment page.

    Also used for the page shown again after a refused comment, which answers at
    /comments/post/: links in the list then start with the post's URL.
    """
    discussion = DiscussionSettings.load()
    preview = preview_proofs(request)
    page = request.GET.get("cpage")
    replying_to = int_or_none(request.GET.get("replytocom") if form is None else form.data.get("parent"))
    if discussion.page_comments and page in (None, "") and replying_to:
        # A reply link without ?cpage= (emails, a refused reply): the page of that comment.
        page = _page_of(post, replying_to, discussion, preview)
    thread = comment_thread(post=post, discussion=discussion, preview=preview, page=page)
    if thread is None:
        raise Http404("No such comment page.")
    closed = discussion.comments_closed_for(post)
    candidate = thread.by_id.get(replying_to)
    reply_to = candidate if _may_reply_to(candidate, discussion, closed) else None
    if form is None:
        form = comment_form_for(request, post, discussion, parent_id=reply_to.pk if reply_to else 0)
    else:
        # The original stamp while still good (a fresh one would make a quick retry look like a bot).
        form.keep_stamp_for_retry(post.pk)
        if reply_to is None:
            # A parent that cannot be replied to (tampered, gone, too deep): post again as a new comment.
            form.data["parent"] = "0"
    return {
        "discussion": discussion,
        "thread": thread,
        "comments_closed": closed,
        "comment_form": form,
        "reply_to": reply_to,
        "max_depth": discussion.max_depth,
        # "" on the article itself (the contract's ?replytocom=<id>#respond), else the post's URL.
        "comment_base_url": "" if request.path == post.get_absolute_url() else post.get_absolute_url(),
    }
