from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from submissions.views.media import media

handler404 = "submissions.views.errors.not_found"
handler500 = "submissions.views.errors.server_error"

urlpatterns = [
    # The language switch needs no CSRF token, so that public pages carry nothing of any one
    # reader's and can be cached whole (submissions/platform/pagecache.py). A forged switch can only
    # change the language a visitor reads in.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("media/<path:path>", media, name="media"),
    path("", include("submissions.urls")),
]

if settings.BENCH_FLOOR_VIEW:  # benchmarks only: the floor that pages are measured against
    from portal.bench_floor import floor

    urlpatterns.insert(0, path("bench/floor", floor, name="bench-floor"))
