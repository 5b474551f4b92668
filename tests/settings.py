"""Settings for the test suite: the production settings, with only what a test run must differ in."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client and live server speak plain HTTP

from portal.settings import *  # noqa: F403

# Tests make hundreds of users; the production hasher would take most of the run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Server processes started by a test (tests/test_multiprocess.py) may mount test-only views;
# the suite itself and production never do.
if os.environ.get("TEST_ROOT_URLCONF"):
    ROOT_URLCONF = os.environ["TEST_ROOT_URLCONF"]

# Background tasks run inside the caller, at once (tests/test_worker.py starts real workers).
TASKS_EAGER = True
