"""Objections (异议): the public form under the hostile-input rules, the receipt, the machine and the mails."""

import pytest
from django.core import mail as sent_mail
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.urls import reverse

from submissions import workflow
from submissions.models import Objection, ObjectionEvidence, ObjectionStatus, ObjectionStep, OutboxMessage
from submissions.notice import services, views
from tests.notice.helpers import DURING, notice_of, objection_data, pdf_upload, png_upload

pytestmark = pytest.mark.django_db
FORM = reverse("notice:objection", args=["notice-2026"])


@pytest.fixture
def notice(monkeypatch, quick_forms):
    monkeypatch.setattr(services, "current_date", lambda: DURING)
    return notice_of()


def stored_files(settings):
    root = settings.MEDIA_ROOT / "objections"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_an_objection_with_evidence_is_kept_answered_by_a_receipt_page_and_a_mail(client, notice, settings):
    response = client.post(FORM, {**objection_data(notice), "evidence": [png_upload(), pdf_upload()]})
    objection = Objection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notice:receipt", args=["notice-2026", objection.token])
    assert objection.status == ObjectionStatus.RECEIVED
    assert str(objection.due_on) == "2026-10-22"  # ten working days after Friday 2026-10-09
    assert sorted(e.content_type for e in objection.evidence.all()) == ["application/pdf", "image/png"]
    assert len(stored_files(settings)) == 2
    page = client.get(response["Location"]).content.decode()
    assert "2026年10月22日 前核查并答复" in page and "李四" in page
    receipt = OutboxMessage.objects.get(event="objection_received")
    assert receipt.to == "lisi@example.com"
    assert "2026年10月22日" in receipt.body and objection.token in receipt.body


def test_more_than_three_files_are_refused_unread_and_nothing_is_stored(client, notice, settings):
    files = [png_upload(f"{n}.png") for n in range(4)]
    response = client.post(FORM, {**objection_data(notice), "evidence": files})
    assert response.status_code == 400
    page = response.content.decode()
    assert "证明材料最多 3 个" in page
    assert "该单位报送的品牌材料中所列获奖情况与事实不符" in page  # nothing typed is lost
    assert Objection.objects.count() == 0 and ObjectionEvidence.objects.count() == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    "upload",
    [
        pdf_upload("伪装.pdf", b"MZ\x90\x00 not a pdf at all"),
        pdf_upload("page.png", b"<html><script>alert(1)</script></html>"),
        pdf_upload("truncated.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_an_image_by_content_is_refused_beside_the_field(client, notice, settings, upload):
    response = client.post(FORM, {**objection_data(notice), "evidence": [png_upload(), upload]})
    assert response.status_code == 400
    assert "不是 PDF 或图片" in response.content.decode()
    assert Objection.objects.count() == 0 and stored_files(settings) == []


def test_a_file_over_10_mb_is_refused_before_it_is_read(client, notice, settings):
    big = pdf_upload("大文件.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    response = client.post(FORM, {**objection_data(notice), "evidence": [big]})
    assert "超过 10 MB" in response.content.decode()
    assert Objection.objects.count() == 0 and stored_files(settings) == []


def test_a_post_larger_than_three_files_may_be_is_refused_before_its_body_is_read(client, notice, monkeypatch):
    monkeypatch.setattr(views, "MAX_POST_BYTES", 2000)

    def read(*args, **kwargs):
        raise AssertionError("the body was read")

    monkeypatch.setattr(MultiPartParser, "parse", read)  # neither the middlewares nor the view parse it
    response = client.post(FORM, {**objection_data(notice), "evidence": [pdf_upload(body=b"%PDF-1.4\n" + b"0" * 4000)]})
    assert response.status_code == 413
    assert Objection.objects.count() == 0


def test_the_csrf_check_still_holds(notice):
    guarded = Client(enforce_csrf_checks=True)
    response = guarded.post(FORM, {**objection_data(notice), "evidence": [pdf_upload()]})
    assert response.status_code == 403
    assert Objection.objects.count() == 0


def test_an_image_is_kept_as_its_pixels_only(client, notice):
    from tests.factories import jpeg_upload

    photo = jpeg_upload("带位置.jpg", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00")
    client.post(FORM, {**objection_data(notice), "evidence": [photo]})
    kept = ObjectionEvidence.objects.get()
    data = kept.file.read()
    assert kept.original_name == "带位置.jpg" and data[:2] == b"\xff\xd8" and b"Exif" not in data


def test_the_honeypot_and_a_missing_field_are_refused_with_messages_and_nothing_kept(client, notice):
    response = client.post(FORM, {**objection_data(notice), "website": "http://spam.example"})
    assert response.status_code == 400 and "提交未成功" in response.content.decode()
    response = client.post(FORM, {**objection_data(notice), "phone": "12345"})
    assert "请填写手机号码或带区号的固定电话" in response.content.decode()
    assert Objection.objects.count() == 0


def test_objections_per_address_are_limited(client, notice, settings):
    settings.OBJECTION_RATE_LIMIT = 1
    assert client.post(FORM, objection_data(notice)).status_code == 302
    response = client.post(FORM, objection_data(notice))
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Objection.objects.count() == 1


def test_an_entry_not_on_the_notice_cannot_be_objected_to(client, notice):
    other = notice_of(1, slug="other-2026")
    response = client.post(FORM, objection_data(notice, item=other.items.get().pk))
    assert response.status_code == 400 and Objection.objects.count() == 0


def _objection(notice):
    item = notice.items.order_by("position").first()
    data = {"name": "李四", "unit": "某单位", "phone": "13900001111", "email": "lisi@example.com", "facts": "事实" * 20}
    return services.raise_objection(notice, item, data, [])


def test_an_editor_takes_an_objection_and_upholds_it_the_entry_leaves_the_list_and_the_objector_is_told(
    client, notice, editor, django_capture_on_commit_callbacks
):
    objection = _objection(notice)
    services.take(objection, editor)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.INVESTIGATING and objection.handler == editor
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(objection, editor, upheld=True, reason="经核查，所列表彰文件不存在，异议成立。")
    item = objection.item
    item.refresh_from_db()
    assert item.removed_at is not None and item.removed_reason == "经核查，所列表彰文件不存在，异议成立。"
    steps = list(ObjectionStep.objects.filter(objection=objection).values_list("from_status", "to_status", "actor_role"))
    assert steps == [("received", "investigating", "editor"), ("investigating", "upheld", "editor")]
    answer = OutboxMessage.objects.get(event="objection_upheld")
    assert answer.to == "lisi@example.com" and "经核查，所列表彰文件不存在，异议成立。" in answer.body
    assert "撤出公示名单" in answer.body
    page = client.get(reverse("notice:detail", args=["notice-2026"])).content.decode()
    listed = page.split("data-listed")[1].split("</ol>")[0]
    name = f"{item.submission.org_name}{item.submission.brand_display}"
    assert name not in listed and name in page.split("data-removed")[1]


def test_a_dismissed_objection_keeps_the_entry_and_tells_the_objector_why(notice, chief, django_capture_on_commit_callbacks):
    objection = _objection(notice)
    services.take(objection, chief)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(objection, chief, upheld=False, reason="经核查，相关表彰属实，异议不成立。")
    objection.item.refresh_from_db()
    assert objection.item.removed_at is None
    assert "异议不成立" in OutboxMessage.objects.get(event="objection_dismissed").body
    assert len(sent_mail.outbox) >= 1


def test_an_answer_needs_a_reason_and_a_handler_and_follows_the_table(notice, editor, reviewer):
    objection = _objection(notice)
    with pytest.raises(workflow.TransitionError):
        services.answer(objection, editor, upheld=True, reason="直接答复")  # not taken yet
    with pytest.raises(workflow.TransitionError):
        services.take(objection, reviewer)  # reviewers handle no objection
    services.take(objection, editor)
    with pytest.raises(workflow.TransitionError, match="请填写说明"):
        services.answer(objection, editor, upheld=False, reason="  ")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.INVESTIGATING


def test_a_closed_notice_becomes_final_only_once_its_last_objection_is_answered(notice, editor):
    objection = _objection(notice)
    assert services.close_due(today=services.workdays.add_workdays(notice.ends_on, 1)) == (1, 0)
    notice.refresh_from_db()
    assert notice.closed_at is not None and notice.final_at is None
    services.take(objection, editor)
    services.answer(objection, editor, upheld=False, reason="经核查，异议不成立。")
    notice.refresh_from_db()
    assert notice.final_at is not None
