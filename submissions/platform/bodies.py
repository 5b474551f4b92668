"""Posts refused by their declared size before a byte of the body is read.

A view that takes files bounds its post: `@bodies.bounded(limit)` (a number or a callable giving one)
marks it, so that portal.middleware.CleanInputMiddleware leaves a body declared over the limit unread,
and exempts it from Django's CSRF middleware, whose check reads the body to find the token. The view
then refuses an oversize post by `declared_length()` first and asks `csrf_refusal()` before it
reads anything else: the CSRF check still holds for every post it goes on to read.
"""

from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt


def bounded(limit):
    def decorate(view):
        view = csrf_exempt(view)  # checked by the view itself, once the length is known (csrf_refusal)
        view.max_body_bytes = limit
        return view

    return decorate


def declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def csrf_refusal(request):
    """Django's own CSRF check, for a bounded view: the 403 response to send, or None."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
