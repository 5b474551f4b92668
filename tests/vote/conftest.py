import pytest

from submissions.vote import sms


@pytest.fixture(autouse=True)
def _sms(settings):
    """Text messages kept in sms.outbox; forms posted at once are not refused as too fast."""
    settings.SMS_BACKEND = "submissions.vote.sms.LocMemBackend"
    settings.FORM_MIN_SECONDS = 0
    sms.outbox.clear()
    yield
    sms.outbox.clear()
