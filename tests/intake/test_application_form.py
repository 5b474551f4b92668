"""Our own 申报表 (submissions/intake/application_form.py): offered on the call page, and read back
exactly once filled in, whether saved by python-docx (as Word writes it), WPS-like or by LibreOffice.

The round trip is the format contract between the form and the reader
(submissions.platform.documents.read_practice): the values below are typed here, never taken from
the form's own code."""

import io
import os
import shutil
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.shared import Cm

from submissions.platform import documents
from tests import docx_corpus
from tests.factories import CampaignFactory
from tests.submit_data import image_bytes

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
TITLE = "“齐鲁印初心”山东优秀党建品牌征集"
TABLE = {
    "单位名称": "山东高速集团济南收费站党支部",
    "上级党组织": "山东高速集团有限公司党委",
    "党组织类型": "党支部",
    "所在市": "济南",
    "所属领域": "国有企业",
    "品牌名称": "零距离",
    "品牌口号": "服务零距离，温暖在路上",
    "联系人": "王晓明",
    "联系电话": "13812345678",
    "电子邮箱": "wangxm@example.org",
    "报送类别": "党建典型经验",
}
FIELDS = {  # what read_practice must give for TABLE and BODIES
    "org_name": "山东高速集团济南收费站党支部",
    "org_parent": "山东高速集团有限公司党委",
    "org_type": "党支部",
    "region": "济南",
    "sector": "国有企业",
    "brand_name": "零距离",
    "brand_slogan": "服务零距离，温暖在路上",
    "contact_name": "王晓明",
    "contact_phone": "13812345678",
    "contact_email": "wangxm@example.org",
    "kind": "党建典型经验",
    "brand_idea": "“零距离”寓意党员与群众心贴心、面对面。",
    "introduction": "济南收费站党支部现有党员32名。\n支部以“零距离”品牌统领站区各项工作。",
    "results": "2025年获评全省交通系统先进基层党组织。\n群众满意率保持在99%以上。",
    "model_story": "党员王强坚守收费一线十五年，帮助司乘人员三百余次。",
}
BODIES = {  # heading in the form -> paragraphs written under it
    "品牌内涵": ["“零距离”寓意党员与群众心贴心、面对面。"],
    "概述": ["济南收费站党支部现有党员32名。", "支部以“零距离”品牌统领站区各项工作。"],
    "工作成效与荣誉": ["2025年获评全省交通系统先进基层党组织。", "群众满意率保持在99%以上。"],
    "典型人物事迹": ["党员王强坚守收费一线十五年，帮助司乘人员三百余次。"],
}
SECTIONS = [  # (the form's heading, the heading written over it, the body)
    ("主要做法一", "思想与理念零距离", ["每周开展一次“站区微党课”。", "党员轮流讲述身边的服务故事。"]),
    ("主要做法二", "服务与群众零距离", ["设立党员先锋岗，高峰时段党员带头上岗。"]),
]
CAPTION = "党员志愿者在收费广场为司机送上热水"


@pytest.fixture
def call():
    return CampaignFactory(slug="qilu-2026", title=TITLE, kinds=["practice", "experience", "pioneer"])


def generated(client, campaign):
    response = client.get(reverse("calls:form_docx", args=[campaign.slug]))
    assert response.status_code == 200
    return response.content


def _set_text(paragraph, text):
    for run in paragraph.runs[1:]:
        run._r.getparent().remove(run._r)
    if paragraph.runs:
        paragraph.runs[0].text = text
    else:
        paragraph.add_run(text)


def _write_cell(cell, text, *, wps):
    paragraph = cell.paragraphs[0]
    paragraph.add_run(("\u3000" + text + "\u3000") if wps else text)


def _split_label(cell):
    """WPS habit: a label over two lines (two paragraphs in the cell), with a full-width colon."""
    label = cell.text
    if len(label) < 3:
        return
    half = len(label) // 2
    _set_text(cell.paragraphs[0], label[:half])
    second = cell.add_paragraph()
    second.add_run(label[half:] + "：").bold = True


def fill(data, *, wps=False, sections=SECTIONS, picture=True):
    """The form filled in as a submitter does: the table's value cells, a paragraph under each
    heading (the practice headings renamed, the third part deleted), a photo with its caption."""
    doc = Document(io.BytesIO(data))
    table = doc.tables[0]
    seen = set()
    for row in table.rows:
        cells = row.cells
        for index in (0, 2):
            label = cells[index].text
            if label in TABLE:
                seen.add(label)
                _write_cell(cells[index + 1], TABLE[label], wps=wps)
                if wps:
                    _split_label(cells[index])
    assert seen == set(TABLE), "every label of the contract is in the table"
    paragraphs = list(doc.paragraphs)
    headings = [p for p in paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings] == [
        "品牌内涵",
        "概述",
        "主要做法一",
        "主要做法二",
        "主要做法三",
        "工作成效与荣誉",
        "典型人物事迹",
    ]
    renamed = {form_heading: (heading, body) for form_heading, heading, body in sections}
    for number, heading in enumerate(headings):
        label = heading.text
        following = headings[number + 1] if number + 1 < len(headings) else None
        block = _block(paragraphs, heading, following)
        if label.startswith("主要做法") and label not in renamed:  # not needed: the whole part goes
            for paragraph in [heading, *block]:
                paragraph._p.getparent().remove(paragraph._p)
            continue
        if label in renamed:
            new_heading, lines = renamed[label]
            _set_text(heading, (f"{'一二三'[number - 2]}、{new_heading}") if wps else new_heading)
        else:
            lines = BODIES[label]
        guidance = [p for p in block if p.style.name == "填写说明"]
        assert guidance, f"{label} has its guidance"
        blank = next(p for p in block if p.style.name == "Normal" and not p.text)
        for line in lines[:-1]:
            blank.insert_paragraph_before(("\u3000\u3000" + line) if wps else line)
        blank.add_run(("\u3000\u3000" + lines[-1]) if wps else lines[-1])
        if picture and label == "主要做法二":  # a photo after the part's text, its caption under it
            photo = following.insert_paragraph_before()
            photo.alignment = 1
            photo.add_run().add_picture(io.BytesIO(image_bytes((640, 480))), width=Cm(8))
            following.insert_paragraph_before(f"▲{CAPTION}").alignment = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _block(paragraphs, heading, following):
    start = next(i for i, p in enumerate(paragraphs) if p._p is heading._p)
    end = next(i for i, p in enumerate(paragraphs) if p._p is following._p) if following is not None else len(paragraphs)
    return paragraphs[start + 1 : end]


def through_libreoffice(data, tmp_path):
    """The document opened and saved again by LibreOffice (its own .docx writer), bounded in time."""
    if not Path(SOFFICE).exists():
        pytest.fail("soffice is not installed (apt-get install libreoffice-writer-nogui)")
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    out.mkdir()
    (source / "form.docx").write_bytes(data)
    profile = tempfile.mkdtemp(prefix="portal-lo-")
    try:
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(out),
                str(source / "form.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
            env={**os.environ, "HOME": profile},
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return (out / "form.docx").read_bytes()


def read(data):
    return documents.read_practice(docx_corpus.as_upload(data, "申报表.docx"))


def assert_exact(practice):
    assert practice.fields == FIELDS
    assert practice.sections == [(heading, "\n".join(body)) for _form, heading, body in SECTIONS]
    assert [(photo.caption, photo.section) for photo in practice.photos] == [(CAPTION, 2)]  # after the 2nd part
    assert practice.notices == []


def test_the_generated_form_is_the_contract(client, call):
    doc = Document(io.BytesIO(generated(client, call)))
    title = doc.paragraphs[0]
    assert (title.style.name, title.text) == ("Title", f"{TITLE}申报表")
    table = doc.tables[0]
    assert len(table.columns) == 4
    labels = [cell.text for row in table.rows for cell in (row.cells[0], row.cells[2]) if cell.text]
    assert labels == [*TABLE]
    assert all(not row.cells[1].text and not row.cells[3].text for row in table.rows)
    last = table.rows[-1].cells
    assert last[0].text == "报送类别" and last[1]._tc is last[3]._tc  # the odd last label's value spans the row
    guidance = doc.styles["填写说明"]
    assert guidance.font.italic is True
    assert str(guidance.font.color.rgb) == "7F7F7F"
    guidance_text = "\n".join(p.text for p in doc.paragraphs if p.style.name == "填写说明")
    for choices in ("党委、党总支、党支部", "机关、事业单位、国有企业", "济南", "党建优秀做法、党建典型经验、党员先锋事迹"):
        assert choices in guidance_text
    assert "1000" in guidance_text and "不超过 40 字" in guidance_text  # the limits: 品牌内涵, a section's heading
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"
    assert "PAGE" in section.footer._element.xml


def test_a_single_kind_campaign_has_no_kind_row(client):
    campaign = CampaignFactory(slug="one-kind", kinds=["practice"])
    doc = Document(io.BytesIO(generated(client, campaign)))
    labels = [cell.text for row in doc.tables[0].rows for cell in row.cells]
    assert "报送类别" not in labels and "电子邮箱" in labels


def test_filled_form_written_by_python_docx_reads_back_exactly(client, call):
    assert_exact(read(fill(generated(client, call))))


def test_filled_form_written_wps_like_reads_back_exactly(client, call):
    assert_exact(read(docx_corpus.wps_like(fill(generated(client, call), wps=True))))


def test_filled_form_saved_by_libreoffice_reads_back_exactly(client, call, tmp_path):
    assert_exact(read(through_libreoffice(fill(generated(client, call)), tmp_path)))


def _tables(queries):
    """The tables the queries read, other than the cache's own (the test settings keep the cache in the database)."""
    found = []
    for query in queries:
        sql = query["sql"]
        if "portal_cache" in sql or sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
            continue
        found.append(sql.split(" FROM ", 1)[1].split()[0].strip('"'))
    return found


def test_the_call_page_links_the_form_and_the_download_is_named(client, call):
    page = client.get(reverse("calls:detail", args=[call.slug]))
    url = reverse("calls:form_docx", args=[call.slug])
    assert f'href="{url}"' in page.content.decode()
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert _tables(first.captured_queries) == ["submissions_campaign", "submissions_region"]  # once each
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="qilu-2026-application-form.docx"')
    assert disposition.endswith("%E7%94%B3%E6%8A%A5%E8%A1%A8.docx")  # …申报表.docx (RFC 5987)
    with CaptureQueriesContext(connection) as again:  # the next download: from the cache, one round trip
        second = client.get(url)
    assert _tables(again.captured_queries) == [] and len(again.captured_queries) <= 1
    assert second.content == response.content


def test_closed_or_unknown_campaign_has_no_form(client, call):
    closed = CampaignFactory(
        slug="closed-2025", opens_at=timezone.now() - timedelta(days=40), closes_at=timezone.now() - timedelta(days=1)
    )
    assert client.get(reverse("calls:form_docx", args=[closed.slug])).status_code == 404
    assert client.get(reverse("calls:form_docx", args=["no-such-call"])).status_code == 404
    assert 'form.docx"' not in client.get(reverse("calls:detail", args=[closed.slug])).content.decode()


def test_a_campaign_that_closes_stops_offering_its_cached_form(client, call):
    url = reverse("calls:form_docx", args=[call.slug])
    assert client.get(url).status_code == 200
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.opens_at = timezone.now() - timedelta(days=2)
    call.save()
    assert client.get(url).status_code == 404
