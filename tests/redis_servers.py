"""Redis servers and sentinels started by a test, on free loopback ports, each in a folder of its own.

    master = start_redis()                       # a free port; or start_redis(port, "--maxmemory", "1mb")
    replica = start_redis(None, "--replicaof", "127.0.0.1", str(master.port))
    sentinel = start_sentinel(master.port, down_after_ms=1000)
    ...
    for server in (sentinel, replica, master): server.stop()

Every wait is bounded; a server that does not answer in time fails the test with its log.
No persistence (no RDB, no AOF): these servers hold test data only. Debian's packages
`redis-server` and `redis-sentinel` (the sentinel is redis-server with --sentinel).
"""

import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from tests.processes import end, free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"

START_SECONDS = 10


def wait_for(check, seconds, what):
    """Call check() until it returns something true (returned) or `seconds` pass (AssertionError)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = check()
        except (redis.exceptions.RedisError, OSError):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.1)


class RedisProcess:
    """One redis-server (or sentinel) process: .port, .client(), .kill() (SIGKILL), .stop()."""

    def __init__(self, port, args, folder, config=None):
        self.port, self.folder = port, folder
        self.log_path = folder / "log"
        command = [REDIS_SERVER]
        if config is not None:
            (folder / "redis.conf").write_text(config)
            command.append(str(folder / "redis.conf"))
        command += ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--daemonize", "no"]
        command += ["--logfile", str(self.log_path), *args]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def client(self, **options):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2, socket_connect_timeout=2, **options)

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def wait_ready(self):
        """True once it answers PING; False if it exited first (port taken); AssertionError on timeout."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if self.client().ping():
                    return True
            except redis.exceptions.RedisError:
                pass
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"redis on port {self.port} did not answer in {START_SECONDS} s:\n{self.log()}")

    def kill(self):
        """SIGKILL: the server dies at once, as on a crash (nothing flushed, no goodbye to replicas)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        end(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


def _start(port, args, config=None, attempts=3):
    chosen = port
    for _ in range(attempts):
        folder = Path(tempfile.mkdtemp(prefix="test-redis-"))
        server = RedisProcess(chosen or free_port(), args, folder, config)
        if server.wait_ready():
            return server
        log = server.log()
        server.stop()
        if chosen:  # the port asked for is taken: nothing else to try
            raise AssertionError(f"redis did not start on port {chosen}:\n{log}")
    raise AssertionError(f"redis did not start on a free port in {attempts} attempts:\n{log}")


def start_redis(port=None, *args):
    """A redis-server on 127.0.0.1:`port` (None: a free one) with these extra arguments, e.g.
    "--replicaof", "127.0.0.1", "6400". No persistence."""
    return _start(port, ["--save", "", "--appendonly", "no", *args])


def start_sentinel(master_port, port=None, *, name="mymaster", quorum=2, down_after_ms=1000, failover_timeout_ms=3000):
    """A Redis Sentinel watching the master at 127.0.0.1:`master_port` as `name`; it finds the
    other sentinels and the replicas through the master. Quorum 2 suits three sentinels."""
    config = "\n".join(
        [
            f"sentinel monitor {name} 127.0.0.1 {master_port} {quorum}",
            f"sentinel down-after-milliseconds {name} {down_after_ms}",
            f"sentinel failover-timeout {name} {failover_timeout_ms}",
            f"sentinel parallel-syncs {name} 1",
            "",
        ]
    )
    return _start(port, ["--sentinel"], config)
