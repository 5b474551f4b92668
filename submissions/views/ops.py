"""The operators' two URLs: /healthz (for load balancers and people) and /metrics (Prometheus)."""

from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from submissions.platform import ops


@never_cache
@require_GET
def healthz(request):
    """Each part's state (database, cache, storage, worker); 200 while the portal can serve."""
    status, body = ops.health()
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@never_cache
@require_GET
def metrics(request):
    """Prometheus metrics, for the configured addresses or the bearer token only."""
    if not ops.metrics_allowed(request):
        return HttpResponseForbidden("forbidden\n", content_type="text/plain")
    from prometheus_client import CONTENT_TYPE_LATEST

    return HttpResponse(ops.metrics_text(), content_type=CONTENT_TYPE_LATEST)
