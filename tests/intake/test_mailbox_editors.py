"""邮箱来稿 for the editors (issue 23, findings 3, 4, 11): a quarantined message is listed with its
reason and counted, read again from its stored bytes, downloadable by editors only; the
sender is checked against the message's own Authentication-Results, and no receipt goes to an
unverified sender's address until an editor confirms it. Messages are handed to the store as
the fetch hands them (the IMAP side is tests/intake/test_mailbox*.py); NUL reaches the database layer
here (dovecot would turn it into 0x80 on the way)."""

import pytest
from django.urls import reverse

from submissions.intake import mailbox
from submissions.intake.mailbox import parse, senders, store
from submissions.models import MailboxMessage, OutboxMessage, Region, Submission
from submissions.platform import images
from submissions.workflow import roles
from tests.factories import CampaignFactory, make_user
from tests.mail_samples import attachment, plain, with_parts
from tests.submit_data import entry_data, image_bytes

pytestmark = pytest.mark.django_db
Q, PENDING = MailboxMessage.Outcome.QUARANTINED, MailboxMessage.Outcome.PENDING
PASSED, UNVERIFIED = MailboxMessage.SenderCheck.PASSED, MailboxMessage.SenderCheck.UNVERIFIED
CHANGELIST = "admin:submissions_mailboxmessage_changelist"


@pytest.fixture
def campaign():
    return CampaignFactory(slug="mail-editors")


@pytest.fixture
def editor():
    return make_user(roles.EDITOR, username="mail-editor", email="ed@example.com")


def fetched(campaign, raw):
    """The message stored as a fetch stores it; its row."""
    head = parse.head_of(raw)
    store.handle(campaign, raw, head)
    return MailboxMessage.objects.get(message_key=head.key, fingerprint=head.fingerprint)


def test_nul_and_control_characters_never_reach_the_database(campaign):
    raw = with_parts(
        b"<nul@x>",
        [
            b"Content-Type: text/plain; charset=utf-8\r\n\r\nbo\x00dy\x07 text",
            attachment(b"a\x00b.jpg", image_bytes(), b"image/jpeg"),
        ],
    )
    raw = raw.replace(b"From: Sender", b"From: =?UTF-8?B?AFNlbmRlcg==?=")  # NUL, then "Sender"
    raw = raw.replace(b"Subject: parts", b"Subject: =?UTF-8?B?AHBhcnRz?=\x01")  # NUL, then "parts"; a raw ^A
    item = fetched(campaign, raw)
    assert item.outcome == PENDING, item.failure
    assert (item.subject, item.sender, item.body) == ("parts", "Sender <sender@example.org>", "body text")
    assert item.draft["fields"]["contact_name"] == "Sender"
    assert len(item.photo_keys) == 1


def test_a_failed_read_is_listed_counted_and_read_again(client, campaign, editor, monkeypatch):
    make_renditions = images.make_renditions
    monkeypatch.setattr(images, "make_renditions", lambda upload: 1 / 0)
    raw = with_parts(b"<retry@x>", [attachment(b"p.jpg", image_bytes(), b"image/jpeg")], subject=b"retry me")
    item = fetched(campaign, raw)
    assert (item.outcome, item.attempts) == (Q, 1)
    assert item.failure == "读取邮件时出错，请下载原始邮件查看。（ZeroDivisionError）"

    client.force_login(editor)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "有 1 封邮件读取失败（已隔离）" in page and "outcome__exact=quarantined" in page
    assert "读取失败：读取邮件时出错，请下载原始邮件查看。（ZeroDivisionError）（已读取 1 次）" in page
    assert reverse("admin:submissions_mailboxmessage_raw", args=[item.pk]) in page

    monkeypatch.setattr(images, "make_renditions", lambda upload: {}["missing"])  # fails again, otherwise
    action = {"action": "retry_selected", "_selected_action": [item.pk]}
    response = client.post(reverse(CHANGELIST), action, follow=True)
    assert "1 封邮件仍读取失败，原因已更新。" in response.content.decode()
    item.refresh_from_db()
    assert (item.outcome, item.attempts, item.failure) == (Q, 2, "读取邮件时出错，请下载原始邮件查看。（KeyError）")

    monkeypatch.setattr(images, "make_renditions", make_renditions)  # the reader fixed
    response = client.post(reverse(CHANGELIST), action, follow=True)
    assert "已重新读取 1 封邮件，已进入代录入队列。" in response.content.decode()
    item.refresh_from_db()
    assert (item.outcome, item.attempts, item.failure) == (PENDING, 3, "")
    assert item.body == "" and len(item.photo_keys) == 1
    assert f"?mail={item.pk}" in client.get(reverse(CHANGELIST)).content.decode()
    assert not mailbox.retry(item)  # only a quarantined message is read again


def test_a_retry_without_raw_bytes_says_so(campaign):
    item = MailboxMessage.objects.create(campaign=campaign, message_key="k", outcome=Q, failure="x", attempts=1)
    assert not mailbox.retry(item)
    item.refresh_from_db()
    assert (item.outcome, item.attempts, item.failure) == (Q, 2, "原始邮件未保存，无法重新读取，请到邮箱中查看。")


def test_the_raw_message_downloads_for_editors_only(client, campaign, editor):
    raw = plain(b"<raw@x>", body=b"<script>alert(1)</script>\r\n", ctype=b"text/html")
    item = fetched(campaign, raw)
    url = reverse("admin:submissions_mailboxmessage_raw", args=[item.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user(roles.REVIEWER, username="mail-reviewer"))
    assert client.get(url).status_code == 403
    for user in (editor, make_user(roles.CHIEF, username="mail-chief")):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == raw
        assert response["Content-Disposition"] == f'attachment; filename="mail-{item.pk}.eml"'
        assert response["Content-Type"] == "message/rfc822"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    bare = MailboxMessage.objects.create(campaign=campaign, message_key="bare")
    assert client.get(reverse("admin:submissions_mailboxmessage_raw", args=[bare.pk])).status_code == 404


def test_a_reused_message_id_is_marked_for_the_editor(client, campaign, editor):
    fetched(campaign, plain(b"<same@x>", subject=b"earlier one"))
    later = fetched(campaign, plain(b"<same@x>", sender=b"Mallory <m@evil.example>", subject=b"later one"))
    assert later.same_id_as.subject == "earlier one"
    client.force_login(editor)
    assert "与“earlier one”的 Message-ID 相同" in client.get(reverse(CHANGELIST)).content.decode()
    page = client.get(reverse("admin:intake"), {"mail": later.pk}).content.decode()
    assert "与“earlier one”的 Message-ID 相同" in page and "data-mail-same-id" in page


AR = "Authentication-Results: "


@pytest.mark.parametrize(
    "headers, expected",
    [
        ([AR + "mx.example.com; dkim=pass header.d=example.org header.s=s1"], PASSED),
        ([AR + "mx.example.com; dkim=pass header.i=@mail.example.org"], PASSED),  # a subdomain: relaxed alignment
        ([AR + "mx.example.com; spf=pass smtp.mailfrom=bounce@example.org"], PASSED),
        ([AR + "mx.example.com 1; dmarc=pass (p=none) header.from=example.org"], PASSED),
        ([AR + "mx.example.com; dkim=pass header.d=evil.example"], UNVERIFIED),  # signed, by someone else
        ([AR + "mx.example.com; spf=pass smtp.mailfrom=x@evil.example"], UNVERIFIED),
        ([AR + "mx.example.com; dkim=fail header.d=example.org; spf=softfail smtp.mailfrom=example.org"], UNVERIFIED),
        ([AR + "mx.example.com; dmarc=fail header.from=example.org"], UNVERIFIED),
        ([AR + "mx.example.com; none"], UNVERIFIED),
        ([], UNVERIFIED),
        # The sender wrote a passing header below the server's failing one: only the topmost counts.
        (
            [AR + "mx.example.com; spf=fail smtp.mailfrom=example.org", AR + "mx.example.com; dkim=pass header.d=example.org"],
            UNVERIFIED,
        ),
        # A passing result hidden in a quoted envelope sender is not a result.
        ([AR + 'mx.example.com; spf=fail smtp.mailfrom="a;dkim=pass header.d=example.org"@evil.example'], UNVERIFIED),
        ([AR + "mx.example.com; dkim=pass (comment; dkim=pass) header.d=com"], UNVERIFIED),  # not a domain one owns
    ],
)
def test_the_sender_check_reads_the_messages_authentication_results(campaign, headers, expected):
    raw = plain(b"<ar@x>", sender=b"Wang <wang@example.org>", headers="".join(h + "\r\n" for h in headers).encode())
    assert fetched(campaign, raw).sender_check == expected


def test_only_the_configured_mail_server_is_trusted(campaign, settings):
    settings.MAILBOX_AUTHSERV_ID = "mx.ours.example"
    theirs = AR + "mx.theirs.example; dkim=pass header.d=example.org\r\n"
    ours_fail = AR + "mx.ours.example; dkim=fail header.d=example.org\r\n"
    ours_pass = AR + "MX.Ours.Example; dmarc=pass header.from=example.org\r\n"
    sender = b"Wang <wang@example.org>"
    assert fetched(campaign, plain(b"<t1@x>", sender=sender, headers=(theirs + ours_fail).encode())).sender_check == UNVERIFIED
    assert fetched(campaign, plain(b"<t2@x>", sender=sender, headers=(theirs + ours_pass).encode())).sender_check == PASSED
    assert senders.check([ours_pass[len(AR) :]], "") == UNVERIFIED  # no sender address: nothing to verify


def intake_post(item, **overrides):
    region = Region.objects.get(code="jinan")
    data = entry_data(region, sections=1, photos=1, **overrides)
    for name in ("started", "website"):
        data.pop(name)
    data.update(mail=str(item.pk), attachment_keys=" ".join(item.attachment_keys))
    return data


def receipts():
    return list(OutboxMessage.objects.filter(event="received").values_list("to", flat=True))


def test_no_receipt_goes_to_an_unverified_sender_until_an_editor_confirms(
    client, campaign, editor, django_capture_on_commit_callbacks
):
    spoofed = fetched(campaign, plain(b"<spoof@x>", sender=b"=?UTF-8?B?546L?= <leader@example.gov>", subject=b"spoofed"))
    assert spoofed.sender_check == UNVERIFIED
    client.force_login(editor)
    page = client.get(reverse("admin:intake"), {"mail": spoofed.pk}).content.decode()
    assert "发件人未验证" in page and 'name="sender_confirmed"' in page and "我已核实发件人" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:intake"), intake_post(spoofed, contact_email="Leader@example.gov"))
    assert response.status_code == 200 and "回执和查询链接不会发往未核实的邮箱" in response.content.decode()
    assert Submission.objects.count() == 0 and receipts() == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:intake"), intake_post(spoofed, contact_email="leader@example.gov", sender_confirmed="on")
        )
    assert response.status_code == 302
    assert receipts() == ["leader@example.gov"]
    spoofed.refresh_from_db()
    assert (spoofed.outcome, spoofed.sender_confirmed_by) == (MailboxMessage.Outcome.ENTERED, editor)


def test_an_unverified_message_entered_with_another_address_needs_no_confirmation(
    client, campaign, editor, django_capture_on_commit_callbacks
):
    item = fetched(campaign, plain(b"<other-address@x>", sender=b"Wang <wang@example.org>"))
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:intake"), intake_post(item, contact_email="known@example.com"))
    assert response.status_code == 302 and receipts() == ["known@example.com"]
    item.refresh_from_db()
    assert item.sender_confirmed_by is None


def test_a_verified_sender_gets_the_receipt_without_a_confirmation(client, campaign, editor, django_capture_on_commit_callbacks):
    headers = b"Authentication-Results: mx.example.com; dkim=pass header.d=example.org\r\n"
    item = fetched(campaign, plain(b"<verified@x>", sender=b"Wang <wang@example.org>", headers=headers))
    assert item.sender_check == PASSED
    client.force_login(editor)
    page = client.get(reverse("admin:intake"), {"mail": item.pk}).content.decode()
    assert "发件人未验证" not in page and 'name="sender_confirmed"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:intake"), intake_post(item, contact_email="wang@example.org"))
    assert response.status_code == 302 and receipts() == ["wang@example.org"]
