from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
        # cookies (submissions/pagecache.py) must not be reused for one who chose English.
        patch_vary_headers(response, ("Cookie",))
        return super().process_response(request, response)
