"""The results tests sign with a self-signed pair made once per run (tests/conftest.py: signing), as `make run` does."""

import pytest


@pytest.fixture(autouse=True)
def _signing_configured(settings, signing):
    settings.SITE_URL = "https://brand.example.cn"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `func` and then what its transaction does once committed (the PDF is rendered then)."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run
