"""Settings for the test suite: the production settings, with only what a test run must differ in."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client and live server speak plain HTTP

from portal.settings import *  # noqa: F403
