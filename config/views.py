"""Site-wide answers that belong to no app: error pages, the CSRF refusal, health check, robots.txt, favicon."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from blog.structured_data import absolute

logger = logging.getLogger(__name__)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    # Rendered without the request context: whatever failed may be in it.
    return render(None, "500.html", status=500)


def csrf_failure(request, reason=""):
    """A refused CSRF check (403): a form view that can show its form again with what was typed does so.

    Such a view carries a ``csrf_failure`` function (request and the URL's
    arguments → a response, or None when it cannot); the others get the site's
    403 page explaining what happened.
    """
    if request.method == "POST":
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        show_form_again = getattr(match.func, "csrf_failure", None) if match else None
        if show_form_again is not None:
            response = show_form_again(request, *match.args, **match.kwargs)
            if response is not None:
                return response
    return render(request, "403.html", {"csrf_failed": True}, status=403)


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
