"""The cluster the cluster test stands up, every part a real server on a free loopback port:

- PostgreSQL: a database of its own on the shared server (tests/pgbouncer_server.scratch_database:
  this run's PostgreSQL on a PostgreSQL run, TEST_POSTGRES_URL's on a SQLite run), migrated, its
  statement timeout set as the role's default (`manage.py db_statement_timeout --apply`), behind
  a PgBouncer in transaction mode that the portal reaches with DATABASE_POOLER=pgbouncer;
- Redis for the cache, the sessions and the rate limits: a master, a replica and three sentinels
  (tests/platform/test_sentinel.Group), reached through REDIS_SENTINELS only;
- a separate redis-server for the task queue (TASK_BROKER=redis, TASK_REDIS_URL);
- moto's S3 server in a process of its own, with the bucket (MEDIA_STORAGE=s3);
- two app nodes (gunicorn, each with its own empty MEDIA_ROOT) behind Debian's nginx running
  deploy/nginx.conf (bench/nginx.py's copy for a test) with both in its upstream;
- two workers (`manage.py worker`) whose mail goes to tests/cluster/mail_backend.MarkedBackend.

Each process that the test may kill runs in a process group of its own; `stop()` ends everything
it started (ExitStack, last started first stopped) and drops the database. Every wait is bounded.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3

from bench.common import free_port
from bench.nginx import NGINX, site_config
from tests.pgbouncer_server import PgBouncer, direct_url, postgres_server, scratch_database
from tests.platform.test_multiprocess import PORTS, ROOT, Server
from tests.platform.test_sentinel import SERVICE, Group
from tests.platform.test_worker import Worker
from tests.redis_servers import free_port as any_free_port
from tests.redis_servers import start_redis

BUCKET = "cluster-media"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_S3_REGION_NAME": "us-east-1"}
MIGRATE_SECONDS = 180
UPSTREAM = "server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;"
# Settings of the run's own environment that would point the cluster's processes elsewhere.
NOT_INHERITED = ("REDIS_", "DATABASE_", "REPLICA_", "TASK_", "AWS_", "MEDIA_", "EMAIL_", "SUBMIT_", "MAIL_")


def clean_environ():
    return {name: value for name, value in os.environ.items() if not name.startswith(NOT_INHERITED)}


def kill_group(process, sig=signal.SIGKILL, timeout=10):
    """Signal a process's whole group (it was started in a session of its own) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


def answers(process, url, *, seconds, pause):
    """Whether `url` answers at all (any HTTP status) within `seconds`, while `process` runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(pause)
    return False


class AppNode(Server):
    """tests/platform/test_multiprocess.Server (production gunicorn, its own id on /_test/whoami),
    in a process group of its own: kill() is a machine's sudden death, workers and all."""

    own_group = True

    def kill(self):
        kill_group(self.process)

    def cpu_ticks(self):
        """{pid: CPU time in clock ticks} of the node's gunicorn workers (its process group but the
        master), from /proc: a worker whose count moves is serving a request."""
        ticks = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(stat.parent.name)
            if int(fields[2]) == self.process.pid and pid != self.process.pid:  # fields[2]: the process group
                ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
        return ticks

    def stop(self):
        if self.process.poll() is None:
            kill_group(self.process, signal.SIGTERM, timeout=15)
        kill_group(self.process)  # anything of its group left behind
        self.log.close()

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


class Balancer:
    """nginx with deploy/nginx.conf's server block, both app nodes in its upstream (round robin)."""

    def __init__(self, folder, upstream_ports, attempts=3):
        self.folder = folder
        for _ in range(attempts):
            self.port = free_port(PORTS)
            config = site_config(folder, nginx_port=self.port, upstream_port=upstream_ports[0], media=folder / "media")
            text = config.read_text()
            first = UPSTREAM.format(port=upstream_ports[0])
            assert first in text, "deploy/nginx.conf's upstream line changed"
            config.write_text(text.replace(first, "\n    ".join(UPSTREAM.format(port=port) for port in upstream_ports)))
            command = [NGINX, "-c", str(config), "-p", str(folder)]
            subprocess.run([*command, "-t", "-q"], check=True, timeout=30)
            self.process = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)
            if answers(self.process, f"http://127.0.0.1:{self.port}/_test/whoami", seconds=15, pause=0.1):
                return
            kill_group(self.process)  # the port was taken meanwhile: again on another
        raise AssertionError("nginx did not start:\n" + self.errors())

    def errors(self):
        path = self.folder / "error.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self):
        kill_group(self.process, signal.SIGTERM)


class S3Server:
    """moto's S3 in a process of its own (`python -m moto.server`), the bucket made."""

    def __init__(self, folder, attempts=3):
        self.log = open(folder / "moto.log", "w+")
        for _ in range(attempts):
            self.port = any_free_port()
            self.endpoint = f"http://127.0.0.1:{self.port}"
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=self.log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            if answers(self.process, self.endpoint + "/", seconds=30, pause=0.2):
                self.client().create_bucket(Bucket=BUCKET)
                return
            kill_group(self.process)
        self.log.seek(0)
        raise AssertionError("moto's S3 server did not start:\n" + self.log.read()[-3000:])

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=S3_KEYS["AWS_S3_REGION_NAME"],
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def keys(self):
        found = set()
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            found |= {item["Key"] for item in page.get("Contents", ())}
        return found

    def stop(self):
        kill_group(self.process, signal.SIGTERM)
        self.log.close()


def manage(env, *args, seconds):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ), seconds


def finish(started, what):
    process, seconds = started
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate(timeout=10)
        raise AssertionError(f"{what} took more than {seconds} s") from None
    assert process.returncode == 0, f"{what} failed:\n{output[-3000:]}"


class Cluster:
    def __init__(self, folder, *, pool_size=5, worker_env=None):
        self.folder = Path(folder)
        self.pool_size = pool_size
        self.worker_env = worker_env or [{}, {}]
        self.stack = contextlib.ExitStack()
        self.mail_log = self.folder / "mail.jsonl"
        self.mail_marks = self.folder / "mail-marks.jsonl"

    def start(self):
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self):
        stack = self.stack
        server = postgres_server()
        self.database = stack.enter_context(scratch_database(server, "cluster"))
        self.direct_url = direct_url(server, self.database)
        setup_env = {**clean_environ(), "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": self.direct_url}
        migrating = manage(setup_env, "migrate", "--noinput", "-v", "0", seconds=MIGRATE_SECONDS)
        try:  # meanwhile, the servers that need no database
            self.redis = Group()
            stack.callback(self.redis.stop)
            self.queue = start_redis()
            stack.callback(self.queue.stop)
            self.s3 = S3Server(self.folder)
            stack.callback(self.s3.stop)
        finally:
            finish(migrating, "migrating the cluster's database")
        finish(manage(setup_env, "db_statement_timeout", "--apply", seconds=60), "db_statement_timeout --apply")
        self.bouncer = stack.enter_context(PgBouncer(**server, pool_size=self.pool_size))
        self.env = {
            **clean_environ(),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "TEST_ROOT_URLCONF": "tests.multiprocess_urls",
            "DATABASE_URL": self.bouncer.url(self.database),
            "DATABASE_POOLER": "pgbouncer",
            "REPLICA_DATABASE_URL": "",  # tests/platform/test_worker.Worker starts from os.environ: nothing of the run's
            "REDIS_URL": "",
            "REDIS_SENTINELS": self.redis.addresses,
            "REDIS_SENTINEL_MASTER": SERVICE,
            "CACHE_KEY_PREFIX": "cluster",
            "TASK_BROKER": "redis",
            "TASK_REDIS_URL": f"redis://127.0.0.1:{self.queue.port}/0",
            "TASKS_EAGER": "0",
            # A dead worker's task is handed out again after 10 s; a dead sender's claim on a
            # message ends after 5 s, before that (docs/tasks.md).
            "TASK_RETRY": "10",
            "OUTBOX_CLAIM_SECONDS": "5",
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.s3.endpoint,
            **S3_KEYS,
            "EMAIL_BACKEND": "tests.cluster.mail_backend.MarkedBackend",
            "MAIL_LOG": str(self.mail_log),
            "MAIL_MARKS": str(self.mail_marks),
            "LOG_LEVEL": "WARNING",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_LOG_LEVEL": "warning",
            "PROXY_COUNT": "1",
            "SECURE_COOKIES": "0",  # plain HTTP on loopback
            "FORM_MIN_SECONDS": "0",  # the submitters post at once
            # Every submitter reaches the portal from 127.0.0.1 through nginx: production's five
            # entries per address per hour would refuse all but five. Raised, not off: the
            # limits still count in Redis through the failover.
            "SUBMIT_RATE_LIMIT": "1000",
            "SUBMIT_POST_RATE_LIMIT": "1000",
        }
        self.nodes = []
        for name in ("a", "b"):
            (self.folder / f"node-{name}").mkdir()
            node = AppNode({**self.env, "MEDIA_ROOT": str(self.folder / f"node-{name}" / "media")})
            stack.callback(node.stop)
            self.nodes.append(node)
        self.workers = []
        for name, extra in zip(("one", "two"), self.worker_env):
            worker = Worker(self.env["DATABASE_URL"], self.folder, name, **{**self.env, **extra})
            stack.callback(stop_worker, worker)
            self.workers.append(worker)
        for node in self.nodes:
            node.wait()
        (self.folder / "nginx").mkdir()
        self.balancer = Balancer(self.folder / "nginx", [node.port for node in self.nodes])
        stack.callback(self.balancer.stop)
        assert self.nodes[0].post("/_test/call", {}) == (200, "open")

    @property
    def port(self):
        return self.balancer.port

    def stop(self):
        self.stack.close()


def stop_worker(worker):
    if worker.process.poll() is None:
        kill_group(worker.process)
    if not worker.log.closed:
        worker.log.close()
