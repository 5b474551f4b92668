"""A mailed entry's contact: the sender's name and address, and the phone number or signature block
in the body (submissions/intake/mailbox/parse.contacts, store.sender_contact)."""

import time
from email.header import Header

import pytest

from submissions.intake.mailbox import parse, store
from submissions.models import MailboxMessage, Region
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def message(body, *, sender="=?UTF-8?B?546L6ICB5biI?= <wang@example.org>", charset="utf-8", message_id="<c1@example.org>"):
    """A plain-text message as raw bytes (the sender's name 王老师, RFC 2047)."""
    return (
        f"From: {sender}\r\n"
        "To: mailbox@example.com\r\n"
        f"Subject: {Header('党建品牌报送', 'utf-8').encode()}\r\n"
        "Date: Tue, 01 Dec 2026 09:30:00 +0800\r\n"
        f"Message-ID: {message_id}\r\n"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset={charset}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
    ).encode() + body.replace("\n", "\r\n").encode(charset)


def imported(raw):
    campaign = CampaignFactory(slug="contacts-2026")
    assert store.handle(campaign, raw, parse.head_of(raw)) == store.IMPORTED
    return MailboxMessage.objects.get(campaign=campaign)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "编辑部您好：\n材料见附件。\n联系人：李红\n电话：13912345678\n",
            {"contact_name": "李红", "contact_phone": "13912345678"},
        ),
        ("联系人：李红 139-1234-5678\n", {"contact_name": "李红", "contact_phone": "13912345678"}),
        ("联系人:  李红（支部书记）\n手机：+86 139 1234 5678\n", {"contact_name": "李红", "contact_phone": "13912345678"}),
        ("联 系 人：张三\n联系电话：0531-88889999\n", {"contact_name": "张三"}),  # a landline does not fit the field
        ("有事请打 139 1234 5678 找我。", {"contact_phone": "13912345678"}),
        ("联系人：王五\n邮箱：wangwu@example.cn\n", {"contact_name": "王五", "contact_email": "wangwu@example.cn"}),
        ("电话：１３９１２３４５６７８", {"contact_phone": "13912345678"}),  # full-width digits
        ("编号 2026139123456789 不是手机号。", {}),  # a longer number holds no mobile
        ("邮箱：not-an-address\n", {}),
    ],
)
def test_contacts_in_a_body(body, expected):
    assert parse.contacts(body) == expected


def test_a_signature_fills_the_draft_over_the_sender_name():
    body = "老师好，附件是我们的材料。\n\n此致\n联系人：李红\n电话：139 1234 5678\n"
    item = imported(message(body))
    assert item.draft["fields"] == {"contact_name": "李红", "contact_phone": "13912345678", "contact_email": "wang@example.org"}


def test_without_a_signature_the_sender_is_the_contact_and_a_mobile_in_the_text_is_taken():
    item = imported(message("材料见附件，有问题请打我手机 13812345678。\n沂蒙社区党委 王老师\n", charset="gbk"))
    assert item.draft["fields"] == {"contact_name": "王老师", "contact_phone": "13812345678", "contact_email": "wang@example.org"}


def test_a_sender_name_that_is_an_address_is_no_contact_name():
    item = imported(message("见附件", sender='"wang@example.org" <wang@example.org>'))
    assert item.draft["fields"] == {"contact_email": "wang@example.org"}


def test_only_the_beginning_of_the_body_is_searched():
    filler = "正文。" * (parse.MAX_CONTACT_SCAN // 3 + 10)
    assert parse.contacts(filler + "\n联系人：李红\n电话：13912345678\n") == {}


@pytest.mark.parametrize(
    "hostile",
    [
        "1" * 2_000_000,  # one long run of digits
        ("1 3-8" * 400_000),  # separators between digits everywhere
        ("联系人：" + "李" * 100_000 + "\n") * 20,
        "电话：" + "+86 " * 500_000,
        "\n" * 1_000_000,
    ],
)
def test_a_hostile_body_is_read_in_bounded_time(hostile):
    started = time.monotonic()
    assert parse.contacts(hostile) == {}
    assert time.monotonic() - started < 0.5


def test_a_mailed_application_form_fills_the_choices_as_the_form_has_them():
    """A 申报表 attached to a mail: its 党组织类型 / 所属领域 / 所在市 words become the entry form's
    choices, and its contact rows go over the sender's."""
    from tests import docx_corpus_forms as forms
    from tests.mail_samples import foxmail_message

    case = next(case for case in forms.ALL if case["name"] == "form4-zero")
    item = imported(foxmail_message("<form@example.org>", document=forms.build(case)))
    fields = item.draft["fields"]
    jinan = Region.objects.get(code="jinan")
    assert (fields["org_type"], fields["sector"], fields["region"]) == ("branch", "state_enterprise", str(jinan.pk))
    assert (fields["contact_name"], fields["contact_phone"], fields["contact_email"]) == (
        "李明",
        "13805310001",
        "lm@qljt.example.cn",
    )
    assert "不在可选项中" not in item.notes


def test_a_mailed_old_word_form_is_converted_in_the_worker_and_read():
    """A 申报表 saved as Word 97-2003 (.doc), as many branches still send it: LibreOffice converts it
    where the mailbox is read (the worker), then it fills the draft like a .docx."""
    from tests import docx_corpus_forms as forms
    from tests.doc_samples import to_doc
    from tests.mail_samples import attachment, with_parts

    case = next(case for case in forms.ALL if case["name"] == "form4-zero")
    raw = with_parts(b"<old-form@example.org>", [attachment(b"shenbao.doc", to_doc(forms.build(case)), b"application/msword")])
    item = imported(raw)
    fields = item.draft["fields"]
    assert (fields["org_name"], fields["brand_name"], fields["contact_phone"]) == (
        "齐鲁交通发展集团济南东收费站党支部",
        "零距离",
        "13805310001",
    )
    assert item.attachment_keys  # the document itself is kept for the editors, as sent


def test_a_mailed_documents_pictures_open_in_the_sections_they_stood_in():
    from submissions.intake.mailbox import editor
    from tests import docx_corpus_forms as forms
    from tests.mail_samples import foxmail_message

    case = next(case for case in forms.ALL if case["name"] == "wps-indent-zero")  # pictures in sections 1, 2 and 3
    item = imported(foxmail_message("<placed@example.org>", document=forms.build(case)))
    opened = editor.initial_of(item)
    document_photos = [(p["caption"], p["section"]) for p in opened["photos"] if p["caption"] != ""]
    assert document_photos[:3] == [("党员志愿者在服务窗口", 1), ("支部书记讲党课", 2), ("主题党日活动现场", 3)]
