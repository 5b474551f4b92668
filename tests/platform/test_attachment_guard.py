"""Attachments meet the same guard as 从 Word 导入 (issue 23, finding 7): a Word file the import
refuses is refused as an attachment too, on the form and in the mailbox, with the reason, and
nothing of it is stored; a .doc with macros or a password is refused; a PDF with JavaScript or
automatic actions is stored with a warning that editors see wherever its entry's files are listed."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from submissions.intake import mailbox
from submissions.intake import services as intake
from submissions.intake.forms import uploads
from submissions.management.commands.cleanup_media import stored_files
from submissions.models import Attachment, MailboxMessage, Status, Submission
from submissions.platform import attachments as attachment_check
from tests import hostile_attachments as h
from tests import mail_samples
from tests.submit_data import entry_data

pytestmark = pytest.mark.django_db

REFUSED_DOCX = {
    "macro": (h.macro_docx, "宏"),
    "external-template": (h.external_template_docx, "外部文件或网址"),
    "zip-bomb": (h.zip_bomb_docx, "解压后过大"),
}


@pytest.fixture(autouse=True)
def _quick(quick_forms):
    pass


def files_on_disk():
    return len(list(stored_files(default_storage))) if default_storage.exists("") else 0


def post_entry(client, campaign, region, attachments, *, photos=1):
    """The whole entry, valid but for what its attachments are (photos=0: refused, nothing else staged)."""
    data = entry_data(region, photos=photos, attachment_files=attachments)
    return client.post(reverse("calls:submit", args=[campaign.slug]), data)


@pytest.mark.parametrize("case", sorted(REFUSED_DOCX))
def test_a_docx_the_import_refuses_is_refused_as_an_attachment_on_the_form(client, campaign, region, case):
    make, reason = REFUSED_DOCX[case]
    response = post_entry(client, campaign, region, [h.docx_upload(make(), "说明.docx")], photos=0)
    assert response.status_code == 200  # not sent in: the page comes back with the reason
    errors = response.context["bundle"].form.errors["attachment_files"]
    assert len(errors) == 1 and errors[0].startswith("附件“说明.docx”未能接受：") and reason in errors[0]
    assert reason in response.content.decode()
    assert Submission.objects.count() == Attachment.objects.count() == 0
    assert files_on_disk() == 0


@pytest.mark.parametrize("case", sorted(REFUSED_DOCX))
def test_the_mailbox_path_refuses_them_too(case):
    """The mailbox checks each file with uploads.check_attachment(ContentFile) before staging it."""
    make, reason = REFUSED_DOCX[case]
    with pytest.raises(ValidationError) as caught:
        uploads.check_attachment(ContentFile(make(), name="来稿.docx"))
    assert caught.value.messages[0].startswith("附件“来稿.docx”未能接受：") and reason in caught.value.messages[0]


@pytest.fixture(scope="module")
def imap_server():
    yield from mail_samples.server()


def test_a_mail_with_refused_word_files_stores_none_of_them_and_flags_the_pdf(imap_server, settings, monkeypatch):
    campaign = mail_samples.campaign_on(imap_server, settings, monkeypatch)
    parts = [
        mail_samples.attachment(b"macro.docx", h.macro_docx()),
        mail_samples.attachment(b"template.docx", h.external_template_docx()),
        mail_samples.attachment(b"old.doc", h.doc_file(macros=True)),
        mail_samples.attachment(b"script.pdf", FLAGGED_PDFS["javascript"][0]()),
    ]
    imap_server.deliver(mail_samples.with_parts(b"<hostile-files@example.org>", parts))
    mailbox.fetch(campaign)
    item = MailboxMessage.objects.get()
    stored = [Attachment.objects.get(upload_key=key) for key in item.attachment_keys]
    assert [(a.original_name, bool(a.warning)) for a in stored] == [("script.pdf", True)]
    assert Attachment.objects.count() == 1
    for name in ("macro.docx", "template.docx", "old.doc"):
        assert f"附件“{name}”未能接受：" in item.notes


def test_a_clean_docx_is_accepted_without_warning():
    checked = uploads.check_attachment(ContentFile(h.clean_docx(), name="做法.docx"))
    assert (checked.ext, checked.warning) == ("docx", "")


@pytest.mark.parametrize(
    "content, reason",
    [
        (h.doc_file(macros=True), "文档含有宏"),
        (h.doc_file(encrypted=True), "文档已加密"),
        (h.doc_file(word=False, encrypted_package=True), "文档已加密"),  # an encrypted .docx is an OLE2 file
        (h.doc_file(word=False, extra=[("Workbook", b"\x09\x08" * 3000)]), "不是 Word 文档"),  # a spreadsheet
    ],
    ids=["macros", "encrypted", "encrypted-docx", "not-word"],
)
def test_a_doc_with_macros_or_a_password_is_refused(client, campaign, region, content, reason):
    response = post_entry(client, campaign, region, [h.doc_upload(content, "旧版.doc")], photos=0)
    errors = response.context["bundle"].form.errors["attachment_files"]
    assert errors[0].startswith("附件“旧版.doc”未能接受：") and reason in errors[0]
    assert Attachment.objects.count() == 0 and files_on_disk() == 0


def test_a_macro_document_embedded_whole_in_a_doc_is_seen():
    inner = h.doc_file(macros=True)
    outer = h.doc_file(extra=[("ObjectPool", [("_1234", [("Package", inner)])])])
    with pytest.raises(ValidationError, match="文档含有宏"):
        uploads.check_attachment(ContentFile(outer, name="嵌入.doc"))


JS = b"<< /S /JavaScript /JS (app.alert(1)) >>"
FLAGGED_PDFS = {
    "javascript": (lambda: h.pdf_file(catalog_extra=b"/OpenAction 5 0 R", objects={5: JS}), ["/JavaScript", "/JS"]),
    "hex-escaped": (
        lambda: h.pdf_file(catalog_extra=b"/OpenAction 5 0 R", objects={5: b"<< /S /J#61va#53cript /J#53 (app.alert(1)) >>"}),
        ["/JavaScript", "/JS"],
    ),
    "launch": (
        lambda: h.pdf_file(catalog_extra=b"/OpenAction 5 0 R", objects={5: b"<< /S /Launch /F (cmd.exe) >>"}),
        ["/Launch"],
    ),
    "object-stream": (lambda: h.pdf_with_object_stream({5: JS}, catalog_extra=b"/OpenAction 5 0 R"), ["/JavaScript", "/JS"]),
    "additional-actions": (lambda: h.pdf_file(catalog_extra=b"/AA << /WC 5 0 R >>", objects={5: JS}), ["/AA"]),
    "embedded-file": (
        lambda: h.pdf_file(catalog_extra=b"/Names << /EmbeddedFiles 5 0 R >>", objects={5: b"<< /Names [(a.exe) 6 0 R] >>"}),
        ["/EmbeddedFiles"],
    ),
}


@pytest.mark.parametrize("case", sorted(FLAGGED_PDFS))
def test_a_pdf_with_javascript_or_actions_is_stored_with_a_warning(client, campaign, region, case):
    make, names = FLAGGED_PDFS[case]
    data = make()
    if case in ("hex-escaped", "object-stream"):
        assert b"/JavaScript" not in data  # hidden from a plain search
    response = post_entry(client, campaign, region, [h.pdf_upload(data)])
    assert response.status_code == 302
    stored = Submission.objects.get().attachments.get()
    assert stored.warning.startswith("PDF ")
    assert all(name in stored.warning for name in names)
    assert "请勿" in stored.warning


def test_the_warning_shows_on_the_entry_in_the_admin(client, campaign, region, editor):
    post_entry(client, campaign, region, [h.pdf_upload(FLAGGED_PDFS["javascript"][0]()), h.pdf_upload(h.pdf_file(), "干净.pdf")])
    entry = Submission.objects.get()
    assert entry.status == Status.SUBMITTED
    client.force_login(editor)
    html = client.get(reverse("admin:submissions_submission_change", args=[entry.pk])).content.decode()
    assert html.count("data-attachment-warning") == 1  # the clean one has none
    assert "安全提示" in html
    # beside the file in the entry's preview, and in the attachments' inline of the change form
    assert html.count("PDF 含有 JavaScript 或自动执行的动作（/JS、/JavaScript）") == 2


def test_a_clean_pdf_has_no_warning():
    for data in (
        h.pdf_file(),
        h.pdf_file(catalog_extra=b"/OpenAction [3 0 R /Fit]"),
        h.pdf_with_object_stream({5: b"<< /Type /Font >>"}),
    ):
        assert uploads.check_attachment(ContentFile(data, name="a.pdf")).warning == ""


def test_the_warning_shows_on_the_mailbox_intake_page(client, campaign, editor):
    checked = uploads.check_attachment(ContentFile(FLAGGED_PDFS["launch"][0](), name="来稿.pdf"))
    staged = intake.stage_attachment(checked, prefix=intake.MAIL_KEY)
    assert staged.warning
    item = MailboxMessage.objects.create(campaign=campaign, message_id="<w@example.org>", attachment_keys=[staged.upload_key])
    client.force_login(editor)
    html = client.get(reverse("admin:intake"), {"mail": item.pk}).content.decode()
    assert "来稿.pdf" in html and "data-attachment-warning" in html and "/Launch" in html


def test_an_object_stream_that_cannot_be_read_is_itself_a_warning():
    """An object stream in a filter we do not inflate (or encrypted, or damaged) may hide anything."""
    data = h.pdf_with_object_stream({5: JS}, hex_encoded=True)
    assert "未能完全检查" in attachment_check.pdf_warning(data)
    # … also when another stream that looks like an object stream is there to make up the count
    decoy = h.stream(b"1 0 << /Type /Font >>", flate=True)
    assert "未能完全检查" in attachment_check.pdf_warning(data.replace(b"trailer", b"20 0 obj\n" + decoy + b"\nendobj\ntrailer"))
    damaged = h.pdf_with_object_stream({5: JS})
    cut = damaged.index(b"stream\n", damaged.index(b"/ObjStm")) + 7
    damaged = damaged[: cut + 12] + b"\x00" * 40 + damaged[cut + 52 :]  # the compressed data broken
    assert "未能完全检查" in attachment_check.pdf_warning(damaged)


def test_inflating_is_bounded(monkeypatch):
    """An object stream that inflates past the budget stops there, and says it was not read whole."""
    monkeypatch.setattr(attachment_check, "MAX_INFLATED", 64 * 1024)
    bomb = h.pdf_with_object_stream({5: b"<< /Type /Font >>" + b" " * (10 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    started = time.perf_counter()
    warning = attachment_check.pdf_warning(bomb)
    assert time.perf_counter() - started < 1
    assert "未能完全检查" in warning


def test_only_as_many_attachments_as_allowed_are_checked(client, campaign, region, monkeypatch):
    """30 files in one post: the first three are checked, the rest refused unread."""
    seen = []
    real = attachment_check.inspect
    monkeypatch.setattr(attachment_check, "inspect", lambda upload, ext, name="": seen.append(name) or real(upload, ext, name))
    files = [h.pdf_upload(h.pdf_file(), f"材料{i}.pdf") for i in range(8)]
    response = post_entry(client, campaign, region, files)
    assert len(seen) == 3
    assert "附件最多 3 个" in response.content.decode()
    assert Submission.objects.count() == 0
