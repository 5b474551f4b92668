"""ffmpeg and ffprobe in a child process inside ceilings, reading an input it is never given a name for.

    with process.opened(upload, max_bytes) as source:       # a descriptor of a regular file
        finished = process.run(argv + [source.url], pass_fds=[source.fd], seconds=…, memory_mb=…)

The child is started by subprocess with `preexec_fn` setting its ceilings before it execs, as
the documents sandbox does for its forked reader (documents/sandbox.py):

- RLIMIT_AS: memory_mb of address space in all (ffmpeg's libraries take ~270 MB of it);
- RLIMIT_CPU: cpu_seconds (SIGXCPU, then SIGKILL a second later);
- RLIMIT_FSIZE: no file it writes (output, its own stdout and stderr) past max_file_bytes;
- RLIMIT_CORE 0; an alarm a little after the deadline (it survives exec: a child whose parent was
  killed still ends); a session of its own, so the parent kills it and anything it started;

and the parent enforces the wall-clock deadline itself. The environment is three variables, not
the portal's (no database address or secret reaches ffmpeg). stdout and stderr go to anonymous
temporary files, of which only the first bytes are read back.

The input is a descriptor passed to the child and named `file:/proc/self/fd/N`: never the
upload's name or any path a user chose; the `file:` prefix with `-protocol_whitelist file`
leaves ffmpeg no other protocol to reach for.
"""

import contextlib
import functools
import math
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass

from submissions.platform.rlimits import kill_group, lower

PATH = "/usr/local/bin:/usr/bin:/bin"
STDERR_KEPT = 64 * 1024
COPY_CHUNK = 1024 * 1024
_ALLOCATION = re.compile(r"Cannot allocate memory|malloc of size|failed to map segment|out of memory", re.IGNORECASE)


class ToolMissing(RuntimeError):
    """ffmpeg or ffprobe is not installed (or not executable)."""


class TooLarge(Exception):
    """The source held more bytes than allowed (found while copying it)."""


class NotAFile(Exception):
    """The source is not a regular file (a FIFO, a device, a directory)."""


@dataclass
class Source:
    fd: int
    size: int

    @property
    def url(self):
        return f"file:/proc/self/fd/{self.fd}"


@dataclass
class Finished:
    """What a child left: `ended` is "" (it exited by itself), or why it was ended: "time"
    (wall clock), "cpu", "memory", "size" (RLIMIT_FSIZE) or "crash" (no process to be had)."""

    returncode: int
    stdout: bytes = b""
    stderr: str = ""
    seconds: float = 0.0
    ended: str = ""

    @property
    def ok(self):
        return not self.ended and self.returncode == 0


def tool(name):
    """The executable's path, or ToolMissing."""
    found = shutil.which(name, path=os.environ.get("PATH") or PATH)
    if not found:
        raise ToolMissing(f"{name} is not installed (apt-get install ffmpeg)")
    return found


@contextlib.contextmanager
def opened(source, max_bytes):
    """A Source for a path, an uploaded file or any file object; raises TooLarge, NotAFile.

    A path (or Django's TemporaryUploadedFile, through its path) and a file object with a real
    descriptor are used where they are; anything else (an upload held in memory) is copied into
    an anonymous temporary file, max_bytes + 1 at most."""
    fd = _descriptor(source)
    try:
        if fd is None:
            fd = _copy(source, max_bytes)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile()
        if info.st_size > max_bytes:
            raise TooLarge()
        yield Source(fd=fd, size=info.st_size)
    finally:
        if fd is not None:
            os.close(fd)


def _descriptor(source):
    path = source if isinstance(source, (str, os.PathLike)) else None
    if path is None and hasattr(source, "temporary_file_path"):
        path = source.temporary_file_path()
    if path is not None:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)  # a FIFO must not block the open
    try:
        return os.dup(source.fileno())
    except (AttributeError, OSError, ValueError, TypeError):  # BytesIO, InMemoryUploadedFile
        return None


def _copy(source, max_bytes):
    spool = tempfile.TemporaryFile()
    try:
        source.seek(0)
        copied = 0
        while copied <= max_bytes:
            chunk = source.read(min(COPY_CHUNK, max_bytes + 1 - copied))
            if not chunk:
                break
            spool.write(chunk)
            copied += len(chunk)
        spool.flush()
        source.seek(0)
        if copied > max_bytes:
            raise TooLarge()
        return os.dup(spool.fileno())
    finally:
        spool.close()


def run(argv, *, seconds, memory_mb, cpu_seconds, max_file_bytes, pass_fds=(), cwd=None, stdout_limit=1024 * 1024):
    """Run argv inside the ceilings; a Finished, never an exception from the child (ToolMissing
    when the executable is not there)."""
    if seconds <= 0:
        return Finished(returncode=-1, ended="time")
    started = time.monotonic()
    confine = functools.partial(_confine, seconds, memory_mb, cpu_seconds, max_file_bytes)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            child = subprocess.Popen(  # noqa: S603 (a fixed executable, our own arguments)
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                pass_fds=tuple(pass_fds),
                cwd=cwd,
                env=_environment(),
                start_new_session=True,
                preexec_fn=confine,
            )
        except (FileNotFoundError, PermissionError) as exc:
            raise ToolMissing(f"{argv[0]}: {exc}") from exc
        except OSError as exc:  # no process to be had (EAGAIN, ENOMEM): a failure, not an error
            return Finished(returncode=-1, stderr=f"fork: {exc}", ended="crash")
        ended = ""
        try:
            child.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            ended = "time"
        finally:  # also when the wait is interrupted (a task's own timeout): the child goes too
            if child.returncode is None:
                kill_group(child)
        out.seek(0)
        err.seek(0)
        stdout = out.read(stdout_limit + 1)
        stderr = err.read(STDERR_KEPT).decode("utf-8", "replace")
    if len(stdout) > stdout_limit:
        ended = ended or "size"
    code = child.returncode
    if not ended and code != 0:
        ended = _why(code, stderr)
    return Finished(returncode=code, stdout=stdout, stderr=stderr, seconds=time.monotonic() - started, ended=ended)


def _why(code, stderr):
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return "cpu"
    if code == -signal.SIGALRM:
        return "time"
    if code == -signal.SIGXFSZ:
        return "size"
    if _ALLOCATION.search(stderr):
        return "memory"
    return ""  # it failed by itself: the caller reads stderr


def _environment():
    return {"PATH": os.environ.get("PATH") or PATH, "LC_ALL": "C", "MALLOC_ARENA_MAX": "2", "AV_LOG_FORCE_NOCOLOR": "1"}


def _confine(seconds, memory_mb, cpu_seconds, max_file_bytes):
    """In the child, between fork and exec."""
    signal.alarm(math.ceil(seconds) + 2)
    lower(resource.RLIMIT_CORE, 0, 0)
    lower(resource.RLIMIT_CPU, int(cpu_seconds), int(cpu_seconds) + 1)
    lower(resource.RLIMIT_AS, memory_mb * 1024 * 1024, memory_mb * 1024 * 1024)
    lower(resource.RLIMIT_FSIZE, max_file_bytes, max_file_bytes)
