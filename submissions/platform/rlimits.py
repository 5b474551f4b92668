"""Resource limits for a child process (the Word sandbox, LibreOffice, ffmpeg), set between fork and
exec, and the end of one that runs in a process group of its own."""

import os
import resource
import signal


def lower(which, soft, hard):
    """Lower a limit to (soft, hard), never raising it above what the process already has (an
    unprivileged process may not raise its hard limit; a limit already lower stays)."""
    _soft, current = resource.getrlimit(which)
    if current != resource.RLIM_INFINITY:
        hard = min(hard, current)
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def kill_group(process):
    """SIGKILL the child's whole process group (what it started goes with it), then reap the child."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
