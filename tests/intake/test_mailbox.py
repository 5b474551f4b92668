"""邮箱来稿: the campaign mailbox read over IMAP (TLS) from a real dovecot started by the tests,
with messages in the shapes real mail clients send; nothing imported twice; the editor enters
or rejects the draft."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from submissions.intake import mailbox
from submissions.models import Attachment, MailboxMessage, Photo, Region, Status, Submission
from submissions.workflow import roles
from tests import docx_corpus as corpus
from tests import mail_samples
from tests.factories import make_user
from tests.mail_samples import CASE, foxmail_message, unseen
from tests.submit_data import entry_data, formset

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def imap_server():
    yield from mail_samples.server()


@pytest.fixture
def campaign(imap_server, settings, monkeypatch):
    return mail_samples.campaign_on(imap_server, settings, monkeypatch)


def test_a_message_becomes_a_draft_in_the_queue_once(campaign, imap_server):
    message = foxmail_message("<a1@foxmail.example>")
    imap_server.deliver(message)
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
    assert [p.caption for p in photos] == ["图为党员志愿者为群众服务", "支部开展主题党日活动", "党员先锋岗", "IMG_0001"]
    assert all(p.submission_id is None and p.upload_key.startswith("mail-") for p in photos)
    attachment = Attachment.objects.get(upload_key=item.attachment_keys[0])
    assert attachment.original_name == "沂蒙社区.docx"
    assert unseen(imap_server) == 0  # marked read

    # A second run imports nothing; the same message delivered again (unread) is skipped too.
    assert mailbox.fetch(campaign).imported == 0
    imap_server.deliver(message)  # the same bytes (a document built again differs: its zip's times)
    report = mailbox.fetch(campaign)
    assert (report.imported, report.skipped) == (0, 1)
    assert MailboxMessage.objects.count() == 1
    assert unseen(imap_server) == 0


def test_the_command_fetches_and_a_big_message_is_bounded_before_reading(campaign, imap_server, monkeypatch, capsys):
    monkeypatch.setattr(mailbox.imap, "MAX_MESSAGE_BYTES", 10_000)
    imap_server.deliver(foxmail_message("<big@foxmail.example>"))
    call_command("fetch_mailbox", "--campaign", campaign.slug)
    assert "1 imported" in capsys.readouterr().out
    item = MailboxMessage.objects.get(message_id="<big@foxmail.example>")
    assert item.notes == "邮件超过 30 MB，未读取正文和附件，请到邮箱中查看。"
    assert item.body == "" and item.photo_keys == [] and item.attachment_keys == []
    assert item.subject == "沂蒙社区党委党建品牌报送"


def test_a_hostile_document_in_a_message_is_noted_and_nothing_of_it_stored(campaign, imap_server, monkeypatch):
    monkeypatch.setattr(mailbox.store, "MAX_ATTACHMENTS", 2)
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

    from submissions.intake import services as intake

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
