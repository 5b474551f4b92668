"""Gunicorn settings for production: `gunicorn -c portal/gunicorn.conf.py portal.wsgi`.

Every value can be changed from the environment (docs/deploy.md):

- GUNICORN_WORKERS: worker processes. Default 2 × CPU cores + 1, the usual figure for sync
  workers whose requests wait on the database part of the time (2 cores: 5 workers).
- GUNICORN_THREADS: threads per worker (default 1: plain sync workers).
- GUNICORN_BIND: address to listen on (default 127.0.0.1:8000; nginx proxies to it).
- GUNICORN_TIMEOUT: seconds before a stuck worker is restarted (default 60; a request with
  nine 10 MB photos takes a few seconds on a slow core).
- GUNICORN_MAX_REQUESTS: recycle a worker after this many requests (default 0: never; with
  jitter of half the figure when set). Recycling every 2000 requests cost the whole server a
  third of its requests per second and a p99 of 80 ms instead of 8 (issue 17): five workers
  restarting close together, each importing Django again. Memory is watched instead:
- GUNICORN_MAX_WORKER_MB: a worker whose peak resident memory passes this many megabytes
  (default 512) finishes the request it is serving and is replaced, so a slow leak cannot
  grow for ever. 0 turns it off.
- GUNICORN_ACCESS_LOG: "-" for stdout, a path, or empty for none (nginx keeps the access log).
"""

import multiprocessing
import os
import resource


def _number(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


cores = multiprocessing.cpu_count()
workers = _number("GUNICORN_WORKERS", 2 * cores + 1)
threads = _number("GUNICORN_THREADS", 1)
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
timeout = _number("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
max_requests = _number("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 2
max_worker_mb = _number("GUNICORN_MAX_WORKER_MB", 512)
# The proxy in front (nginx on this machine) may tell us the client's scheme and address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Request line and headers bounded; the body size is bounded by nginx (client_max_body_size)
# and by Django (DATA_UPLOAD_MAX_* in settings).
limit_request_line = 8190
limit_request_fields = 100
# Uploads are spooled to /tmp; keep worker heartbeat files off a slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (heartbeat files only)


def post_request(worker, req, environ, resp):
    """Replace a worker that has grown past GUNICORN_MAX_WORKER_MB, after this request (the
    arbiter starts a new one; the others go on serving). ru_maxrss is in kilobytes on Linux."""
    if max_worker_mb and resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > max_worker_mb * 1024:
        worker.log.warning("worker %s past %s MB: replaced after this request", worker.pid, max_worker_mb)
        worker.alive = False
