"""A document read in a process of its own, inside ceilings that are resource limits, not hopes.

    outcome = sandbox.run(work, data, name)   # work(*args) -> (plain dict, [bytes, ...])

The calling process (a gunicorn worker, a django-q2 task worker, a test) forks; the child sets
its own ceilings with `resource.setrlimit` before it touches the document:

- RLIMIT_AS: the address space it inherited plus MEMORY_MB; past it, allocations fail
  (MemoryError; a picture that needs more is left out, anything else ends the read);
- RLIMIT_CPU: CPU_SECONDS (the kernel ends it with SIGXCPU, then SIGKILL one second later);
- an alarm a little after SECONDS, so a child left alone (its parent killed) still ends;

and the parent enforces SECONDS of wall-clock time itself: past it, the child is killed.
The result comes back through a pipe as plain data only: a JSON header (str, int, lists,
dicts) and raw byte strings (the photo renditions) whose lengths the header gives. Nothing is
unpickled. The child never returns from the fork: it leaves with os._exit (no atexit, no
finalizers; the parent's database connections and files are never touched).

Why a plain fork (measured in bench/documents_hostile.py): it costs ~4 ms, where a fresh
Python process costs ~800 ms of imports (Django, python-docx, Pillow) per document; the child
has the translations, settings and modules already loaded. It works where multiprocessing does
not (django-q2's worker processes are daemonic, and may not start multiprocessing children).
The caveat of forking a threaded process (a lock held by another thread stays held in the
child) is bounded here: such a child would wait until the parent's deadline and be refused,
never hang. Tried under gunicorn's sync workers (the default here) and gthread workers of 4
threads, concurrent reads included, and in a daemonic process as django-q2 runs tasks.

The ceilings can be set in Django's settings: DOCUMENT_READ_SECONDS, DOCUMENT_READ_CPU_SECONDS,
DOCUMENT_READ_MEMORY_MB (docs/word-import.md).
"""

import faulthandler
import json
import math
import os
import resource
import selectors
import signal
import struct
import threading
import time
import traceback
from dataclasses import dataclass, field

from django.conf import settings

from submissions.platform.rlimits import lower

# Generous for real documents: a 20-page practice with nine 12-megapixel photos reads in about
# 2 s of CPU on an idle core (most of it the photos' renditions, bench/documents.py) and peaks at
# ~100 MB above the process it starts from; the structural ceilings (xmlbounds.py) refuse
# hostile XML well inside these. They are the last resort, kept under gunicorn's 60 s timeout.
SECONDS = 25.0  # wall clock, enforced by the parent
CPU_SECONDS = 20
MEMORY_MB = 512  # address space the child may add to what it inherited
MAX_RESULT = 128 * 1024 * 1024  # bytes of result accepted back (9 photos' renditions are ~10 MB)
READ_SIZE = 1024 * 1024
RESET_SIGNALS = ("SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGALRM", "SIGXCPU", "SIGABRT")


_forking = threading.Lock()


@dataclass(frozen=True)
class Limits:
    seconds: float = SECONDS
    cpu_seconds: int = CPU_SECONDS
    memory_mb: int = MEMORY_MB


def limits():
    """The ceilings, from the settings if set there."""
    return Limits(
        seconds=float(getattr(settings, "DOCUMENT_READ_SECONDS", SECONDS)),
        cpu_seconds=int(getattr(settings, "DOCUMENT_READ_CPU_SECONDS", CPU_SECONDS)),
        memory_mb=int(getattr(settings, "DOCUMENT_READ_MEMORY_MB", MEMORY_MB)),
    )


@dataclass
class Outcome:
    """What came back. `failure`: "" (read), "time", "cpu", "memory" or "crash"."""

    value: dict = field(default_factory=dict)
    blobs: list = field(default_factory=list)
    failure: str = ""
    detail: str = ""
    seconds: float = 0.0
    peak_kb: int = 0  # the child's peak resident memory (shared pages it inherited included)
    cpu_seconds: float = 0.0  # the child's user + system time (what RLIMIT_CPU counts)
    base_kb: int = 0  # the parent's resident memory when it forked


def run(work, *args, ceilings=None):
    """Run work(*args) in a child inside the ceilings (default: `limits()`); an Outcome, never
    an exception from the child."""
    ceilings = ceilings or limits()
    base_kb = _status_kb("VmRSS")
    started = time.monotonic()
    with _forking:  # another thread's child must not inherit this pipe's writing end
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError as exc:  # no process to be had (EAGAIN, ENOMEM): a refusal, not an error
            os.close(read_fd)
            os.close(write_fd)
            return Outcome(failure="crash", detail=f"fork: {exc}", seconds=time.monotonic() - started)
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            _child(write_fd, work, args, ceilings)
        os.close(write_fd)
    deadline = started + ceilings.seconds
    try:
        data, cut = _collect(read_fd, deadline)
    except BaseException:  # e.g. django-q2's task timeout (SIGALRM) while we wait: the child goes too
        _reap(pid, deadline, kill=True)
        raise
    finally:
        os.close(read_fd)
    status, usage = _reap(pid, deadline, kill=cut is not None)
    outcome = _decode(data) if cut is None else Outcome(failure=cut)
    outcome.seconds = time.monotonic() - started
    outcome.base_kb = base_kb
    outcome.peak_kb = usage.ru_maxrss if usage else 0
    outcome.cpu_seconds = (usage.ru_utime + usage.ru_stime) if usage else 0.0
    if not outcome.failure and status is not None and not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
        outcome.failure = "crash"
    if outcome.failure == "crash" and status is not None and os.WIFSIGNALED(status):
        cpu = (usage.ru_utime + usage.ru_stime) if usage else 0
        if os.WTERMSIG(status) == signal.SIGXCPU or cpu >= ceilings.cpu_seconds:
            outcome.failure = "cpu"
        elif os.WTERMSIG(status) == signal.SIGALRM:
            outcome.failure = "time"
        outcome.detail = outcome.detail or f"signal {os.WTERMSIG(status)}"
    return outcome


def _status_kb(name):
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _confine(limits):
    faulthandler.disable()  # a child's crash is reported to the parent, not dumped on its stderr
    signal.set_wakeup_fd(-1)  # gunicorn's worker wakes on a pipe it shares with us
    for name in RESET_SIGNALS:  # the parent's handlers (gunicorn's, django-q2's) are not ours
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.alarm(math.ceil(limits.seconds) + 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    lower(resource.RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1)
    inherited = _status_kb("VmSize") * 1024
    ceiling = inherited + limits.memory_mb * 1024 * 1024
    lower(resource.RLIMIT_AS, ceiling, ceiling)


def _child(write_fd, work, args, limits):
    code, failure, detail = 0, "", ""
    try:
        try:
            _confine(limits)
            value, blobs = work(*args)
        except MemoryError:
            value, blobs, failure = {}, [], "memory"
        except BaseException:  # whatever happens, the parent gets a plain answer
            value, blobs, failure, detail = {}, [], "crash", traceback.format_exc()[-4000:]
        header = {"value": value, "failure": failure, "detail": detail, "blobs": [len(blob) for blob in blobs]}
        header = json.dumps(header).encode()
        _write_all(write_fd, struct.pack(">Q", len(header)) + header)
        for blob in blobs:
            _write_all(write_fd, blob)
    except BaseException:  # even a MemoryError while answering: the parent sees a crash
        code = 70
    finally:
        os._exit(code)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _collect(fd, deadline):
    """Everything the child writes until it closes the pipe; (bytes, None) or (bytes, "time")."""
    chunks, total = [], 0
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return b"", "time"
            if not selector.select(left):
                continue
            chunk = os.read(fd, READ_SIZE)
            if not chunk:
                return b"".join(chunks), None
            total += len(chunk)
            if total > MAX_RESULT:
                return b"", "memory"
            chunks.append(chunk)


def _reap(pid, deadline, *, kill):
    """Wait for the child (killing it if asked, or if it lingers past the deadline); (status, rusage)."""
    try:
        if not kill:
            while time.monotonic() < deadline:
                done, status, usage = os.wait4(pid, os.WNOHANG)
                if done:
                    return status, usage
                time.sleep(0.002)
        os.kill(pid, signal.SIGKILL)
        _done, status, usage = os.wait4(pid, 0)
        return status, usage
    except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored): the pipe's answer stands
        return None, None


def _decode(data):
    try:
        (size,) = struct.unpack(">Q", data[:8])
        header = json.loads(data[8 : 8 + size])
        lengths, value = header["blobs"], header["value"]
        failure, detail = str(header["failure"]), str(header["detail"])
        if not isinstance(value, dict) or sum(lengths) != len(data) - 8 - size:
            raise ValueError("lengths")
    except (ValueError, KeyError, TypeError, struct.error):
        return Outcome(failure="crash", detail="no answer")
    blobs, offset = [], 8 + size
    for length in lengths:
        blobs.append(data[offset : offset + length])
        offset += length
    return Outcome(value=value, blobs=blobs, failure=failure, detail=detail)
