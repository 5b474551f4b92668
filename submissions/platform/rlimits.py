"""Resource limits for a child process (the Word sandbox, ffmpeg), set between fork and exec."""

import resource


def lower(which, soft, hard):
    """Lower a limit to (soft, hard), never raising it above what the process already has (an
    unprivileged process may not raise its hard limit; a limit already lower stays)."""
    _soft, current = resource.getrlimit(which)
    if current != resource.RLIM_INFINITY:
        hard = min(hard, current)
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))
