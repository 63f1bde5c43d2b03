"""Signals blog sends so that other apps add to its pages without blog importing them."""

from django.dispatch import Signal

# Sent while the article page is assembled, with ``request``, ``post`` and ``context`` (what the
# view has so far, e.g. a form shown again with its errors). Each receiver returns a dict that is
# added to the page's context: the comments app adds its section this way.
post_page = Signal()
