import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponseNotAllowed, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import ListView, dates

from blog import search, services, share, signals, wordpress_urls
from blog.antispam import form_timestamp
from blog.clients import client_ip
from blog.forms import SESSION_EXPIRED, ShareByEmailForm
from blog.models import Category, Page, Post, Tag, display_name
from blog.structured_data import absolute

logger = logging.getLogger(__name__)

POSTS_PER_PAGE = 10
QUICK_SHARE_MESSAGE = gettext_lazy(
    "That was sent a moment after the page opened, as robots do. Please check the addresses and press Send again."
)


class PostListView(ListView):
    """The front page: published posts, sticky first, newest first."""

    template_name = "blog/post_list.html"
    paginate_by = POSTS_PER_PAGE
    context_object_name = "posts"

    def get(self, request, *args, **kwargs):
        # WordPress's /?p=, /?page_id= and /?s= addresses land here first.
        return wordpress_urls.redirect(request) or super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Post.objects.for_listing()


def render_post(request, post, *, context=None, status=200):
    """The article page: the post, plus what other apps add through the ``post_page`` signal.

    ``context`` carries what the caller already has, such as a form shown again
    with its errors; each receiver of the signal sees it and returns its own part.
    """
    context = {"post": post, **(context or {})}
    for _receiver, part in signals.post_page.send(sender=Post, request=request, post=post, context=context):
        context.update(part)
    return TemplateResponse(request, "blog/post_detail.html", context, status=status)


@require_safe
def post_detail(request, year, month, day, slug):
    """A post at its dated permalink; a stale date in the URL redirects to the right one."""
    posts = (
        wordpress_urls.with_shortlink_check(Post.objects.published())
        .select_related("author__author_profile", "featured_image")
        .prefetch_related("categories", "tags")
    )
    post = posts.filter(slug=slug).first()
    if post is None:
        # An address from before the slug changed: one permanent redirect to where the post is now.
        moved = Post.objects.published().filter(old_slugs__slug=slug).first()
        if moved is None:
            raise Http404("No such post.")
        return HttpResponsePermanentRedirect(moved.get_absolute_url())
    published = timezone.localtime(post.published_at)
    if (published.year, published.month, published.day) != (year, month, day):
        return HttpResponsePermanentRedirect(post.get_absolute_url())
    return wordpress_urls.with_shortlink(render_post(request, post), post)


def published_post_at(year, month, day, slug):
    """The published post at a dated permalink, or 404 (also for a wrong date)."""
    post = get_object_or_404(
        Post.objects.published().select_related("author__author_profile", "featured_image"), slug=slug
    )
    published = timezone.localtime(post.published_at)
    if (published.year, published.month, published.day) != (year, month, day):
        raise Http404("No post at this date.")
    return post


@never_cache
@require_safe
def share_network(request, year, month, day, slug, network):
    """Count a share, then send the reader to the network's own share page (no script, no tracker)."""
    if network not in share.SHARE_URLS:
        raise Http404("Unknown network.")
    post = published_post_at(year, month, day, slug)
    if request.method == "GET":  # a HEAD (link checkers, previews) counts nothing
        services.post_share(post=post, network=network, ip_address=client_ip(request))
    target = share.network_share_url(network, url=absolute(post.get_absolute_url()), title=post.title)
    response = HttpResponseRedirect(target)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def share_by_email(request, year, month, day, slug):
    """GET: the share-by-email form. POST: send, then 303 back to the post with "Thank you for sharing!"."""
    post = published_post_at(year, month, day, slug)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    status = 200
    if request.method == "POST":
        form = ShareByEmailForm(request.POST, post=post)
        status = 400
        if form.is_valid() and form.spam_reason:
            # Bots get the same answer as people and nothing is sent.
            logger.info("Share by email on post %s dropped: %s", post.pk, form.spam_reason)
            messages.success(request, _("Thank you for sharing!"))
            return HttpResponseRedirect(post.get_absolute_url(), status=303)
        if form.is_valid() and form.sent_quickly:
            # Robots answer at once; a person who pasted fast presses Send once more (the stamp is kept).
            form.add_error(None, QUICK_SHARE_MESSAGE)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.post_share_by_email(
                    post=post,
                    sender_name=data["name"],
                    sender_email=data["email"],
                    recipient=data["to"],
                    message=data["message"],
                    ip_address=client_ip(request),
                )
            except services.ShareRefused as refusal:
                form.add_error(None, refusal.message)
                status = refusal.status_code
            else:
                form.stamp_used()
                messages.success(request, _("Thank you for sharing!"))
                return HttpResponseRedirect(post.get_absolute_url(), status=303)
        form.keep_stamp_for_retry(post.pk)
    else:
        form = ShareByEmailForm(initial={"ts": form_timestamp(post.pk)}, post=post)
    return TemplateResponse(request, "blog/share_by_email.html", {"post": post, "form": form}, status=status)


def share_by_email_csrf_failure(request, year, month, day, slug):
    """The share form again with what was typed, when the session had expired (see config.views)."""
    post = Post.objects.published().filter(slug=slug).first()
    if post is None:
        return None
    form = ShareByEmailForm(request.POST, post=post)
    form.add_error(None, SESSION_EXPIRED)
    form.keep_stamp_for_retry(post.pk)
    return TemplateResponse(request, "blog/share_by_email.html", {"post": post, "form": form}, status=403)


share_by_email.csrf_failure = share_by_email_csrf_failure


class ArchiveView(ListView):
    """Published posts narrowed to one category, tag or author; an empty archive is a 404."""

    template_name = "blog/post_archive.html"
    paginate_by = POSTS_PER_PAGE
    allow_empty = False
    context_object_name = "posts"

    def get_archive(self):
        raise NotImplementedError

    def filter_posts(self, posts):
        raise NotImplementedError

    def get_queryset(self):
        self.archive = self.get_archive()
        return self.filter_posts(Post.objects.for_listing())

    def get_context_data(self, **kwargs):
        return super().get_context_data(archive=self.archive, archive_title=self.archive_title(), **kwargs)


class CategoryArchiveView(ArchiveView):
    """A category with the posts of its child categories; the heading shows its parents."""

    def get_archive(self):
        category = get_object_or_404(Category.objects.select_related("parent"), slug=self.kwargs["slug"])
        self.tree = Category.tree()
        return category

    def filter_posts(self, posts):
        return posts.filter(categories__in=self.tree.descendant_ids(self.archive.pk)).distinct()

    def archive_title(self):
        return _("Category: %(name)s") % {"name": self.archive.name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=self.tree.ancestors(self.archive.pk), **kwargs)


class TagArchiveView(ArchiveView):
    def get_archive(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def filter_posts(self, posts):
        return posts.filter(tags=self.archive)

    def archive_title(self):
        return _("Tag: %(name)s") % {"name": self.archive.name}


class AuthorArchiveView(ArchiveView):
    def get_archive(self):
        users = get_user_model().objects.select_related("author_profile")
        return get_object_or_404(users, username=self.kwargs["username"], is_active=True)

    def filter_posts(self, posts):
        return posts.filter(author=self.archive)

    def archive_title(self):
        return _("Author: %(name)s") % {"name": display_name(self.archive)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_author_archive=True, **kwargs)


class DateArchiveMixin:
    """Published posts of a year, month or day; an empty period is a 404."""

    template_name = "blog/post_archive.html"
    context_object_name = "posts"
    paginate_by = POSTS_PER_PAGE
    date_field = "published_at"
    allow_empty = False
    make_object_list = True
    month_format = "%m"
    title_format = "F Y"

    def get_queryset(self):
        return Post.objects.for_listing()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except (OverflowError, ValueError):
            # The day after 9999-12-31 (the "next" link) does not exist.
            raise Http404("No such date.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["archive_title"] = self.archive_title(context)
        return context


class YearArchiveView(DateArchiveMixin, dates.YearArchiveView):
    def archive_title(self, context):
        return _("Year: %(year)s") % {"year": self.get_year()}


class MonthArchiveView(DateArchiveMixin, dates.MonthArchiveView):
    def archive_title(self, context):
        return _("Month: %(month)s") % {"month": date_format(context["month"], "F Y")}


class DayArchiveView(DateArchiveMixin, dates.DayArchiveView):
    def archive_title(self, context):
        return _("Day: %(day)s") % {"day": date_format(context["day"], "F j, Y")}


@require_safe
def page_detail(request, path):
    """A static page by its path of slugs (/about/, /about/team/)."""
    # A NUL byte is in no page's path (and PostgreSQL refuses it in a query): a 404, not a 500.
    page = None if "\x00" in path else wordpress_urls.with_shortlink_check(Page.objects.all()).public_at(path)
    if page is None:
        raise Http404("No such page.")
    return wordpress_urls.with_shortlink(TemplateResponse(request, "blog/page_detail.html", {"page": page}), page)


class SearchView(ListView):
    """/search/?q=: published posts matching the words, best first, ten a page, words marked in an excerpt."""

    template_name = "blog/search.html"
    paginate_by = POSTS_PER_PAGE
    context_object_name = "posts"

    def get_queryset(self):
        self.search = search.search_posts(self.request.GET.get("q", ""))
        return self.search.posts

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search_query"] = self.search.query
        context["results"] = search.highlight_results(context["page_obj"].object_list, self.search.terms)
        return context
