"""邮箱来稿: the campaign mailbox read over IMAP (TLS) from a real dovecot started by the tests,
with messages in the shapes real mail clients send; nothing imported twice; the editor enters
or rejects the draft."""

import base64
import imaplib
import shutil
import ssl
import subprocess
import tempfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from submissions import mailbox, roles
from submissions.models import Attachment, MailboxMessage, Photo, Region, Status, Submission
from tests import docx_corpus as corpus
from tests.factories import CampaignFactory, make_user
from tests.imap_server import ImapServer
from tests.submit_data import entry_data, formset, image_bytes

pytestmark = pytest.mark.django_db

CASE = next(c for c in corpus.CASES if c["name"] == "labels-table-photos")  # SEED: 3 photos, a table
GBK_BODY = "编辑部老师您好：\r\n附件是我们支部的党建品牌材料，请审阅。\r\n沂蒙社区党委 王老师\r\n"


@pytest.fixture(scope="module")
def imap_server():
    # Not under pytest's own temporary folder: that one is private to root, and dovecot's
    # unprivileged processes must read the user list and the Maildir.
    root = tempfile.mkdtemp(prefix="portal-imap-")
    try:
        server = ImapServer(root).start()
    except (FileNotFoundError, subprocess.CalledProcessError, RuntimeError) as exc:
        pytest.fail(f"dovecot could not start (apt-get install dovecot-imapd): {exc}")
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def campaign(imap_server, settings, monkeypatch):
    settings.MAILBOX_CA_FILE = str(imap_server.root / "cert.pem")
    found = CampaignFactory(slug="mail-2026", imap_host="127.0.0.1", imap_port=imap_server.port, imap_user=imap_server.user)
    monkeypatch.setenv("PORTAL_IMAP_PASSWORD_MAIL_2026", imap_server.password)
    return found


def b64(data):
    return base64.encodebytes(data).decode()


def foxmail_message(message_id, *, subject="=?UTF-8?B?5rKC6JKZ56S+5Yy65YWa5aeU5YWa5bu65ZOB54mM5oql6YCB?=", document=None):
    """multipart/mixed as Foxmail and Outlook write it: an RFC 2047 subject (UTF-8, base64), a GBK
    text body, the Word document with its Chinese name in RFC 2231 (filename*=), and a photo."""
    document = document if document is not None else corpus.build(CASE)
    return (
        "From: =?GBK?B?zfXAz8qm?= <wang@example.org>\r\n"
        "To: mailbox@example.com\r\n"
        f"Subject: {subject}\r\n"
        "Date: Tue, 01 Dec 2026 09:30:00 +0800\r\n"
        f"Message-ID: {message_id}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="----=_NextPart_000"\r\n'
        "\r\n"
        "------=_NextPart_000\r\n"
        'Content-Type: text/plain; charset="GBK"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        f"{b64(GBK_BODY.encode('gbk'))}"
        "------=_NextPart_000\r\n"
        "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\r\n"
        "\tname*=UTF-8''%E6%B2%82%E8%92%99%E7%A4%BE%E5%8C%BA.docx\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment;\r\n"
        "\tfilename*=UTF-8''%E6%B2%82%E8%92%99%E7%A4%BE%E5%8C%BA.docx\r\n"
        "\r\n"
        f"{b64(document)}"
        "------=_NextPart_000\r\n"
        'Content-Type: image/jpeg; name="IMG_0001.jpg"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment; filename="IMG_0001.jpg"\r\n'
        "\r\n"
        f"{b64(image_bytes(size=(800, 600)))}"
        "------=_NextPart_000--\r\n"
    ).encode("ascii")


def unseen(server):
    client = imaplib.IMAP4_SSL(
        "127.0.0.1", server.port, ssl_context=ssl.create_default_context(cafile=str(server.root / "cert.pem"))
    )
    client.login(server.user, server.password)
    client.select("INBOX")
    _status, found = client.search(None, "UNSEEN")
    client.logout()
    return len(found[0].split())


def test_a_message_becomes_a_draft_in_the_queue_once(campaign, imap_server):
    imap_server.deliver(foxmail_message("<a1@foxmail.example>"))
    report = mailbox.fetch(campaign)
    assert (report.imported, report.skipped, report.errors) == (1, 0, [])
    item = MailboxMessage.objects.get()
    assert item.subject == "沂蒙社区党委党建品牌报送"
    assert item.sender == "王老师 <wang@example.org>"
    assert item.sender_email == "wang@example.org"
    assert item.body == "编辑部老师您好：\n附件是我们支部的党建品牌材料，请审阅。\n沂蒙社区党委 王老师"
    fields = item.draft["fields"]
    assert fields["org_name"] == "临沂市兰山区金雀山街道沂蒙社区党委"
    assert fields["brand_name"] == "红色沂蒙"
    assert fields["contact_email"] == "wang@example.org"
    assert item.draft["sections"][0] == [
        "党建引领聚合力",
        "社区党委推行“党委+网格+楼栋”三级组织体系。\n（一）建强网格\n全社区划分为12个网格，每个网格配1名党员网格员。",
    ]
    assert len(item.draft["sections"]) == 5
    # 3 photos embedded in the document and the attached one, staged and held for the editor.
    photos = [Photo.objects.get(upload_key=key) for key in item.photo_keys]
    assert [p.caption for p in photos] == ["图为党员志愿者为群众服务", "▲支部开展主题党日活动", "党员先锋岗", "IMG_0001"]
    assert all(p.submission_id is None and p.upload_key.startswith("mail-") for p in photos)
    attachment = Attachment.objects.get(upload_key=item.attachment_keys[0])
    assert attachment.original_name == "沂蒙社区.docx"
    assert unseen(imap_server) == 0  # marked read

    # A second run imports nothing; the same message delivered again (unread) is skipped too.
    assert mailbox.fetch(campaign).imported == 0
    imap_server.deliver(foxmail_message("<a1@foxmail.example>"))
    report = mailbox.fetch(campaign)
    assert (report.imported, report.skipped) == (0, 1)
    assert MailboxMessage.objects.count() == 1
    assert unseen(imap_server) == 0


def test_the_command_fetches_and_a_big_message_is_bounded_before_reading(campaign, imap_server, monkeypatch, capsys):
    monkeypatch.setattr(mailbox, "MAX_MESSAGE_BYTES", 10_000)
    imap_server.deliver(foxmail_message("<big@foxmail.example>"))
    call_command("fetch_mailbox", "--campaign", campaign.slug)
    assert "1 imported" in capsys.readouterr().out
    item = MailboxMessage.objects.get(message_id="<big@foxmail.example>")
    assert item.notes == "邮件超过 30 MB，未读取正文和附件，请到邮箱中查看。"
    assert item.body == "" and item.photo_keys == [] and item.attachment_keys == []
    assert item.subject == "沂蒙社区党委党建品牌报送"


def test_a_hostile_document_in_a_message_is_noted_and_nothing_of_it_stored(campaign, imap_server, monkeypatch):
    monkeypatch.setattr(mailbox, "MAX_ATTACHMENTS", 2)
    data = corpus.build(CASE)
    hostile = data.replace(b"word/document.xml", b"word/documenx.xml")  # the main part is gone
    imap_server.deliver(foxmail_message("<bad@foxmail.example>", document=hostile, subject="=?GBK?B?suLK1A==?="))
    mailbox.fetch(campaign)
    item = MailboxMessage.objects.get(message_id="<bad@foxmail.example>")
    assert item.subject == "测试"
    assert "未能读取" in item.notes or "不是 PDF 或 Word 文件" in item.notes
    assert item.draft["sections"] == []
    assert len(item.photo_keys) == 1  # only the attached photo


def test_the_editor_enters_the_draft_through_the_workflow(client, campaign, imap_server, django_assert_max_num_queries):
    imap_server.deliver(foxmail_message("<enter@foxmail.example>"))
    mailbox.fetch(campaign)
    item = MailboxMessage.objects.get(message_id="<enter@foxmail.example>")
    editor = make_user(roles.EDITOR, username="ed")
    client.force_login(editor)
    with django_assert_max_num_queries(25):
        queue = client.get(reverse("admin:submissions_mailboxmessage_changelist"))
    assert queue.status_code == 200 and f"?mail={item.pk}" in queue.content.decode()
    page = client.get(reverse("admin:intake"), {"mail": item.pk})
    bundle = page.context["bundle"]
    assert bundle.form["org_name"].value() == "临沂市兰山区金雀山街道沂蒙社区党委"
    assert [f["heading"].value() for f in bundle.sections.forms][:5] == [
        "党建引领聚合力",
        "志愿服务暖民心",
        "议事协商解难题",
        "文化传承润人心",
        "数字赋能提效率",
    ]
    assert "编辑部老师您好" in page.content.decode()
    region = Region.objects.get(code="jinan")
    data = entry_data(region, sections=0, photos=0, org_name="临沂市兰山区金雀山街道沂蒙社区党委", brand_name="红色沂蒙")
    for name in ("started", "website"):
        data.pop(name)
    sections = [
        {"heading": f["heading"].value(), "body": f["body"].value()} for f in bundle.sections.forms if f["heading"].value()
    ]
    data.update(formset("sections", sections))
    data.update(
        formset(
            "photos",
            [{"key": f["key"].value(), "caption": f["caption"].value()} for f in bundle.photos.forms if f["key"].value()],
        )
    )
    data.update(mail=str(item.pk), attachment_keys=" ".join(item.attachment_keys))
    response = client.post(reverse("admin:intake"), data)
    entry = Submission.objects.get()
    assert response.status_code == 302
    assert entry.status == Status.SUBMITTED and entry.via_email and entry.entered_by == editor
    assert entry.history.get().via == "email"
    expected = list(corpus.SEED["sections"])
    expected[1] = (expected[1][0], expected[1][1] + "\n" + corpus.TABLE_TEXT)  # the document's table
    assert [(s.heading, s.body) for s in entry.sections.all()] == expected
    assert entry.photos.count() == 4 and entry.attachments.get().original_name == "沂蒙社区.docx"
    item.refresh_from_db()
    assert (item.outcome, item.entry, item.handled_by) == (MailboxMessage.Outcome.ENTERED, entry, editor)


def test_the_editor_rejects_a_draft_and_its_files_go(client, campaign, imap_server):
    imap_server.deliver(foxmail_message("<reject@foxmail.example>"))
    mailbox.fetch(campaign)
    item = MailboxMessage.objects.get(message_id="<reject@foxmail.example>")
    client.force_login(make_user(roles.EDITOR, username="ed2"))
    response = client.post(f"{reverse('admin:intake')}?mail={item.pk}", {"mail": item.pk, "action": "reject"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == MailboxMessage.Outcome.REJECTED
    assert not Photo.objects.filter(upload_key__in=item.photo_keys).exists()
    assert not Attachment.objects.filter(upload_key__in=item.attachment_keys).exists()
    assert Submission.objects.count() == 0


def test_held_mail_files_are_not_purged_as_abandoned_uploads(campaign, imap_server):
    from datetime import timedelta

    from django.utils import timezone

    from submissions import intake

    imap_server.deliver(foxmail_message("<held@foxmail.example>"))
    mailbox.fetch(campaign)
    assert intake.purge_staged(timezone.now() + timedelta(days=30)) == 0
    assert Photo.objects.filter(upload_key__startswith="mail-").count() == 4


def test_only_editors_and_chief_editors_see_the_queue(client, campaign):
    url = reverse("admin:submissions_mailboxmessage_changelist")
    assert client.get(url).status_code == 302
    client.force_login(make_user(roles.REVIEWER, username="rev"))
    assert client.get(url).status_code == 403
    client.force_login(make_user(roles.CHIEF, username="chief2"))
    assert client.get(url).status_code == 200


def test_password_comes_from_the_environment_and_is_not_in_the_admin(client, campaign):
    assert mailbox.password_of(campaign) != ""
    client.force_login(make_user(None, username="root", is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:submissions_campaign_change", args=[campaign.pk])).content.decode()
    assert 'name="imap_host"' in page and "imap_password" not in page
