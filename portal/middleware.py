from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from portal.text import strip_controls


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the reader chose another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language; a campaign portal for
    Chinese organizations speaks Chinese by default, whatever the phone's settings, and
    English only for those who ask for it (the choice is kept in the language cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The language comes from a cookie: a page that is the same for every reader without
        # cookies (submissions/platform/pagecache.py) must not be reused for one who chose English.
        patch_vary_headers(response, ("Cookie",))
        return super().process_response(request, response)


class CleanInputMiddleware:
    """One place where every request's text is made safe, before any view or form sees it.

    - A NUL in the path is a 404 (no page has such an address); in the query string or a posted
      field (name or value) a 400: no browser sends one, and PostgreSQL cannot store or even
      compare it.
    - Every other control character (but newline and tab) is removed from every posted value:
      public forms, tracking and revision, comments, the admin alike (`portal/text.py`).

    A view that bounds its own body (a function attribute `max_body_bytes`, a number or a callable
    giving one: the video upload) is not read here when the declared length is over it: the view
    refuses it, with its message beside the field, before a byte of the body is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("NUL in the path")  # no page has such an address
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.GET.urlencode():
            raise BadRequest("NUL in the query string")
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if not self.over_view_bound(request):
                request._post = self.cleaned(request.POST)
        return self.get_response(request)

    @staticmethod
    def over_view_bound(request):
        try:
            bound = getattr(resolve(request.path_info).func, "max_body_bytes", None)
        except Resolver404:
            return False
        if bound is None:
            return False
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return length > (bound() if callable(bound) else bound)

    @staticmethod
    def cleaned(post):
        cleaned = QueryDict(mutable=True, encoding=post.encoding)
        for key, values in post.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("NUL in a posted field")
            cleaned.setlist(key, [strip_controls(value) for value in values])
        cleaned._mutable = False
        return cleaned
