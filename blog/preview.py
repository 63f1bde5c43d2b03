"""Previews: a post or page shown as the site will show it, without saving; signed links for reviewers.

The admin (``blog.admin.preview``) builds the unsaved object from its form and
renders it here; a reviewer without an account opens ``/preview/<token>/``, a
link signed with a salt of its own that ends after ``PREVIEW_LINK_MAX_AGE``
seconds, or as soon as the post is saved again. Every preview page says so in
a banner, is kept out of caches and search engines, and is never listed:
feeds, sitemaps and search start from ``Post.objects.published()``.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from blog import tagging
from blog.models import Post, default_category
from blog.sanitize import sanitize_post_html
from blog.structured_data import absolute
from blog.views import render_post

PREVIEW_LINK_SALT = "blog.preview.link"
PREVIEW_VERSION_SALT = "blog.preview.version"
# An unsaved post has no id, and Django reads a post's categories and tags only through one; 0 is
# never a row's id, so the preview gives it that and hands it the chosen ones (no query).
UNSAVED_ID = 0


def mark_as_preview(response):
    """Never cached, never indexed: a preview is for the people it was shown to."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def post_from_form(form, *, user):
    """The post a valid admin form describes, unsaved, with what ``Post.save()`` would derive.

    The featured image is one from the media library (uploaded already), so it shows as chosen.
    """
    post = form.instance  # the form's clean() has put the typed values on it
    post.derive_fields()
    if not post.author_id:
        post.author = user
    now = timezone.now()
    # As WordPress: a draft previews with today's date, the one it would be published with.
    post.published_at = post.published_at or now
    post.created_at = post.created_at or now
    post.updated_at = post.updated_at or now
    if post.pk is None:
        post.pk = UNSAVED_ID
    categories = form.cleaned_data["categories"] if "categories" in form.cleaned_data else post.categories.all()
    tags = tagging.tags_named(form.cleaned_data["tag_names"]) if "tag_names" in form.cleaned_data else post.tags.all()
    # As saving will: no category chosen means the default one.
    post._prefetched_objects_cache = {"categories": list(categories) or [default_category()], "tags": list(tags)}
    return post


def page_from_form(form):
    """The page a valid admin form describes, unsaved, with its body cleaned and its path built."""
    page = form.instance
    page.body = sanitize_post_html(page.body)
    page.path = page.build_path()
    page.updated_at = page.updated_at or timezone.now()
    return page


def render_post_preview(request, post, *, notes=()):
    """The article page for ``post`` exactly as readers will get it, with the preview banner."""
    response = render_post(request, post, context={"preview": True, "preview_notes": notes})
    return mark_as_preview(response)


def render_page_preview(request, page):
    response = TemplateResponse(request, "blog/page_detail.html", {"page": page, "preview": True})
    return mark_as_preview(response)


def render_invalid_preview(request, form):
    """What keeps the form from being previewed, in the site's look (400); the editor keeps the text."""
    context = {"preview": True, "form": form, "errors": form_errors(form)}
    return mark_as_preview(TemplateResponse(request, "blog/preview_invalid.html", context, status=400))


def form_errors(form):
    """[(label or None, [messages])] for every error of the form, in the form's order."""
    errors = [(None, form.non_field_errors())] if form.non_field_errors() else []
    for name, messages in form.errors.items():
        if name != "__all__":
            field = form.fields.get(name)
            errors.append((field.label if field else name, messages))
    return errors


# Signed links.


def preview_version(post):
    """Changes whenever the post is saved: a link shows the saved state it was made for, or nothing."""
    return salted_hmac(
        PREVIEW_VERSION_SALT, f"{post.pk}:{post.updated_at.isoformat()}", algorithm="sha256"
    ).hexdigest()[:12]


def preview_link_token(post):
    return signing.dumps([post.pk, preview_version(post)], salt=PREVIEW_LINK_SALT)


def preview_link_url(post):
    """The absolute signed link to the saved post, for someone without an account."""
    return absolute(reverse("blog:shared_preview", kwargs={"token": preview_link_token(post)}))


def preview_link_expiry(now=None):
    return (now or timezone.now()) + datetime.timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE)


class PreviewLinkRefused(Exception):
    """A link that shows nothing: ``message`` says why, ``status`` is the page's status code."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message, self.status = message, status


def post_for_preview_link(token):
    """The post a signed link shows, or raises PreviewLinkRefused (expired, altered, replaced, gone)."""
    expired = _("This preview link has expired. Ask the author for a new one.")
    try:
        data = signing.loads(token, salt=PREVIEW_LINK_SALT, max_age=settings.PREVIEW_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise PreviewLinkRefused(expired, 403) from None
    except signing.BadSignature:
        raise PreviewLinkRefused(_("This preview link is not valid. Check that it was copied whole."), 404) from None
    post_id, version = data if isinstance(data, list) and len(data) == 2 else (None, None)
    post = None
    if isinstance(post_id, int):
        posts = Post.objects.select_related("author__author_profile", "featured_image").prefetch_related(
            "categories", "tags"
        )
        post = posts.filter(pk=post_id).first()
    if post is None:
        raise PreviewLinkRefused(_("This post no longer exists."), 404)
    if post.is_published:
        return post
    if version != preview_version(post):
        changed = _("This preview link has expired: the post has changed since. Ask the author for a new one.")
        raise PreviewLinkRefused(changed, 403)
    if post.status == Post.Status.PRIVATE:
        raise PreviewLinkRefused(expired, 403)
    return post


@never_cache
@require_safe
def shared_preview(request, token):
    """/preview/<token>/: the saved post for a reviewer; its permalink once published; else why not."""
    try:
        post = post_for_preview_link(token)
    except PreviewLinkRefused as refusal:
        context = {"message": refusal.message}
        response = TemplateResponse(request, "blog/preview_link_refused.html", context, status=refusal.status)
        return mark_as_preview(response)
    if post.is_published:
        return redirect(post)
    if not post.published_at:
        post.published_at = timezone.now()
    return render_post_preview(request, post)
