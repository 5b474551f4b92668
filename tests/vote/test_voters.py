"""A voter: a mainland mobile number confirmed by a 6-digit code from the SMS backend."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.utils import timezone

from submissions.models import VoteCode
from submissions.vote import services, sms
from submissions.vote.forms import PhoneForm

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def sent_code():
    return re.search(r"\d{6}", sms.outbox[-1].text).group()


def test_the_code_goes_through_the_configured_backend_and_only_its_hash_is_kept():
    services.send_code(PHONE)
    assert [message.phone for message in sms.outbox] == [PHONE]
    code = sent_code()
    row = VoteCode.objects.get()
    assert code not in row.code_hash and PHONE not in row.phone_hash
    assert len(row.code_hash) == 64
    assert services.confirm(PHONE, code) == services.keyed("phone", PHONE)


def test_the_console_backend_prints_the_message():
    stream = StringIO()
    sms.ConsoleBackend(stream).send(PHONE, "您的投票验证码为 123456")
    assert stream.getvalue() == "[SMS] 13912345678: 您的投票验证码为 123456\n"


def test_a_code_is_used_once_and_expires_after_five_minutes():
    at = timezone.now()
    services.send_code(PHONE, at=at)
    code = sent_code()
    with pytest.raises(services.VoteError, match="过期"):
        services.confirm(PHONE, code, at=at + timedelta(seconds=301))
    services.confirm(PHONE, code, at=at + timedelta(seconds=299))
    with pytest.raises(services.VoteError, match="过期"):
        services.confirm(PHONE, code, at=at + timedelta(seconds=299))


def test_five_tries_then_even_the_right_code_is_refused():
    services.send_code(PHONE)
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(services.VoteError, match="不正确"):
            services.confirm(PHONE, wrong)
    with pytest.raises(services.VoteError, match="次数过多"):
        services.confirm(PHONE, code)


def test_a_number_gets_one_code_a_minute_and_five_an_hour():
    at = timezone.now()
    services.send_code(PHONE, at=at)
    with pytest.raises(services.VoteError, match="1 分钟"):
        services.send_code(PHONE, at=at + timedelta(seconds=30))
    for minute in range(1, 5):
        services.send_code(PHONE, at=at + timedelta(minutes=minute))
    with pytest.raises(services.VoteError, match="1 小时"):
        services.send_code(PHONE, at=at + timedelta(minutes=6))
    assert len(sms.outbox) == 5


@pytest.mark.parametrize(
    ("typed", "valid"),
    [("13912345678", True), ("139 1234 5678", True), ("+8613912345678", True), ("12912345678", False), ("1391234567", False)],
)
def test_only_mainland_mobile_numbers(typed, valid):
    from submissions.platform import abuse

    form = PhoneForm({"phone": typed, "started": abuse.stamp()})
    assert form.is_valid() is valid
    if valid:
        assert form.cleaned_data["phone"] == "13912345678"
