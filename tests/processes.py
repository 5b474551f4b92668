"""What every test that starts a server of its own needs: a free loopback port, and an end to the
process that never waits for ever."""

import socket
import subprocess


def free_port():
    """A loopback port nothing listens on now (the kernel's choice for port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def end(process, timeout=10):
    """SIGTERM, then SIGKILL if it is still there after `timeout` seconds; reaped either way."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
