"""Settings for the test suite: the production settings, with only what a test run must differ in."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client and live server speak plain HTTP

from portal.settings import *  # noqa: F403

# Tests make hundreds of users; the production hasher would take most of the run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Server processes started by a test (tests/platform/test_multiprocess.py) may mount test-only views;
# the suite itself and production never do.
if os.environ.get("TEST_ROOT_URLCONF"):
    ROOT_URLCONF = os.environ["TEST_ROOT_URLCONF"]

# Background tasks run inside the caller, at once; tests/platform/test_worker.py starts real workers
# (with TASKS_EAGER=0) and turns this off for its own process.
TASKS_EAGER = os.environ.get("TASKS_EAGER", "1") == "1"
# A worker started by a test takes the poll and retry times it is given.
Q_CLUSTER["poll"] = float(os.environ.get("TEST_TASK_POLL", "0.2"))  # noqa: F405
# SQLite runs in memory, one database per xdist process (pytest-django names them only for
# Django's own engine name; ours is django-prometheus's wrapper of it).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"  # noqa: F405
