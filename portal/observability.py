"""The request id: set for every request, returned as a header and carried by every log record.

An id sent by the proxy in front (`X-Request-ID`, e.g. nginx's `$request_id`) is kept when it
looks like one (8-64 letters, digits, `-`, `_`, `.`); otherwise a new one is made. Log records
of a request carry it as `request_id`; records outside a request (a worker, a command) carry "-".
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_current = contextvars.ContextVar("request_id", default="-")


def current():
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = given if _VALID.fullmatch(given) else uuid.uuid4().hex
        token = _current.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.id
        return response


class NotFoundFilter(logging.Filter):
    """Drops django.request's "Not Found" warnings: the proxy's access log has every 404 already,
    and a scan of random paths would otherwise write a log line per request here too (the 404
    page itself is served from the page cache: submissions.views.errors.not_found)."""

    def filter(self, record):
        return getattr(record, "status_code", None) != 404


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True


def iso_time(created):
    """A log record's time with its offset, to the millisecond, in the site's time zone
    (2026-12-06T23:15:01.123+08:00): one reading for the portal's, the worker's and gunicorn's lines."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.conf import settings

    return datetime.fromtimestamp(created, tz=ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="milliseconds")


class IsoTimeFormatter(logging.Formatter):
    """The text log format, its time as iso_time()."""

    def formatTime(self, record, datefmt=None):
        return iso_time(record.created)


def json_formatter(*args, **kwargs):
    """python-json-logger's formatter, its time as iso_time() (built lazily: only when LOG_FORMAT=json)."""
    from pythonjsonlogger.json import JsonFormatter

    class IsoJsonFormatter(JsonFormatter):
        def formatTime(self, record, datefmt=None):
            return iso_time(record.created)

    return IsoJsonFormatter(*args, **kwargs)
