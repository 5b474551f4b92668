"""The recommendation form (推荐表, .docx) read back with python-docx, and the stamped scan: uploaded
once recommended, judged by its content (a PDF, or a JPEG/PNG kept as a PDF of its pixels), bounded
in size, nothing stored when refused, and downloaded only at /recommend/<pk>/scan/, by the body's
accounts and editors, never from the media path."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.urls import reverse
from docx import Document
from PIL import Image

from submissions.models import Recommendation
from submissions.recommend import forms, services
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SCANNED_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n"
    b"endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def url(name, entry):
    return reverse(f"recommend:{name}", args=[entry.pk])


def recommended(entry, member, opinion="该品牌特色鲜明，同意推荐。"):
    services.check(entry, actor=member, results={item: (True, "") for item in entry.campaign.eligibility_items})
    services.recommend(entry, actor=member, opinion=opinion)
    entry.refresh_from_db()
    return entry


def docx_of(response):
    return Document(io.BytesIO(response.content))


def table_of(document):
    return {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}


def test_the_recommendation_form_reads_back_with_the_entrys_values(client, member, entry):
    client.force_login(member)
    response = client.get(url("form", entry))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{entry.reference}.docx"')
    assert "filename*=UTF-8''" in disposition and "%E6%8E%A8%E8%8D%90%E8%A1%A8" in disposition  # 推荐表
    document = docx_of(response)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "2026年优秀党建品牌征集推荐表"
    assert table_of(document) == {
        "申报单位": "历下区示范街道党工委",
        "上级党组织": "示范公司党委",
        "党组织类型": "党支部",
        "所在市": "济南",
        "所属领域": "国有企业",
        "品牌名称": "泉城先锋",
        "品牌口号": "服务零距离",
        "联系人": "张三",
        "联系电话": "13800138000",
        "报送编号": entry.reference,
    }
    for expected in (
        "品牌内涵",
        "党员与群众心连心。",
        "概述",
        "近年来，该党支部坚持党建引领。",
        "推荐意见",
        "推荐单位（盖章）",
        "年　　月　　日",
    ):
        assert expected in paragraphs, expected
    # Not recommended yet: blank lines to write the opinion on.
    after = paragraphs[paragraphs.index("推荐意见") + 1 : paragraphs.index("推荐单位（盖章）")]
    assert after and all(not line.strip() for line in after)


def test_once_recommended_the_form_carries_the_bodys_opinion(client, member, entry):
    recommended(entry, member, opinion="该品牌特色鲜明。\n同意推荐。")
    client.force_login(member)
    paragraphs = [p.text for p in docx_of(client.get(url("form", entry))).paragraphs]
    start = paragraphs.index("推荐意见")
    assert paragraphs[start + 1 : start + 3] == ["该品牌特色鲜明。", "同意推荐。"]


def test_control_characters_in_old_rows_do_not_break_the_file(client, member, entry):
    type(entry).objects.filter(pk=entry.pk).update(brand_slogan="服务\x0b零距离", introduction="第一段\x01。")
    client.force_login(member)
    document = docx_of(client.get(url("form", entry)))
    assert table_of(document)["品牌口号"] == "服务零距离"


# The stamped scan ---------------------------------------------------------------------------------


def upload(client, entry, content, name="推荐表.pdf", **extra):
    return client.post(url("scan_upload", entry), {"scan": SimpleUploadedFile(name, content)}, **extra)


def image_bytes(fmt="JPEG", size=(300, 420), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, (240, 240, 240) if mode == "RGB" else (240, 240, 240, 128)).save(buffer, fmt)
    return buffer.getvalue()


def stored_files(settings):
    root = settings.MEDIA_ROOT / "recommendations"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_no_upload_before_it_is_recommended(client, member, entry, settings):
    client.force_login(member)
    assert "data-scan-form" not in client.get(url("entry", entry)).content.decode()
    response = upload(client, entry, SCANNED_PDF, follow=True)
    assert "状态已经变化" in response.content.decode()
    assert stored_files(settings) == []


def test_a_pdf_scan_is_kept_and_downloaded_by_the_body_and_editors_only(client, member, other_member, entry, settings):
    recommended(entry, member)
    client.force_login(member)
    response = upload(client, entry, SCANNED_PDF)
    assert response.status_code == 302
    kept = Recommendation.objects.get()
    assert kept.scan and kept.scan_uploaded_at is not None
    assert kept.scan.read() == SCANNED_PDF
    download = client.get(url("scan", entry))
    assert download.status_code == 200 and b"".join(download.streaming_content) == SCANNED_PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff" and "sandbox" in download["Content-Security-Policy"]
    assert "no-store" in download["Cache-Control"]
    # Never at the media path, whoever asks.
    assert client.get(f"/media/{kept.scan.name}").status_code == 404
    client.force_login(make_user("editor", username="ws-editor"))
    assert client.get(f"/media/{kept.scan.name}").status_code == 404
    assert client.get(url("scan", entry)).status_code == 200
    client.force_login(other_member)
    assert client.get(url("scan", entry)).status_code == 404
    client.force_login(make_user("reviewer", username="ws-reviewer"))
    assert client.get(url("scan", entry)).status_code == 403
    client.logout()
    assert client.get(url("scan", entry)).status_code == 302


def test_an_image_scan_is_kept_as_a_pdf_of_its_pixels_and_replaces_the_earlier_one(client, member, entry, settings):
    recommended(entry, member)
    client.force_login(member)
    assert upload(client, entry, SCANNED_PDF).status_code == 302
    first = stored_files(settings)
    payload = b"<html><script>alert(1)</script></html>"
    assert upload(client, entry, image_bytes("JPEG") + payload, name="scan.jpg").status_code == 302
    files = stored_files(settings)
    assert len(files) == 1 and files != first  # the earlier file is gone
    data = files[0].read_bytes()
    assert data.startswith(b"%PDF-") and payload not in data
    assert upload(client, entry, image_bytes("PNG", mode="RGBA"), name="scan.png").status_code == 302
    assert stored_files(settings)[0].read_bytes().startswith(b"%PDF-")
    assert "盖章推荐表已上传" in client.get(url("entry", entry)).content.decode()


HOSTILE = {
    "html named .pdf": (b"<!doctype html><html><script>alert(document.cookie)</script></html>", "推荐表.pdf"),
    "pdf header then html": (b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", "推荐表.pdf"),
    "pdf with javascript": (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj\n%%EOF\n",
        "推荐表.pdf",
    ),
    "truncated pdf": (SCANNED_PDF[:-8], "推荐表.pdf"),
    "jpeg header then html": (b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>", "scan.jpg"),
    "png polyglot cut short": (image_bytes("PNG")[:60] + b"<script>alert(1)</script>", "scan.png"),
    "gif": (b"GIF89a" + b"\x00" * 40, "scan.gif"),
    "webp": (image_bytes("WEBP"), "scan.webp"),
    "zip": (b"PK\x03\x04" + b"\x00" * 40, "scan.pdf"),
    "empty": (b"", "scan.pdf"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_scans_are_refused_next_to_the_field_and_nothing_is_stored(client, member, entry, settings, case):
    content, name = HOSTILE[case]
    recommended(entry, member)
    client.force_login(member)
    response = upload(client, entry, content, name=name)
    assert response.status_code == 400, case
    page = response.content.decode()
    at = page.index('id="id_scan"')
    assert "is-invalid" in page[page.rindex("<input", 0, at) : at + 200] and "invalid-feedback" in page, case
    assert stored_files(settings) == [] and not Recommendation.objects.get().scan


def test_an_oversize_post_is_refused_before_its_file_is_looked_at(client, member, entry, settings, monkeypatch):
    recommended(entry, member)
    client.force_login(member)
    looked_at = []
    monkeypatch.setattr(forms, "check_scan", lambda upload: looked_at.append(upload))

    def read(*args, **kwargs):
        raise AssertionError("the body was read")

    monkeypatch.setattr(MultiPartParser, "parse", read)  # neither the middlewares nor the view parse it
    response = upload(client, entry, b"%PDF-1.4\n" + b"0" * (forms.MAX_SCAN_POST_BYTES + 10) + b"\n%%EOF\n")
    assert response.status_code == 413 and "文件超过 10 MB" in response.content.decode()
    assert looked_at == [] and stored_files(settings) == []


def test_a_file_over_the_bound_in_a_post_within_it_is_refused_by_its_size(client, member, entry, settings, monkeypatch):
    recommended(entry, member)
    client.force_login(member)
    monkeypatch.setattr(forms, "MAX_SCAN_BYTES", 1000)
    response = upload(client, entry, SCANNED_PDF + b"%" + b"0" * 2000 + b"\n%%EOF\n")
    assert response.status_code == 400 and "文件超过 10 MB" in response.content.decode()
    assert stored_files(settings) == []


def test_the_csrf_check_still_holds(member, entry, settings):
    recommended(entry, member)
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(member)
    response = upload(guarded, entry, SCANNED_PDF)
    assert response.status_code == 403
    assert not Recommendation.objects.get(submission=entry).scan and stored_files(settings) == []


def test_two_files_at_once_are_refused(client, member, entry, settings):
    recommended(entry, member)
    client.force_login(member)
    files = [SimpleUploadedFile("a.pdf", SCANNED_PDF), SimpleUploadedFile("b.pdf", SCANNED_PDF)]
    response = client.post(url("scan_upload", entry), {"scan": files})
    assert response.status_code == 400 and "只能上传一个文件" in response.content.decode()
    assert stored_files(settings) == []


def test_an_editor_cannot_upload_in_the_bodys_place(client, member, entry, settings):
    recommended(entry, member)
    client.force_login(make_user("editor", username="ws-editor"))
    upload(client, entry, SCANNED_PDF)
    assert stored_files(settings) == []


def test_the_downloads_and_the_login_page_cost_few_queries(client, member, entry, django_assert_max_num_queries):
    recommended(entry, member)
    client.get(reverse("recommend:login"))  # the site's settings, cached once for every page
    with django_assert_max_num_queries(2):  # the site's settings at most
        assert client.get(reverse("recommend:login")).status_code == 200
    client.force_login(member)
    assert upload(client, entry, SCANNED_PDF).status_code == 302
    for name in ("form", "scan"):
        with django_assert_max_num_queries(7):  # session, user, permissions (2), entry, bodies
            assert client.get(url(name, entry)).status_code == 200
