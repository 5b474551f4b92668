"""The public site's URLs. Each area keeps its own module; templates mirror these paths."""

from django.urls import include, path

from submissions.views import calls, public

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", public.healthz, name="healthz"),
    path("submit/", calls.submit_current, name="submit"),
    path("call/", include(("submissions.urls.calls", "calls"))),
    path("track/", include(("submissions.urls.track", "track"))),
    path("showcase/", include(("submissions.urls.showcase", "showcase"))),
]
