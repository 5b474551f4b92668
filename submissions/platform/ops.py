"""What operators watch: the health of each dependency (/healthz) and the portal's own gauges
for Prometheus (/metrics). Reads only; every probe catches its own failure, so a part that is
down is reported as down and never breaks the answer (docs/operations.md)."""

import hmac
import logging
import os
import shutil
import time

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from submissions.models import OutboxMessage, Submission
from submissions.platform import tasks
from submissions.platform.abuse import client_ip

log = logging.getLogger(__name__)

OK, DOWN = "ok", "down"


class Down(Exception):
    """A part that answered, but not well: down, with what it said."""

    def __init__(self, reason, detail):
        super().__init__(reason)
        self.detail = {"error": reason, **detail}


def _probe(name, check):
    started = time.monotonic()
    try:
        detail = check() or {}
        state = OK
    except Down as exc:
        detail, state = exc.detail, DOWN
    except Exception as exc:  # a part that cannot be reached is down, whatever the error
        log.warning("healthz: %s is down: %s: %s", name, type(exc).__name__, exc)
        detail, state = {"error": type(exc).__name__}, DOWN
    detail["ms"] = round((time.monotonic() - started) * 1000, 1)
    return state, detail


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    ping = getattr(cache, "ping", None)  # our Redis backend: its set and get answer even while Redis is down
    if ping is not None:
        ping()
    key = "healthz-probe"
    cache.set(key, "1", 30)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")


def _storage():
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):  # the file system: the folder is there, writable, with room left
        location = storage.location
        os.makedirs(location, exist_ok=True)
        if not os.access(location, os.W_OK):
            raise PermissionError("media folder not writable")
        return {"free_bytes": shutil.disk_usage(location).free}
    storage.exists("healthz-probe")  # object storage: one request reaches the bucket
    return {}


def _worker():
    stats = tasks.queue_stats()
    detail = {
        "waiting": stats["waiting"],
        "oldest_waiting_seconds": round(stats["oldest_waiting_seconds"], 1),
        "failed": stats["failed"],
        "heartbeat_next_run": stats["heartbeat_next_run"].isoformat() if stats["heartbeat_next_run"] else None,
    }
    if not tasks.worker_alive(stats):
        raise Down("no worker heartbeat in the last two minutes", detail)
    return detail


def health():
    """(HTTP status, body). 200 while the database answers (the portal can serve: without the
    cache pages are built uncached; without a worker mail waits in the outbox), 503 without it."""
    parts = {"database": _database, "cache": _cache, "storage": _storage, "worker": _worker}
    body, details = {}, {}
    for name, check in parts.items():
        body[name], details[name] = _probe(name, check)
    if body["database"] != OK:
        status, overall = 503, "error"
    elif any(state != OK for state in body.values()):
        status, overall = 200, "degraded"
    else:
        status, overall = 200, "ok"
    return status, {"status": overall, **body, "details": details}


class PortalCollector:
    """The portal's own gauges, read from the database at each scrape."""

    def collect(self):
        entries = GaugeMetricFamily("portal_entries", "Entries by status.", labels=["status"])
        for row in Submission.objects.values("status").annotate(n=Count("pk")).order_by("status"):
            entries.add_metric([row["status"]], row["n"])
        yield entries
        yield GaugeMetricFamily(
            "portal_entries_submitted",
            "Entries ever submitted (not drafts).",
            value=Submission.objects.exclude(submitted_at=None).count(),
        )
        outbox = GaugeMetricFamily("portal_outbox_messages", "Outbox messages by state.", labels=["state"])
        counts = dict(OutboxMessage.objects.values_list("state").annotate(n=Count("pk")).order_by())
        for state in OutboxMessage.State.values:
            outbox.add_metric([state], counts.get(state, 0))
        yield outbox
        stats = tasks.queue_stats()
        yield GaugeMetricFamily("portal_tasks_waiting", "Tasks waiting for a worker.", value=stats["waiting"])
        yield GaugeMetricFamily("portal_tasks_running", "Tasks a worker holds.", value=stats["running"])
        yield GaugeMetricFamily("portal_tasks_failed", "Failed task runs kept.", value=stats["failed"])
        yield GaugeMetricFamily(
            "portal_tasks_oldest_waiting_seconds", "Age of the oldest waiting task.", value=stats["oldest_waiting_seconds"]
        )
        yield GaugeMetricFamily(
            "portal_worker_up", "1 when a worker's heartbeat is recent.", value=int(tasks.worker_alive(stats))
        )
        yield GaugeMetricFamily(
            "portal_scrape_timestamp_seconds", "When these gauges were read.", value=timezone.now().timestamp()
        )


def metrics_allowed(request):
    """The configured addresses (METRICS_ALLOWED_IPS), or the bearer token (METRICS_TOKEN)."""
    token = settings.METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
        return True
    return client_ip(request) in settings.METRICS_ALLOWED_IPS


def metrics_text():
    """Django's and the process's metrics (django-prometheus), then the portal's gauges."""
    import prometheus_client
    from prometheus_client import CollectorRegistry, multiprocess

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    portal = CollectorRegistry(auto_describe=False)
    portal.register(PortalCollector())
    return prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(portal)
