"""The old site's permalinks, whatever their structure (/?p=1, /2012/01/03/slug/, /archives/123, /slug/).

Like ``django.contrib.redirects``' fallback: only a request that would be a 404 here is
looked up among the imported posts' and pages' old addresses, and answered with a 301
to where the post or page lives now (when readers may see it).
"""

from django.http import HttpResponsePermanentRedirect

from blog.models import Page, Post
from wordpress.models import ImportedObject

MODELS = {ImportedObject.Kind.POST: Post, ImportedObject.Kind.PAGE: Page}


def candidates(request):
    path = request.path
    other = path[:-1] if path.endswith("/") else f"{path}/"
    full = request.get_full_path()
    # A NUL byte never was part of an address (and PostgreSQL refuses it in a query).
    return [value for value in dict.fromkeys([full, path, other]) if value and value != "/" and "\x00" not in value]


def new_address(request):
    """The current URL of the post or page an old address names, or None."""
    wanted = candidates(request)
    if not wanted:
        return None
    found = (
        ImportedObject.objects.filter(old_path__in=wanted, kind__in=list(MODELS), object_id__isnull=False)
        .order_by("source_id")
        .first()
    )
    if found is None:
        return None
    model = MODELS[found.kind]
    row = model.objects.filter(pk=found.object_id).first()
    if row is None:
        return None
    if model is Post and not row.is_published:
        return None
    if model is Page and Page.objects.public_at(row.path) is None:
        return None
    url = row.get_absolute_url()
    return url if url != request.path else None


class OldLinksMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        url = new_address(request)
        return HttpResponsePermanentRedirect(url) if url else response
