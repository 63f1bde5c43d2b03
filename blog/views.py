import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, dates

from blog import search, services, share
from blog.antispam import form_timestamp, retry_timestamp
from blog.clients import client_ip
from blog.forms import ShareByEmailForm
from blog.models import Category, Page, Post, Tag, display_name
from blog.structured_data import absolute
from comments.forms import CommentForm
from comments.models import DiscussionSettings
from comments.section import comments_context

logger = logging.getLogger(__name__)

POSTS_PER_PAGE = 10


class PostListView(ListView):
    """The front page: published posts, sticky first, newest first."""

    template_name = "blog/post_list.html"
    paginate_by = POSTS_PER_PAGE
    context_object_name = "posts"

    def get_queryset(self):
        return Post.objects.for_listing()


def render_post(request, post, *, comment_form=None, status=200):
    """The article page; also used to show the comment form again with its errors."""
    context = {"post": post, **comments_context(request, post, form=comment_form)}
    return TemplateResponse(request, "blog/post_detail.html", context, status=status)


class PostDetailView(DetailView):
    """A post at its dated permalink; a stale date in the URL redirects to the right one."""

    template_name = "blog/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        posts = Post.objects.published().select_related("author").prefetch_related("categories", "tags")
        return get_object_or_404(posts, slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        day = timezone.localtime(self.object.published_at)
        if (day.year, day.month, day.day) != (self.kwargs["year"], self.kwargs["month"], self.kwargs["day"]):
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return render_post(request, self.object)


def published_post_at(year, month, day, slug):
    """The published post at a dated permalink, or 404 (also for a wrong date)."""
    post = get_object_or_404(Post.objects.published().select_related("author"), slug=slug)
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
        if form.is_valid():
            data = form.cleaned_data
            if form.spam_reason:
                # Bots get the same answer as people and nothing is sent.
                logger.info("Share by email on post %s dropped: %s", post.pk, form.spam_reason)
                messages.success(request, _("Thank you for sharing!"))
                return HttpResponseRedirect(post.get_absolute_url(), status=303)
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
        else:
            status = 400
        form.data = form.data.copy()
        form.data["ts"] = retry_timestamp(form.data.get("ts"), post.pk)
    else:
        form = ShareByEmailForm(initial={"ts": form_timestamp(post.pk)}, post=post)
    return TemplateResponse(request, "blog/share_by_email.html", {"post": post, "form": form}, status=status)


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
    page = Page.objects.public_at(path)
    if page is None:
        raise Http404("No such page.")
    return TemplateResponse(request, "blog/page_detail.html", {"page": page})


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers a query, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


SESSION_EXPIRED = _lazy(
    "Your session had expired, so nothing was sent. Your text is kept below: please send it again."
)


def csrf_failure(request, reason=""):
    """A refused CSRF check: the comment or share form comes back with what was typed (403)."""
    try:
        match = resolve(request.path_info)
    except Http404:
        match = None
    if request.method == "POST" and match is not None:
        if match.view_name == "comments:post":
            post_id = request.POST.get("post", "")
            post = Post.objects.published().filter(pk=post_id).first() if post_id.isdigit() else None
            if post is not None:
                discussion = DiscussionSettings.load()
                form = CommentForm(
                    request.POST,
                    user=request.user,
                    discussion=discussion,
                )
                form.add_error(None, SESSION_EXPIRED)
                return render_post(request, post, comment_form=form, status=403)
        if match.view_name == "blog:share_by_email":
            post = Post.objects.published().filter(slug=match.kwargs.get("slug")).first()
            if post is not None:
                form = ShareByEmailForm(request.POST, post=post)
                form.add_error(None, SESSION_EXPIRED)
                form.data = form.data.copy()
                form.data["ts"] = retry_timestamp(form.data.get("ts"), post.pk)
                return TemplateResponse(request, "blog/share_by_email.html", {"post": post, "form": form}, status=403)
    return render(request, "403.html", {"csrf_failed": True}, status=403)


def server_error(request):
    # Rendered without the request context: whatever failed may be in it.
    return render(None, "500.html", status=500)


@require_safe
def robots_txt(request):
    """Crawler rules: keep out of the admin and the comment endpoints (not their feed); name the sitemap."""
    # Allow before Disallow: parsers that take the first matching rule (Python's, older bots)
    # then agree with RFC 9309's longest match.
    lines = [
        "User-agent: *",
        "Allow: /comments/feed/",
        "Disallow: /admin/",
        "Disallow: /comments/",
        "Disallow: /*/share/",
        "",
        f"Sitemap: {absolute(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


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
