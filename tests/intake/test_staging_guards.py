"""One staging path for every way in (issue 23, finding 5): 从 Word 导入 meets the form's guards.

A post refused as a bot (honeypot, too fast, forged stamp) stages nothing, neither what came with
the page nor the document's photos or its kept copy, and the document is not even read; the
document counts against the address's daily allowance before it is read, its photos as they are
staged; the caps hold; the mailbox stages through the same Staging, without an allowance."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from submissions.intake import services as intake
from submissions.intake.forms import uploads
from submissions.intake.forms.bundle import Staging
from submissions.management.commands.cleanup_media import stored_files
from submissions.models import Attachment, Photo, Submission
from submissions.platform import documents, images
from tests import docx_corpus as corpus
from tests import hostile_attachments as h
from tests.submit_data import entry_data, formset, jpeg, started

pytestmark = pytest.mark.django_db

PHOTO_CASE = next(c for c in corpus.CASES if c["name"] == "photos-captions-footnote")  # 4 photos
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def files_on_disk():
    return len(list(stored_files(default_storage))) if default_storage.exists("") else 0


def import_page(region, *, uploads_too=True, **overrides):
    """The page as a submitter posts 从 Word 导入: the document, keep ticked, and (uploads_too)
    a photo and a PDF chosen on the page."""
    data = entry_data(region, sections=0, photos=0, action="import")
    for name in ("org_name", "brand_name", "introduction", "results"):
        data[name] = ""
    data.update({"import-document": corpus.as_upload(corpus.build(PHOTO_CASE)), "import-keep": "on"})
    if uploads_too:
        data.update(formset("photos", [{"image": jpeg("mine.jpg"), "caption": "我的图片"}]))
        data["attachment_files"] = h.pdf_upload(h.pdf_file(), "申报表.pdf")
    data.update(overrides)
    return data


def post(client, campaign, data):
    return client.post(reverse("calls:submit", args=[campaign.slug]), data, REMOTE_ADDR=ADDRESS)


@pytest.fixture
def unread(monkeypatch):
    """Fails the test if the document is read."""
    calls = []
    monkeypatch.setattr(documents, "read_practice", lambda *args, **kwargs: calls.append(args) or pytest.fail("read"))
    return calls


BOTS = {
    "honeypot": (lambda: {"website": "http://spam.example/"}, "提交未成功"),
    "too-fast": (lambda: {"started": started(seconds_ago=0)}, "提交太快了"),
    "forged-stamp": (lambda: {"started": "forged"}, "页面已过期"),
}


@pytest.mark.parametrize("bot", sorted(BOTS))
def test_an_import_refused_as_a_bot_stages_nothing_and_reads_nothing(client, campaign, region, settings, unread, bot):
    settings.FORM_MIN_SECONDS = 3
    fields, message = BOTS[bot]
    data = import_page(region, contact_name="我填的名字", **fields())
    response = post(client, campaign, data)
    assert response.status_code == 200
    assert Photo.objects.count() == Attachment.objects.count() == Submission.objects.count() == 0
    assert files_on_disk() == 0
    assert unread == []
    importer = response.context["importer"]
    assert message in importer.errors["document"][0]  # told, under the document field
    bundle = response.context["bundle"]
    assert bundle.form["contact_name"].value() == "我填的名字"  # what was typed comes back
    assert bundle.form["started"].value() != data["started"]  # with a new stamp, not the refused one
    assert bundle.form["website"].value() in ("", None)


def test_an_honest_import_still_fills_the_page_and_keeps_what_was_sent(client, campaign, region, settings):
    settings.FORM_MIN_SECONDS = 0
    response = post(client, campaign, import_page(region))
    assert response.context["bundle"].form["org_name"].value() == "潍坊市寿光市三元朱村党支部"
    assert Photo.objects.filter(submission__isnull=True).count() == 1 + 4  # the page's photo and the document's
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == ["做法.docx", "申报表.pdf"]


def test_a_kept_document_that_embeds_objects_carries_the_warning_an_attachment_would(client, campaign, region, settings):
    settings.FORM_MIN_SECONDS = 0
    data = import_page(region, uploads_too=False)
    embedding = h.repack(corpus.build(PHOTO_CASE), add={"word/embeddings/oleObject1.bin": b"\x00" * 64})
    data["import-document"] = corpus.as_upload(embedding)
    post(client, campaign, data)
    kept = Attachment.objects.get(original_name="做法.docx")
    assert kept.warning == "Word 文档内嵌了其他文件或对象（1 个），请勿打开其中的对象。"
    checked = uploads.check_attachment(corpus.as_upload(embedding))  # the same file sent as an attachment
    assert checked.warning == kept.warning


def test_the_document_counts_against_the_address_allowance_before_it_is_read(client, campaign, region, settings, unread):
    settings.FORM_MIN_SECONDS = 0
    settings.STAGED_BYTES_PER_ADDRESS = 10_000  # less than the document (about 40 kB)
    response = post(client, campaign, import_page(region, uploads_too=False))
    assert "今天从本网络上传的文件已达上限，文档未能读取" in response.context["importer"].errors["document"][0]
    assert unread == []
    assert Photo.objects.count() == Attachment.objects.count() == 0 and files_on_disk() == 0


def test_the_documents_photos_count_against_the_allowance(client, campaign, region, settings):
    settings.FORM_MIN_SECONDS = 0
    document = corpus.build(PHOTO_CASE)
    settings.STAGED_BYTES_PER_ADDRESS = len(document) + 2_000  # the document fits, its photos do not
    data = import_page(region, uploads_too=False, **{"import-document": corpus.as_upload(document), "import-keep": ""})
    response = post(client, campaign, data)
    assert response.context["bundle"].form["org_name"].value() == "潍坊市寿光市三元朱村党支部"  # read
    assert Photo.objects.count() == 0
    assert any("今天从本网络上传的文件已达上限" in notice for notice in response.context["word_import"].notices)


def test_the_caps_hold_for_the_import(client, campaign, region, settings):
    settings.FORM_MIN_SECONDS = 0
    held = [intake.stage_photo(images.make_renditions(jpeg(f"p{i}.jpg")), f"已传{i}") for i in range(8)]
    kept = [intake.stage_attachment(uploads.check_attachment(h.pdf_upload(h.pdf_file(), f"材料{i}.pdf"))) for i in range(3)]
    data = import_page(region, uploads_too=False, attachment_keys=" ".join(item.upload_key for item in kept))
    data.update(formset("photos", [{"key": photo.upload_key, "caption": photo.caption} for photo in held]))
    response = post(client, campaign, data)
    assert Photo.objects.count() == 9  # 8 held + 1 of the document's 4
    assert Attachment.objects.count() == 3  # full: the document is not kept
    notices = " ".join(response.context["word_import"].notices)
    assert "图片最多 9 张：文档中另有 3 张未导入" in notices
    assert "附件已满 3 个，文档未作为附件保存" in notices


def test_the_mailbox_stages_through_the_same_caps_without_an_allowance(settings):
    settings.STAGED_BYTES_PER_ADDRESS = 1  # not applied: the mailbox has no client address
    staging = Staging(prefix=intake.MAIL_KEY)
    renditions = images.make_renditions(jpeg())
    photos = list(staging.photos([(renditions, f"图{i}") for i in range(11)]))
    assert [photo is not None for photo in photos] == [True] * 9 + [False] * 2
    attachments = [staging.attachment(uploads.check_attachment(ContentFile(h.pdf_file(), name=f"{i}.pdf"))) for i in range(4)]
    assert [item is not None for item in attachments] == [True, True, True, False]
    assert all(p.upload_key.startswith("mail-") for p in Photo.objects.all())
    assert all(a.upload_key.startswith("mail-") for a in Attachment.objects.all())


def test_a_refused_staging_stages_nothing():
    staging = Staging(refused="提交未成功，请刷新页面后重试。")
    assert list(staging.photos([(images.make_renditions(jpeg()), "")])) == [None]
    assert staging.attachment(uploads.check_attachment(ContentFile(h.pdf_file(), name="a.pdf"))) is None
    assert Photo.objects.count() == Attachment.objects.count() == 0
