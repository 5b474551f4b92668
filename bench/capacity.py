"""The figures of docs/deploy.md's capacity table that this machine can give.

`python -m bench.capacity [--quick]`, against PostgreSQL (a fresh <prefix>_capacity database):
- **posts per second per core**: one gunicorn worker takes entries with three photos of
  1600×1200 (the size a phone sends once the form has shrunk them) one after another; the CPU
  time of the server's processes (/proc) over the posts gives the server's CPU per post;
- **connections per process**: PostgreSQL's connections to the database (pg_stat_activity)
  held by gunicorn with 1 and with 3 workers after each has answered, and by `manage.py worker`
  (TASK_WORKERS=2) on each broker;
- **queue polls**: reads of the queue table django_q_ormq (pg_stat_user_tables: sequential and
  index scans) by one idle `manage.py worker` over a fixed time, on the database broker and on
  the Redis broker.
"""

import os
import signal
import subprocess
import time
from pathlib import Path

import psycopg2

from bench.common import (
    PYTHON,
    ROOT,
    Target,
    base_env,
    cli,
    db_name,
    django_run,
    ensure_pg_database,
    manage,
    server,
    table,
)
from bench.load import Stats, photo_bytes, request, submitter

TICKS = os.sysconf("SC_CLK_TCK")
QUEUE_REDIS = os.environ.get("BENCH_QUEUE_REDIS_URL", "redis://127.0.0.1:6379/13")


def cpu_seconds(root):
    """User and system CPU time of process `root` and its children (gunicorn's master and workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if root in (pid, ppid):
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def connections(url):
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def queue_reads(url):
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'django_q_ormq'"
        )
        return cursor.fetchone()[0]


def posts_per_core(env, posts):
    photos = photo_bytes(count=3)
    stats, outcome = Stats(), {}
    with server(env, workers=1, log_name="bench-capacity") as running:
        submitter(running.port, 0, "bench", "容量预热", photos, stats, outcome)  # the first post warms the worker
        before, started = cpu_seconds(running.process.pid), time.perf_counter()
        for index in range(1, posts + 1):
            submitter(running.port, index, "bench", "容量", photos, stats, outcome)
        cpu, wall = cpu_seconds(running.process.pid) - before, time.perf_counter() - started
        held = connections(env["DATABASE_URL"])
    accepted = sum(1 for index, o in outcome.items() if index and o[0] == "accepted")
    return {
        "posts": posts,
        "accepted": accepted,
        "cpu_ms_per_post": round(1000 * cpu / max(accepted, 1), 1),
        "posts_per_core_second": round(accepted / cpu, 2) if cpu else None,
        "wall_ms_per_post": round(1000 * wall / max(accepted, 1), 1),
        "connections_1_worker": held,
    }


def gunicorn_connections(env, workers):
    with server(env, workers=workers, log_name="bench-capacity-conn") as running:
        for _ in range(workers * 20):  # enough requests for every worker to have answered one
            request(running.port, "GET", "/showcase/", Stats())
        return connections(env["DATABASE_URL"])


def worker_figures(env, broker, seconds):
    extra = {"TASK_BROKER": broker, "TASK_WORKERS": "2", "TASKS_EAGER": "0"}
    if broker == "redis":
        extra["TASK_REDIS_URL"] = QUEUE_REDIS
    before_conn = connections(env["DATABASE_URL"])
    process = subprocess.Popen(
        [PYTHON, "manage.py", "worker"],
        cwd=ROOT,
        env={**env, **extra},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(8)  # started, idle
        held = connections(env["DATABASE_URL"]) - before_conn
        time.sleep(11)  # the statistics of backends idle since the last reading are flushed
        start = queue_reads(env["DATABASE_URL"])
        time.sleep(seconds)
        time.sleep(11)
        reads = queue_reads(env["DATABASE_URL"]) - start
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    return {"broker": broker, "connections": held, "queue_reads_per_minute": round(reads * 60 / (seconds + 11), 1)}


def measure(*, quick=False):
    url = ensure_pg_database(db_name("capacity"), fresh=True)
    env = base_env(url, PROXY_COUNT=1, FORM_MIN_SECONDS=0, SUBMIT_RATE_LIMIT=0, SUBMIT_POST_RATE_LIMIT=0)
    env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    django_run(env, "bench.data", "pages", "--articles", "5")
    result = {"posts": posts_per_core(env, 4 if quick else 12)}
    result["gunicorn_3_workers_connections"] = gunicorn_connections(env, 3)
    result["workers"] = [worker_figures(env, broker, 20 if quick else 60) for broker in ("orm", "redis")]
    return result


def report(result):
    posts = result["posts"]
    rows = [(w["broker"], w["connections"], w["queue_reads_per_minute"]) for w in result["workers"]]
    return "\n".join(
        [
            f"posts: {posts['accepted']}/{posts['posts']} accepted; server CPU {posts['cpu_ms_per_post']} ms per post "
            f"(3 photos of 1600×1200): {posts['posts_per_core_second']} posts per second per core; "
            f"wall {posts['wall_ms_per_post']} ms per post",
            f"PostgreSQL connections: gunicorn with 1 worker {posts['connections_1_worker']}, "
            f"with 3 workers {result['gunicorn_3_workers_connections']}",
            table(rows, ["broker", "worker's connections (TASK_WORKERS=2)", "queue table reads per minute, idle"]),
        ]
    )


def targets(result):
    orm, redis_ = result["workers"]
    return [
        Target("capacity: posts accepted", result["posts"]["accepted"], "==", result["posts"]["posts"]),
        Target("capacity: no queue-table reads on the Redis broker", redis_["queue_reads_per_minute"], "==", 0),
        Target("capacity: the database broker's polls are seen", orm["queue_reads_per_minute"], ">=", 1),
    ]


def main(argv=None):
    cli("capacity", __doc__, measure, report, argv)


if __name__ == "__main__":
    main()
