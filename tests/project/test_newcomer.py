"""The newcomer's path on a fresh clone: `make run` (port, demo accounts last, Ctrl-C),
`make messages` on an unchanged tree, and `.ci/run` installing the tools it calls.

`make run` is tried as the Makefile runs it (the honcho line of `make -n run`), against a migrated
file database of its own, on a free loopback port of TEST_PORTS (from the top of the range).
"""

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from bench.common import free_port

ROOT = Path(__file__).resolve().parents[2]
_low, _high = (int(part) for part in os.environ.get("TEST_PORTS", "8200-8299").split("-"))
PORTS = range(_high, _low - 1, -1)
PASSWORD = "demo-pass-7Qx"


def make_dry_run(*args):
    out = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return out.replace("\\\n", " ").splitlines()


def group_alive(pgid):
    """Whether any process of the group is still running (zombies awaiting their reaper count as gone)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def test_make_run_takes_its_port_from_PORT_and_SITE_URL_follows(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("PORT", "8123")
    (line,) = [line for line in make_dry_run("run") if "honcho start" in line]
    assert "PORT=8123 " in line
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in line
    assert "runserver 127.0.0.1:$PORT" in (ROOT / "Procfile").read_text()


def test_demo_accounts_prints_the_accounts_at_the_site_address(settings, monkeypatch):
    settings.SITE_URL = "http://127.0.0.1:8123"
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    assert out.getvalue().splitlines() == [
        "Demo accounts (http://127.0.0.1:8123/admin/):",
        f"  admin      superuser  password: {PASSWORD}",
        f"  editor     editor     password: {PASSWORD}",
        f"  chief      chief      password: {PASSWORD}",
        f"  reviewer   reviewer   password: {PASSWORD}",
        f"  reviewer2  reviewer   password: {PASSWORD}",
        "Recommending body (http://127.0.0.1:8123/recommend/):",
        f"  jinan      recommender password: {PASSWORD}",
    ]


@pytest.fixture
def run_env(tmp_path):
    """The environment of `make run` with a migrated database and folders of the test's own."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "SITE_URL", "PORT")}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        BACKUP_DIR=str(tmp_path / "backups"),
        DEMO_PASSWORD=PASSWORD,
    )
    for command in (["migrate", "--noinput", "-v", "0"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=120)
    return env


QUEUED = 400  # tasks waiting when make run starts, as seed_demo leaves its mails and reports


def test_make_run_prints_the_accounts_last_and_stops_on_ctrl_c_within_5_seconds(run_env, tmp_path):
    queue = f"from django_q.tasks import async_task\nfor _ in range({QUEUED}): async_task('submissions.platform.tasks.heartbeat')"
    subprocess.run([sys.executable, "manage.py", "shell", "-c", queue], cwd=ROOT, env=run_env, check=True, timeout=120)
    port = free_port(PORTS)
    ready = tmp_path / "worker-ready"
    (line,) = [line for line in make_dry_run("run", f"PORT={port}", f"READY_FILE={ready}") if "honcho start" in line]
    log_path = tmp_path / "run.log"
    with open(log_path, "w") as log:
        # Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
        shell = subprocess.Popen(
            ["sh", "-c", line], cwd=ROOT, env=run_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    accounts = f"Demo accounts (http://127.0.0.1:{port}/admin/):"
    try:
        deadline = time.monotonic() + 120
        while accounts not in log_path.read_text() or log_path.read_text().count(f"password: {PASSWORD}") < 5:
            assert shell.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
        output = log_path.read_text()
        lines = output.splitlines()
        running = [i for i, text in enumerate(lines) if re.search(r"worker\.1 .*Q (Cluster|集群) \S+ \[portal\]", text)]
        listening = [i for i, text in enumerate(lines) if f"Starting development server at http://127.0.0.1:{port}/" in text]
        shown = next(i for i, text in enumerate(lines) if accounts in text)
        assert running and listening, output
        assert shown > max(running) and shown > listening[0], output
        processed = [
            i
            for i, text in enumerate(lines)
            if re.search(r"worker\.1 .*(已处理|Processed) 'submissions\.platform\.tasks\.heartbeat'", text)
        ]
        assert len(processed) >= QUEUED and shown > max(processed), output  # the backlog's lines come first
        pids = {name: int(pid) for name, pid in re.findall(r"(web|worker)\.1 started \(pid=(\d+)\)", output)}
        assert set(pids) == {"web", "worker"}, output
        assert all(group_alive(pid) for pid in pids.values())

        os.killpg(shell.pid, signal.SIGINT)  # Ctrl-C
        stopped_by = time.monotonic() + 5
        while any(group_alive(pid) for pid in pids.values()) and time.monotonic() < stopped_by:
            time.sleep(0.1)
        assert not [name for name, pid in pids.items() if group_alive(pid)], log_path.read_text()
        shell.wait(timeout=10)
    finally:
        if shell.poll() is None:
            os.killpg(shell.pid, signal.SIGKILL)
            shell.wait()
        for pid in re.findall(r"started \(pid=(\d+)\)", log_path.read_text()):
            try:
                os.killpg(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.mark.parametrize("attempt", range(3))
def test_the_worker_stops_within_5_seconds_when_its_whole_group_gets_sigterm(run_env, tmp_path, attempt):
    """As honcho stops it: SIGTERM to the worker's process group, its django-q2 sentinel included
    (which dies of it at once; waiting on it hung forever, a race each attempt may hit)."""
    ready = tmp_path / "worker-ready"
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--ready-file", str(ready)],
        cwd=ROOT,
        env=run_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert worker.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=5)
        stopped_by = time.monotonic() + 1
        while group_alive(worker.pid) and time.monotonic() < stopped_by:
            time.sleep(0.1)
        assert not group_alive(worker.pid)
    finally:
        if group_alive(worker.pid):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def locale_bytes(root):
    return {str(path.relative_to(root)): path.read_bytes() for path in (root / "locale").rglob("*") if path.is_file()}


def test_make_messages_changes_nothing_when_nothing_changed(tmp_path):
    """`make messages` run on a copy of the tree, then again after time passed and code moved
    (a line added above the strings, none changed): locale/ keeps every byte."""
    copy = tmp_path / "tree"
    skip = shutil.ignore_patterns(".venv", ".git", "staticfiles", "media", "backups", "db.sqlite3", "__pycache__")
    shutil.copytree(ROOT, copy, ignore=skip)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    steps = ("manage.py makemessages", "POT-Creation-Date", "manage.py compilemessages")
    commands = [line for line in make_dry_run("messages") if any(step in line for step in steps)]
    assert len(commands) >= 2, commands
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}

    def make_messages():
        for command in commands:
            subprocess.run(["sh", "-c", command], cwd=copy, env=env, check=True, timeout=300, capture_output=True)

    make_messages()  # the catalogue as the copied sources have it
    po = copy / "locale/en/LC_MESSAGES/django.po"
    po.write_bytes(re.sub(rb"POT-Creation-Date: [^\\]*", b"POT-Creation-Date: 2020-01-01 00:00+0000", po.read_bytes()))
    before = locale_bytes(copy)
    settings = copy / "portal/settings.py"  # holds translated strings
    settings.write_text("# a line above every string\n" + settings.read_text())
    make_messages()
    after = locale_bytes(copy)
    assert sorted(after) == sorted(before)
    assert [name for name in before if after[name] != before[name]] == []


def test_ci_installs_every_client_tool_it_calls():
    script = (ROOT / ".ci" / "run").read_text()
    for tool, package in [
        ("pg_isready", "postgresql-client"),
        ("psql", "postgresql-client"),
        ("pg_dump", "postgresql-client"),
        ("redis-cli", "redis-tools"),
    ]:
        assert re.search(rf"command -v {tool} >/dev/null \|\| need\+=\({package}\)", script), tool
    # The interpreter the Makefile makes the venv with, and its own venv package (python3.11-venv).
    assert re.search(r'"\$python" -c "import venv, ensurepip" 2>/dev/null \|\|\s+need\+=\("python\$\(.*\)-venv"\)', script)
