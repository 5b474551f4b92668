"""The public site's URLs. Each area keeps its own module; templates mirror these paths."""

from django.urls import include, path

from submissions.column.views import public, sitemaps
from submissions.column.views import showcase as showcase_views
from submissions.intake.views import calls
from submissions.views import ops

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", ops.healthz, name="healthz"),
    path("metrics", ops.metrics, name="metrics"),
    path("form-token/", public.form_token, name="form-token"),
    path("submit/", calls.submit_current, name="submit"),
    path("call/", include(("submissions.urls.calls", "calls"))),
    path("track/", include(("submissions.urls.track", "track"))),
    path("", include(("submissions.urls.interview", "interview"))),  # /track/<token>/interview/…, /interview/…ics
    path("showcase/", include(("submissions.urls.showcase", "showcase"))),
    path("", include(("submissions.urls.results", "results"))),  # /results/<campaign>/, /verify/…
    path("notice/", include(("submissions.urls.notice", "notice"))),
    path("vote/", include(("submissions.urls.vote", "vote"))),
    path("recommend/", include(("submissions.urls.recommend", "recommend"))),
    path("experts/", include(("submissions.urls.experts", "experts"))),
    path("brands/", include(("submissions.urls.brands", "brands"))),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path("robots.txt", showcase_views.robots_txt, name="robots"),
    path("favicon.ico", showcase_views.favicon, name="favicon"),
]
