"""邮箱来稿 against a hostile sender (issue 23, findings 2, 3, 4, 11), on a real dovecot: one bad
message never blocks another (each is stored, imported or quarantined with its reason, and
marked read), nothing mailed vanishes (a reused Message-ID is imported and marked), the key is a
hash of the whole Message-ID and never of the IMAP UID."""

import time

import pytest

from submissions.intake import mailbox
from submissions.models import MailboxMessage
from submissions.platform import documents, images
from tests import mail_samples
from tests.factories import CampaignFactory
from tests.mail_samples import attachment, forwarded, foxmail_message, nested, plain, unseen, with_parts
from tests.submit_data import image_bytes

pytestmark = pytest.mark.django_db
Q, PENDING = MailboxMessage.Outcome.QUARANTINED, MailboxMessage.Outcome.PENDING
DEEP = "邮件结构嵌套过深（超过 20 层），未读取。"
MANY = "邮件分段过多（超过 100 段），未读取。"
CRASH = "读取邮件时出错，请下载原始邮件查看。（RuntimeError）"
HUGE = b"X-Padding: " + b"a" * (10 * 1024 * 1024) + b"\r\n"


@pytest.fixture(scope="module")
def imap_server():
    yield from mail_samples.server()


@pytest.fixture
def campaign(imap_server, settings, monkeypatch):
    return mail_samples.campaign_on(imap_server, settings, monkeypatch)


@pytest.fixture
def crashing_readers(monkeypatch):
    """A photo whose bytes say CRASH, or a Word file named CRASH, makes its reader raise, as a
    bug in a reader would; a Word file named REFUSED is refused, as a hostile document is."""
    make_renditions, read_practice = images.make_renditions, documents.read_practice

    def renditions(upload):
        if upload.read().startswith(b"CRASH"):
            raise RuntimeError("a bug in the image reader")
        upload.seek(0)
        return make_renditions(upload)

    def practice(upload, name=None, **kwargs):
        if "CRASH" in (name or ""):
            raise RuntimeError("a bug in the document reader")
        if "REFUSED" in (name or ""):
            raise documents.DocumentRefused("文档内容过多，未能读取。", "too_big")
        return read_practice(upload, name, **kwargs)

    monkeypatch.setattr(images, "make_renditions", renditions)
    monkeypatch.setattr(documents, "read_practice", practice)


def poison():
    """Sixty messages, each {id: (raw, outcome, what the row must say)}."""
    docx = mail_samples.corpus.build(mail_samples.CASE)
    found = {}

    def add(name, raw, outcome, **expected):
        found[name] = (raw, outcome, expected)

    nul = b"=?UTF-8?B?AA==?="
    add("nul-subject", plain(b"<nul-subject@x>", subject=b"a" + nul + b"b"), PENDING, subject="ab")
    add("nul-name", plain(b"<nul-name@x>", sender=nul + b" <n@example.org>"), PENDING, sender="<n@example.org>")
    add("nul-body", plain(b"<nul-body@x>", body=b"be\x00fore\x01 after\r\n"), PENDING, body="fore after")  # dovecot: NUL→0x80
    add(
        "nul-b64",
        plain(b"<nul-b64@x>", body=b"AGEAYgA=\r\n", headers=b"Content-Transfer-Encoding: base64\r\n"),
        PENDING,
        body="ab",
    )
    add("controls", plain(b"<controls@x>", subject=b"=?UTF-8?B?AQIDBAUGBwgLDA4P?=ok"), PENDING, subject="ok")
    add("ctl-id", plain(b"<ctl\x01\x7fid@x>"), PENDING, message_id="<ctlid@x>")
    add("nul-filename", with_parts(b"<nul-file@x>", [attachment(b"a\x00b.docx", docx, mail_samples.DOCX.encode())]), PENDING)
    add("ctl-filename", with_parts(b"<ctl-file@x>", [attachment(b"=?UTF-8?B?AQI=?=.pdf", b"%PDF-1.4 x")]), PENDING)
    for depth in (1000, 500, 100, 40, 22):
        add(f"deep-{depth}", nested(b"<deep-%d@x>" % depth, depth), Q, failure=DEEP)
    for depth in (1000, 100, 30, 21):
        add(f"fwd-{depth}", forwarded(b"<fwd-%d@x>" % depth, depth), Q, failure=DEEP)
    add("deep-unclosed", nested(b"<deep-open@x>", 800).rsplit(b"--b0--", 1)[0], Q, failure=DEEP)
    for count in (101, 1000, 20000):
        text_part = b"Content-Type: text/plain\r\n\r\nx"
        add(f"parts-{count}", with_parts(b"<parts-%d@x>" % count, [text_part] * count), Q, failure=MANY)
    for charset in (b"x-no-such", b"utf-7", b"gb2312", b"utf-8", b"iso-2022-jp", b'"'):
        body = "党建".encode("gbk") + b"\xff\xfe\x80 text\r\n"
        add(
            f"charset-{charset.decode()}",
            plain(b"<cs-%s@x>" % charset, body=body, ctype=b"text/plain; charset=" + charset),
            PENDING,
        )
    add("ew-charset", plain(b"<ew@x>", subject=b"=?x-unknown?B?5rKC?= =?utf-8?Q?=FF?="), PENDING)
    add("raw-gbk", plain(b"<raw-gbk@x>", subject="党建".encode("gbk"), sender="王".encode("gbk") + b" <w@x.org>"), PENDING)
    add("raw-utf8", plain(b"<raw-utf8@x>", subject="党建品牌".encode()), PENDING, subject="党建品牌")
    add("huge-header", plain(b"<huge-header@x>", headers=HUGE), PENDING, message_id="<huge-header@x>")
    add("huge-subject", plain(b"<huge-subject@x>", subject=b"=?UTF-8?B?5rKC?= " * 100_000), PENDING)
    add("huge-from", plain(b"<huge-from@x>", sender=b'"a" ' * 200_000 + b"<f@example.org>"), PENDING)
    add("huge-ctype", with_parts(b"<huge-ct@x>", [b'Content-Type: text/plain; a="b' * 50_000 + b"\r\n\r\nx"]), PENDING)
    add("html-angles", plain(b"<angles@x>", body=b"<" * 2_000_000, ctype=b"text/html"), PENDING)
    add("bad-date", plain(b"<bad-date@x>", headers=b"Date: Tue, 01 Dec 99999 09:30:00 +9999\r\n"), PENDING)
    add("no-headers", b"\r\njust a body\r\n", PENDING)
    add("garbage", bytes(range(256)) * 40, PENDING)
    add("bad-base64", with_parts(b"<b64@x>", [attachment(b"p.jpg", b"", b"image/jpeg") + b"!!!***"]), PENDING)
    add("bad-boundary", plain(b"<bb@x>", body=b"--x\r\n\r\n", ctype=b"multipart/mixed; boundary="), PENDING)
    add("no-boundary", plain(b"<nb@x>", body=b"text", ctype=b"multipart/mixed"), PENDING)
    for index in range(8):  # readers that crash, as a bug would: quarantined, the run goes on
        if index % 2:
            part = attachment(b"CRASH-%d.docx" % index, docx, mail_samples.DOCX.encode())
        else:
            part = attachment(b"p.jpg", b"CRASH" + image_bytes(), b"image/jpeg")
        add(f"crash-{index}", with_parts(b"<crash-%d@x>" % index, [part]), Q, failure=CRASH)
    for index in range(4):  # a Word file refused by the guard is a note, not a failure
        part = attachment(b"REFUSED-%d.docx" % index, docx, mail_samples.DOCX.encode())
        add(f"refused-{index}", with_parts(b"<refused-%d@x>" % index, [part]), PENDING, notes="文档内容过多")
    add("empty", b"", PENDING)
    while len(found) < 60:
        index = len(found)
        add(f"nul-more-{index}", plain(b"<nul-%d@x>" % index, subject=nul * 50, body=b"\x00" * 1000), PENDING, subject="")
    return found


def test_sixty_poison_mails_never_hold_the_good_one(campaign, imap_server, crashing_readers):
    mails = poison()
    assert len(mails) == 60
    for raw, _outcome, _expected in mails.values():
        imap_server.deliver(raw)
    imap_server.deliver(foxmail_message("<good@foxmail.example>"))  # last: behind all sixty

    started = time.monotonic()
    report = mailbox.fetch(campaign)  # one run, the default limit
    elapsed = time.monotonic() - started

    good = MailboxMessage.objects.get(message_id="<good@foxmail.example>")
    assert good.outcome == PENDING and good.draft["fields"]["brand_name"] == "红色沂蒙" and len(good.photo_keys) == 4
    quarantined = [name for name, (_raw, outcome, _x) in mails.items() if outcome == Q]
    assert (report.imported, report.quarantined, report.skipped, report.errors) == (
        61 - len(quarantined),
        len(quarantined),
        0,
        [],
    )
    assert MailboxMessage.objects.count() == 61
    rows = {row.message_id: row for row in MailboxMessage.objects.exclude(message_id="")}
    assert MailboxMessage.objects.filter(message_id="").count() == 3  # no-headers, garbage, empty: keyed on their headers
    for name, (raw, outcome, expected) in mails.items():
        if b"Message-ID: " not in raw:
            assert name in ("no-headers", "garbage", "empty")
            continue
        row = rows[expected.get("message_id") or raw.split(b"Message-ID: ", 1)[1].split(b"\r\n", 1)[0].decode()]
        assert row.outcome == outcome, (name, row.failure)
        assert row.attempts == 1 and row.raw.name, name  # every one kept as received
        if b"\x00" not in raw and raw.count(b"\n") == raw.count(b"\r\n"):  # dovecot sends NUL as 0x80, LF as CRLF
            assert row.raw.read() == raw, name
        for field, value in expected.items():
            assert value in getattr(row, field), (name, field, getattr(row, field)[:200])
        if outcome == Q:
            assert row.failure and row.body == "" and row.photo_keys == [] and row.attachment_keys == []
        else:
            assert row.failure == ""
    for row in MailboxMessage.objects.all():
        for text in (row.subject, row.sender, row.body, row.notes, row.message_id, str(row.draft)):
            assert "\x00" not in text and not any("\x01" <= ch <= "\x08" for ch in text), row.pk
    assert len(quarantined) == 21
    assert elapsed < 60, elapsed
    assert unseen(imap_server) == 0

    again = mailbox.fetch(campaign)  # nothing more to do
    assert (again.imported, again.quarantined, again.skipped) == (0, 0, 0)
    assert MailboxMessage.objects.count() == 61 and unseen(imap_server) == 0


def test_a_run_stops_at_its_limit_and_the_next_goes_on(campaign, imap_server):
    for index in range(5):
        imap_server.deliver(nested(b"<limit-%d@x>" % index, 1000))
    imap_server.deliver(foxmail_message("<after-limit@foxmail.example>"))
    first = mailbox.fetch(campaign, limit=3)
    assert (first.quarantined, first.left) == (3, 3)
    second = mailbox.fetch(campaign, limit=3)
    assert (second.quarantined, second.imported, second.left) == (2, 1, 0)
    assert MailboxMessage.objects.get(message_id="<after-limit@foxmail.example>").outcome == PENDING


def test_a_reused_message_id_is_imported_and_marked(campaign, imap_server):
    imap_server.deliver(plain(b"<reused@x>", subject=b"first", body=b"one\r\n"))
    imap_server.deliver(plain(b"<reused@x>", sender=b"Other <other@example.net>", subject=b"second", body=b"one\r\n"))
    imap_server.deliver(plain(b"<reused@x>", subject=b"third", body=b"other text\r\n"))
    report = mailbox.fetch(campaign)
    assert (report.imported, report.skipped) == (3, 0)
    first, second, third = MailboxMessage.objects.filter(message_id="<reused@x>").order_by("pk")
    assert first.same_id_as is None and second.same_id_as == first and third.same_id_as == first
    assert mailbox.same_id_label(second) == "与“first”的 Message-ID 相同"
    assert {first.message_key} == {second.message_key, third.message_key}


def test_the_same_message_again_is_skipped_whatever_its_uid_or_server_headers(campaign, imap_server):
    raw = plain(b"<twice@x>", subject=b"twice", body=b"same words\r\n")
    no_id = plain(None, subject=b"no id", body=b"keyed on its headers\r\n")
    imap_server.deliver(raw)
    imap_server.deliver(no_id)
    assert mailbox.fetch(campaign).imported == 2
    # Delivered again (a new UID), through another server that added its own headers.
    relayed = b"Received: from relay.example.net by mx.example.com; Tue, 01 Dec 2026 10:00:00 +0800\r\n"
    imap_server.deliver(relayed + raw)
    imap_server.deliver(b"Authentication-Results: mx.example.com; spf=pass smtp.mailfrom=sender@example.org\r\n" + no_id)
    report = mailbox.fetch(campaign)
    assert (report.imported, report.skipped) == (0, 2)
    # The mailbox moved: the same messages copied to another folder, unread there.
    connection = mail_samples.client(imap_server)
    connection.create("Moved")
    _status, found = connection.uid("SEARCH", None, "OR", 'SUBJECT "twice"', 'SUBJECT "no id"')
    connection.uid("COPY", b",".join(found[0].split()), "Moved")
    connection.select("Moved")
    connection.store("1:*", "-FLAGS", "(\\Seen)")
    connection.logout()
    campaign.imap_folder = "Moved"
    report = mailbox.fetch(campaign)
    assert (report.imported, report.skipped) == (0, 4)
    assert MailboxMessage.objects.filter(message_id="<twice@x>").count() == 1
    assert MailboxMessage.objects.filter(subject="no id").count() == 1
    assert unseen(imap_server, "Moved") == 0


def test_long_message_ids_are_keyed_whole(campaign, imap_server):
    stem = b"<" + b"x" * 600
    imap_server.deliver(plain(stem + b"-one@x>", subject=b"one"))
    imap_server.deliver(plain(stem + b"-two@x>", subject=b"two"))
    assert mailbox.fetch(campaign).imported == 2
    one, two = MailboxMessage.objects.order_by("pk")
    assert (one.subject, two.subject) == ("one", "two")
    assert one.message_id == (stem + b"-one@x>").decode() and two.same_id_as is None
    assert one.message_key != two.message_key


def test_a_ten_megabyte_header_keeps_the_message_id(campaign, imap_server):
    raw = plain(b"<behind-huge@x>", headers=HUGE, subject=b"huge")
    imap_server.deliver(raw)
    imap_server.deliver(b"Received: by another.example.net\r\n" + raw)  # the same, again, another UID
    report = mailbox.fetch(campaign)
    assert (report.imported, report.skipped) == (1, 1)
    assert MailboxMessage.objects.get().message_id == "<behind-huge@x>"


def test_a_message_over_the_size_limit_keeps_its_message_id_too(campaign, imap_server, monkeypatch):
    monkeypatch.setattr(mailbox.imap, "MAX_MESSAGE_BYTES", 100_000)
    raw = plain(b"<big-and-huge@x>", headers=b"X-Padding: " + b"a" * 200_000 + b"\r\n", subject=b"big")
    imap_server.deliver(raw)
    imap_server.deliver(b"Received: by another.example.net\r\n" + raw)
    report = mailbox.fetch(campaign)
    assert (report.imported, report.skipped) == (1, 1)
    item = MailboxMessage.objects.get()
    assert (item.message_id, item.subject, item.raw.name) == ("<big-and-huge@x>", "big", "")
    assert item.notes == "邮件超过 30 MB，未读取正文和附件，请到邮箱中查看。"


def test_the_structure_limits_leave_real_mail_alone():
    """Nineteen multiparts inside each other (twenty levels with the text) and a hundred parts
    are read; one level or one part more is refused before the parser sees it."""
    campaign = CampaignFactory(slug="limits")
    text_part = b"Content-Type: text/plain\r\n\r\nx"
    for raw, outcome in [
        (nested(b"<d19@x>", 19), PENDING),
        (nested(b"<d20@x>", 20), Q),
        (with_parts(b"<p99@x>", [text_part] * 99), PENDING),
        (with_parts(b"<p100@x>", [text_part] * 100), Q),
    ]:
        head = mailbox.parse.head_of(raw)
        mailbox.store.handle(campaign, raw, head)
        assert MailboxMessage.objects.get(message_key=head.key).outcome == outcome, raw[:80]
    assert MailboxMessage.objects.get(message_id="<d19@x>").body == "hello"
