"""从 Word 导入 of an old .doc or WPS .wps: the worker converts it (LibreOffice, convert.py), the page
shows progress and then the form filled exactly as from the .docx; what was typed meanwhile is
kept; a file that is not what it claims, or that fails to convert, gets a clear message under the
document field and stores nothing."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.intake import doc_jobs
from submissions.intake import tasks as intake_tasks
from submissions.models import Attachment, Photo, Submission
from tests import doc_samples
from tests import docx_corpus as corpus
from tests.intake.test_word_import_form import PHOTO_CASE, blank_page, page_values, post

pytestmark = pytest.mark.django_db

SECTIONS = [
    ("支部带头闯新路", "支部书记带领党员率先试种冬暖式大棚。"),
    ("党员示范带群众", "每名党员联系5户群众，手把手传授技术。\n一是技术帮带；二是销售帮带。"),
    ("合作共富奔小康", "成立蔬菜合作社，统一品种、统一标准、统一销售。"),
    ("乡风文明树新风", "开展“好婆婆”“好媳妇”评选，村风民风持续向好。"),
]


@pytest.fixture(autouse=True)
def _quick(quick_forms):
    pass


@pytest.fixture(scope="module")
def doc():
    return doc_samples.to_doc(corpus.build(PHOTO_CASE))


def old(data, name="三元朱村.doc"):
    return SimpleUploadedFile(name, data, content_type="application/msword")


def field_errors(response):
    return [str(error) for error in response.context["importer"].errors.get("document", [])]


@pytest.mark.parametrize("name", ["三元朱村.doc", "三元朱村.wps"])
def test_an_old_document_fills_the_form_as_its_docx_does(client, campaign, region, doc, name):
    response = post(client, campaign, blank_page(region, **{"import-document": old(doc, name)}))
    assert response.status_code == 200  # tasks run eagerly here: converted within the post
    assert response.context["word_job"] is None
    values, sections, photos = page_values(response)
    assert values["org_name"] == "潍坊市寿光市三元朱村党支部"
    assert values["brand_name"] == "菜乡先锋"
    assert values["brand_slogan"] == "党建强村，蔬菜富民"
    assert values["contact_name"] == "张三"  # typed: kept
    assert sections == SECTIONS
    assert len(photos) == 4
    assert Photo.objects.filter(submission__isnull=True).count() == 4
    assert "已从文档填入" in response.content.decode()
    assert Submission.objects.count() == 0
    assert not [key for key in _cache_keys() if key.startswith("word-job")]  # the job is gone once used


def _cache_keys():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM portal_cache")
        return [row[0].split(":", 2)[-1] for row in cursor.fetchall()]


def test_in_the_worker_the_page_shows_progress_and_keeps_what_is_typed(client, campaign, region, doc, settings):
    settings.TASKS_EAGER = False  # the web request only queues the conversion, as in production
    data = blank_page(region, **{"import-document": old(doc), "import-keep": "on"})
    response = post(client, campaign, data)
    key = response.context["word_job"]
    assert doc_jobs.valid(key)
    html = response.content.decode()
    assert "data-word-job" in html and f'name="import_job" value="{key}"' in html
    assert "js/word-convert" in html
    status = reverse("calls:import_status", args=[key])
    assert client.get(status).json() == {"state": "queued"}
    assert Photo.objects.count() == 0

    # Pressed too early (no JavaScript): the page comes back, still converting, with what was typed.
    again = {k: v for k, v in data.items() if not k.startswith("import-")}
    again.update(action="import_job", import_job=key, brand_idea="我刚写的品牌内涵")
    response = post(client, campaign, again)
    assert response.context["word_job"] == key
    assert page_values(response)[0]["brand_idea"] == "我刚写的品牌内涵"

    assert intake_tasks.convert_word_document(key) == "done"  # the worker
    assert intake_tasks.convert_word_document(key) == "done"  # run twice: nothing more
    assert client.get(status).json() == {"state": "done"}
    response = post(client, campaign, again)
    values, sections, photos = page_values(response)
    assert values["brand_name"] == "菜乡先锋"
    assert values["brand_idea"] == "我刚写的品牌内涵"  # typed while it converted: kept
    assert sections == SECTIONS and len(photos) == 4
    kept = Attachment.objects.get(submission__isnull=True)  # ticked: the converted .docx is kept
    assert kept.original_name == "三元朱村.docx"
    assert values["attachment_keys"] == kept.upload_key
    assert client.get(status).json() == {"state": "gone"}
    response = post(client, campaign, again)  # the same job again: used up
    assert field_errors(response) == ["文档转换已过期，请重新选择文档导入。"]
    assert Photo.objects.count() == 4


@pytest.mark.parametrize(
    "content, code_message",
    [
        (b"{\\rtf1\\ansi hello}", "这是 RTF 格式的文件，请另存为 Word 文档（.docx）后再上传。"),
        (b"<html><body>hello</body></html>", "这是网页（HTML）格式的文件，请另存为 Word 文档（.docx）后再上传。"),
        (
            bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600,
            "文件已损坏或不完整，不能读取。请在 Word 或 WPS 中重新保存后再上传。",
        ),
    ],
)
def test_a_doc_that_is_not_one_is_refused_by_content(client, campaign, region, content, code_message, settings):
    settings.TASKS_EAGER = False  # nothing may be queued either
    data = blank_page(region, **{"import-document": old(content), "import-keep": "on"})
    data["org_name"] = "我填的单位"
    response = post(client, campaign, data)
    assert response.status_code == 200
    assert field_errors(response) == [code_message]
    assert response.context["word_job"] is None
    assert page_values(response)[0]["org_name"] == "我填的单位"
    assert Photo.objects.count() == Attachment.objects.count() == Submission.objects.count() == 0
    assert not [key for key in _cache_keys() if key.startswith("word-job")]


def test_a_conversion_that_fails_is_shown_under_the_field(client, campaign, region, doc, settings):
    settings.DOCUMENT_READ_SECONDS = 0.3  # the ceiling the converter shares with the reader
    data = blank_page(region, **{"import-document": old(doc)})
    data["org_name"] = "我填的单位"
    response = post(client, campaign, data)
    assert field_errors(response) == ["文档过于复杂，无法在限定时间内转换。请在 Word 或 WPS 中另存为 .docx 后再上传。"]
    html = response.content.decode()
    assert "无法在限定时间内转换" in html and "is-invalid" in html
    assert page_values(response)[0]["org_name"] == "我填的单位"
    assert Photo.objects.count() == Attachment.objects.count() == 0
    assert not [key for key in _cache_keys() if key.startswith("word-job")]


def test_an_unknown_job_is_an_expired_one(client, campaign, region):
    data = blank_page(region, action="import_job", import_job="x" * 43)
    response = post(client, campaign, data)
    assert field_errors(response) == ["文档转换已过期，请重新选择文档导入。"]
    assert client.get(reverse("calls:import_status", args=["short"])).json() == {"state": "gone"}
    assert client.get(reverse("calls:import_status", args=["y" * 43])).json() == {"state": "gone"}


def test_a_job_whose_document_expired_fails_in_the_worker(settings):
    key = doc_jobs.start(old(b"whatever"))
    cache.delete(f"word-job:{key}:in")
    assert intake_tasks.convert_word_document(key) == "failed"
    assert doc_jobs.state(key)["message"] == "文档转换已过期，请重新选择文档导入。"
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", key)
