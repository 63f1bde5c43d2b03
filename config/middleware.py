"""Middleware for the whole site."""

from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.security import SecurityMiddleware


class SecurityHeadersOnEveryResponseMiddleware:
    """The security headers on responses made before the rest of the stack ran.

    SecurityMiddleware answers a request for a disallowed Host (400) from its own
    ``process_request``, so neither it nor the later middleware add their headers to
    that page. Placed first, this adds whatever is missing, the same way they
    would; on every other response the headers are already there and nothing changes.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header_makers = [
            SecurityMiddleware(get_response),
            XFrameOptionsMiddleware(get_response),
            ContentSecurityPolicyMiddleware(get_response),
        ]

    def __call__(self, request):
        response = self.get_response(request)
        for middleware in self.header_makers:
            response = middleware.process_response(request, response)
        return response
