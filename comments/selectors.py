"""Reading comments for display: the whole thread of a post from one ordered query."""

import bisect
import datetime
import hashlib
import hmac
from dataclasses import dataclass, field

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Q
from django.utils import timezone

from comments.models import Comment, DiscussionSettings


@dataclass
class Thread:
    """What the comments section of a post shows."""

    roots: list
    count: int
    by_id: dict = field(default_factory=dict)
    # The page of thread roots shown (a Django Page of top-level comment ids); None when paging is off.
    page_obj: Page | None = None
    # Set when the rendered list may be cached: it then changes whenever a shown comment does.
    cache_key: str | None = None

    @property
    def page(self):
        return self.page_obj.number if self.page_obj else 1

    @property
    def num_pages(self):
        return self.page_obj.paginator.num_pages if self.page_obj else 1

    @property
    def has_other_pages(self):
        return self.page_obj is not None and self.page_obj.has_other_pages()


def _paginator(threads, discussion):
    """Pages of thread roots: ``comments_per_page`` top-level comments each (at least one page)."""
    return Paginator(threads, max(discussion.comments_per_page, 1))


def _page(paginator, raw, default_page):
    """The page ``raw`` (a ?cpage= value) names, or the default one when empty; None when there is no such page."""
    if raw in (None, ""):
        # WordPress's "page displayed by default": the last page (newest) or the first.
        raw = paginator.num_pages if default_page == DiscussionSettings.DefaultPage.NEWEST else 1
    try:
        return paginator.page(raw)
    except InvalidPage:
        return None


# How long the ?unapproved=…&moderation-hash=… link shows a held comment (WordPress: 10 minutes).
PREVIEW_LINK_LIFETIME = datetime.timedelta(minutes=10)


def _may_preview(comment, proof, now):
    """A held comment is shown to its writer: a signed-cookie id (True) or a fresh, valid hash."""
    if proof is True:
        return True
    return (
        isinstance(proof, str)
        and now - comment.created_at <= PREVIEW_LINK_LIFETIME
        and hmac.compare_digest(proof, comment.moderation_hash())
    )


def _page_threads(post_id, preview, now):
    """Thread roots (top-level comment ids) in page order: every thread with an approved
    comment, plus the threads of the held comments this viewer may see (``preview``)."""
    roots = set(
        Comment.objects.approved()
        .filter(post_id=post_id)
        .exclude(thread_root=None)
        .order_by("thread_root")
        .values_list("thread_root", flat=True)
        .distinct()
    )
    if preview:
        held = Comment.objects.pending().filter(post_id=post_id, pk__in=list(preview)).exclude(thread_root=None)
        roots.update(
            comment.thread_root
            for comment in held.only("pk", "created_at", "thread_root")
            if _may_preview(comment, preview.get(comment.pk), now)
        )
    return sorted(roots)


def comment_page_number(comment, discussion, preview=None):
    """The comment page holding ``comment``'s thread, as its writer sees it; None when paging is off.

    ``preview`` is the viewer's proofs for held comments (as for comment_thread):
    their threads take places on the pages too. A held or approved comment counts
    even without a proof (its writer is shown it); for any other comment (spam,
    trash) the page its thread would be on, at most the last page.
    """
    if not discussion.page_comments:
        return None
    roots = _page_threads(comment.post_id, preview or {}, timezone.now())
    root = comment.thread_root or comment.pk
    if root not in roots and comment.is_live:
        bisect.insort(roots, root)
    paginator = _paginator(roots, discussion)
    return min(bisect.bisect_left(roots, root) // paginator.per_page + 1, paginator.num_pages)


def comment_thread(*, post, discussion, preview=None, page=None):
    """Approved comments of ``post`` (plus the viewer's own held ones) as a nested tree.

    Ordered by path (depth-first, oldest first) in a single query; each
    comment gets ``children`` and ``display_depth``. A reply whose parent is
    not shown hangs from its nearest shown ancestor, so removing a comment
    never hides the replies below it. With paging on, one page holds a fixed
    number of top-level threads (a Paginator over the thread ids, which one
    more query finds; two when the viewer has held comments to preview: their
    threads get places too). Returns None for a page number that does not exist.
    """
    visible = Q(status=Comment.Status.APPROVED)
    preview = preview or {}
    if preview:
        visible |= Q(pk__in=list(preview), status=Comment.Status.PENDING)
    comments = Comment.objects.for_post(post).filter(visible)
    page_obj, now = None, timezone.now()
    if discussion.page_comments:
        paginator = _paginator(_page_threads(post.pk, preview, now), discussion)
        page_obj = _page(paginator, page, discussion.default_comments_page)
        if page_obj is None:
            return None
        comments = comments.filter(thread_root__in=page_obj.object_list)
    elif page not in (None, "", "1"):
        return None

    roots, by_id, approved = [], {}, 0
    for comment in comments:
        if not comment.is_approved and not _may_preview(comment, preview.get(comment.pk), now):
            continue
        comment.children = []
        approved += comment.is_approved
        shown_parent = next((by_id[pk] for pk in comment.ancestor_ids if pk in by_id), None)
        if shown_parent is None:
            comment.display_depth = 1
            roots.append(comment)
        else:
            comment.display_depth = shown_parent.display_depth + 1
            shown_parent.children.append(comment)
        by_id[comment.pk] = comment
    if discussion.comment_order == DiscussionSettings.Order.DESC:
        roots.reverse()
    cache_key = None
    if approved == len(by_id):  # nobody's held comment is on show
        fingerprint = hashlib.sha256()
        for comment in by_id.values():
            fingerprint.update(f"{comment.pk}:{comment.updated_at.timestamp()};".encode())
        cache_key = f"{post.pk}:{post.author_id}:{page_obj.number if page_obj else 1}:{fingerprint.hexdigest()}"
    count = approved if not discussion.page_comments else Comment.objects.approved().filter(post=post).count()
    return Thread(roots=roots, count=count, by_id=by_id, page_obj=page_obj, cache_key=cache_key)
