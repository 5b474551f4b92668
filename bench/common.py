"""What every benchmark shares: the bench databases, a real gunicorn server on loopback,
timing helpers, the machine's description and the results file."""

import json
import os
import platform
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PYTHON = sys.executable
# Loopback ports the servers may take (BENCH_PORTS=8100-8199) and the prefix of the bench
# databases (BENCH_DB_PREFIX=portal_bench), so that two runs on one machine do not collide.
_low, _high = (int(part) for part in os.environ.get("BENCH_PORTS", "8100-8199").split("-"))
PORTS = range(_low, _high + 1)
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "portal_bench")
# The shared cache, as production has it (REDIS_URL); each run under a key prefix of its own.
# BENCH_REDIS_URL=none runs with the database cache instead.
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def pg_url(name):
    return f"{PG}/{name}"


def db_name(suffix=""):
    """A bench database's name: the prefix, then `_suffix`."""
    return f"{DB_PREFIX}_{suffix}" if suffix else DB_PREFIX


def median(values):
    return statistics.median(values) if values else float("nan")


def percentile(values, pct):
    """Nearest-rank percentile of a list of numbers."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def free_port(ports=None):
    """A loopback port in `ports` (default: the bench's) that nothing listens on."""
    ports = ports or PORTS
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port in {ports.start}-{ports.stop - 1}")


def base_env(database_url, **extra):
    """Production settings (DEBUG off), plain HTTP on loopback."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if REDIS.lower() != "none":
        env["REDIS_URL"] = REDIS
        env["CACHE_KEY_PREFIX"] = f"bench-{secrets.token_hex(4)}"
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, quiet=True):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL if quiet else None)


def ensure_pg_database(name, *, fresh=False):
    """Create (or recreate) a PostgreSQL database of ours; returns its URL."""
    import psycopg2

    admin = psycopg2.connect(pg_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return pg_url(name)


def django_run(env, module, *args):
    """Run `python -m module args` with the bench environment; returns its JSON output (last line)."""
    result = subprocess.run([PYTHON, "-m", module, *args], cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def collect_static(env):
    """Collect the static files when they are not (a fresh checkout run without `make static`):
    with DEBUG off the pages cannot be rendered without the manifest."""
    if not (Path(env.get("STATIC_ROOT") or ROOT / "staticfiles") / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")


class Server:
    """gunicorn with portal/gunicorn.conf.py on a free loopback port."""

    def __init__(self, env, workers=None, log_name="gunicorn"):
        for attempt in range(3):  # the port may be taken between the check and gunicorn's bind
            try:
                return self._start(env, workers, log_name)
            except RuntimeError:
                if attempt == 2:
                    raise

    def _start(self, env, workers, log_name):
        collect_static(env)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_LOG_LEVEL": "warning"}
        if workers:
            env["GUNICORN_WORKERS"] = str(workers)
        self.log_path = Path(tempfile.mkstemp(prefix=f"{log_name}-", suffix=".log")[1])
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "portal/gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
                    time.sleep(0.5)
                    if response.status == 200 and self.process.poll() is None:  # ours, not a neighbour's
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not start:\n{self.log_path.read_text()[-3000:]}")

    def log_text(self):
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@contextmanager
def server(env, workers=None, log_name="gunicorn"):
    running = Server(env, workers=workers, log_name=log_name)
    try:
        yield running
    finally:
        running.stop()


def machine():
    """nproc, CPU model and memory of this machine, for the README."""
    model = platform.processor() or ""
    try:
        text = Path("/proc/cpuinfo").read_text()
        found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
        model = found.group(1).strip() if found else model
    except OSError:
        pass
    memory = ""
    try:
        found = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        memory = f"{int(found.group(1)) / 1024 / 1024:.1f} GiB" if found else ""
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def cli(name, doc, measure, report, argv=None, arguments=()):
    """The command line every benchmark shares: `--quick` and its own `arguments` ((flags, options)
    pairs for argparse) become measure()'s keywords; the figures are kept and printed."""
    import argparse

    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--quick", action="store_true")
    for flags, options in arguments:
        parser.add_argument(*flags, **options)
    result = measure(**vars(parser.parse_args(argv)))
    write_results(name, result)
    print(report(result))
    return result


def write_results(name, data):
    """Merge one benchmark's figures into bench/results/latest.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "latest.json"
    try:
        everything = json.loads(path.read_text())
    except (OSError, ValueError):
        everything = {}
    everything[name] = data
    everything["machine"] = machine()
    everything["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    path.write_text(json.dumps(everything, ensure_ascii=False, indent=2))
    return path


def table(rows, headers):
    """A plain-text table."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


# What `make bench` holds each benchmark to: a module's targets(result) returns these, and
# bench.run prints them in one table and exits 1 when one is missed.
COMPARE = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, "<": lambda a, b: a < b, "==": lambda a, b: a == b}


@dataclass(frozen=True)
class Target:
    """One figure a benchmark promises (the README's "target ≥ 0.9 ×"): `measured` `op` `bound`.
    A figure that could not be measured (None) misses its target."""

    figure: str
    measured: object
    op: str
    bound: object

    @property
    def met(self):
        return self.measured is not None and COMPARE[self.op](self.measured, self.bound)

    def wanted(self):
        return {">=": "≥ ", "<=": "≤ ", "<": "< ", "==": ""}[self.op] + str(self.bound)
