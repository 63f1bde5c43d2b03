import logging

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from blog.models import Category, Post, Tag
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


class ArchiveView(ListView):
    """Published posts narrowed to one category, tag or author."""

    template_name = "blog/post_archive.html"
    paginate_by = POSTS_PER_PAGE
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
    def get_archive(self):
        return get_object_or_404(Category, slug=self.kwargs["slug"])

    def filter_posts(self, posts):
        return posts.filter(categories=self.archive)

    def archive_title(self):
        return _("Category: %(name)s") % {"name": self.archive.name}


class TagArchiveView(ArchiveView):
    def get_archive(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def filter_posts(self, posts):
        return posts.filter(tags=self.archive)

    def archive_title(self):
        return _("Tag: %(name)s") % {"name": self.archive.name}


class AuthorArchiveView(ArchiveView):
    def get_archive(self):
        return get_object_or_404(get_user_model(), username=self.kwargs["username"], is_active=True)

    def filter_posts(self, posts):
        return posts.filter(author=self.archive)

    def archive_title(self):
        return _("Author: %(name)s") % {"name": self.archive.get_full_name() or self.archive.username}


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


def server_error(request):
    # Rendered without the request context: whatever failed may be in it.
    return render(None, "500.html", status=500)
