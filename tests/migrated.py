"""A migrated SQLite file for the tests that run the portal in other processes (workers, servers):
migrated once per test process, then copied for each test, instead of each one migrating its
own file (about 13 s each, longer on a loaded machine)."""

import atexit
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_template = {}


def _made():
    if "path" not in _template:
        folder = Path(tempfile.mkdtemp(prefix="migrated-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / "template.sqlite3"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": f"sqlite:///{path}"}
        for command in (["migrate", "--noinput", "-v", "0"], ["createcachetable"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
        _template["path"] = path
    return _template["path"]


def sqlite_copy(dest):
    """The URL of a migrated database (with the cache table) at `dest`, a copy of the template.
    Copied through SQLite's backup API, so that nothing still in the template's WAL is missed."""
    dest = Path(dest)
    source, target = sqlite3.connect(_made()), sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return f"sqlite:///{dest}"
