"""Error pages that work when parts of the system do not.

The 500 handler renders without a request context, so it touches neither the database
(the site settings record) nor the session. When the failure was the database itself
(gone away, refused, locked for too long), the page says so with 503: try again shortly.
"""

import sys

from axes.helpers import get_cool_off, get_failure_limit
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.views.csrf import csrf_failure as django_csrf_failure

from submissions.column.views.showcase import comment_again
from submissions.platform import pagecache


def _page(template, status):
    response = HttpResponse(loader.get_template(template).render({}), status=status)
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = "120"
    return response


def not_found(request, exception=None):
    """handler404: one page per language (and section of the site, for the menu), from the page
    cache, whatever the path asked for: random paths neither render nor store a page each. A
    process keeps one copy per language and section (not one per path), so a flood of paths
    cannot push the column's pages out of its memory."""
    match = request.resolver_match
    section = (match.namespace, match.url_name) if match else ("", "")

    def render_page(shared):
        return render(request, "404.html", pagecache.NO_TOKEN if shared else {}, status=404)

    parts = ("404", get_language(), *section)
    return pagecache.whole_page(request, parts, render_page, path="/", status=404, local_key=parts)


def server_error(request):
    """handler500: 503 when the database is unreachable, 500 otherwise."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and "connection" in str(exc).lower()
    ):
        return _page("503.html", 503)
    return _page("500.html", 500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a comment gets its form back with what was typed (the article page is
    shared by every reader and its form fetches its token by script); anything else gets
    templates/403_csrf.html."""
    match = request.resolver_match
    if match is not None and match.view_name == "showcase:comment":
        return comment_again(request, **match.kwargs)
    return django_csrf_failure(request, reason)


def lockout(request, original_response=None, credentials=None):
    """django-axes: the page shown once a user name and address are locked out (429)."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 15
    context = {"failure_limit": get_failure_limit(request, credentials), "minutes": minutes}
    response = HttpResponse(loader.get_template("admin/lockout.html").render(context, request), status=429)
    response["Cache-Control"] = "no-store"
    return response
