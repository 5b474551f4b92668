"""The corpus's other half (tests/docx_corpus.py has the practices and the first styles): 申报表
forms in two and four columns (merged cells, labels over two lines, guidance paragraphs),
WPS-like documents centred and indented with ideographic spaces, a bold label line with numbered
headings, and documents saved again by LibreOffice. ALL is every case; `build(case)` writes any.

Each case's EXPECTED is the literal value of every field the reader fills ("" where the document
has none), its sections, and its photos' captions and section numbers.
"""

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from tests import docx_corpus as corpus

INFO = {
    corpus.ZERO["org_name"]: {
        "org_parent": "齐鲁交通发展集团党委",
        "org_type": "党支部",
        "region": "济南市",
        "sector": "国有企业",
        "contact_name": "李明",
        "contact_phone": "13805310001",
        "contact_email": "lm@qljt.example.cn",
    },
    corpus.SEED["org_name"]: {
        "org_parent": "中共临沂市兰山区金雀山街道工作委员会",
        "org_type": "党委",
        "region": "临沂市",
        "sector": "城市社区",
        "contact_name": "王芳",
        "contact_phone": "139 5390 0002",
        "contact_email": "yimeng@ly.example.cn",
    },
    corpus.PORT["org_name"]: {
        "org_parent": "青岛港集团党委",
        "org_type": "党委",
        "region": "青岛市",
        "sector": "国有企业",
        "contact_name": "赵刚",
        "contact_phone": "15605320003",
        "contact_email": "zg@qdport.example.cn",
    },
    corpus.VILLAGE["org_name"]: {
        "org_parent": "中共寿光市孙家集街道工作委员会",
        "org_type": "党支部",
        "region": "潍坊市",
        "sector": "农村",
        "contact_name": "王乐义",
        "contact_phone": "13606360004",
        "contact_email": "syz@sg.example.cn",
    },
}
INFO_FIELDS = ["org_parent", "org_type", "region", "sector", "contact_name", "contact_phone", "contact_email"]
CAMPAIGN_TITLE = "“齐鲁印初心”山东优秀党建品牌申报表"
GUIDANCE = "填写说明：请按“一、二、三”分条填写主要做法，每条不超过800字。"
MEMBERS = ("党员\n人数", "23")  # a label the reader does not know: kept in 概述 as 党员人数：23
WPS_CAPTIONS = ["图1　党员志愿者在服务窗口", "▲ 支部书记讲党课", "图片：主题党日活动现场"]
WPS_CAPTIONS_READ = ["党员志愿者在服务窗口", "支部书记讲党课", "主题党日活动现场"]


def expected(case):
    """Every field the reader may fill, literally, for this case."""
    practice, style = case["practice"], case["style"]
    found = {name: practice.get(name, "") for name in ("org_name", "brand_name", "brand_slogan", "introduction", "results")}
    found.update({"model_story": practice.get("model_story", ""), "brand_idea": "", "kind": ""})
    found.update({name: "" for name in INFO_FIELDS})
    source = case.get("source", case)
    if source["style"].startswith("form"):
        found.update(INFO[practice["org_name"]])
        found["contact_phone"] = INFO[practice["org_name"]]["contact_phone"]
        if source.get("members"):
            found["introduction"] = practice["introduction"] + "\n党员人数：23"
    if style == "wps-indent" or source["style"] == "wps-indent":
        found["brand_slogan"] = ""
    return found


def _case(name, practice, style, **options):
    return {"name": name, "practice": practice, "style": style, **options}


FORM_CASES = [
    _case("form2-all-in-table", corpus.ZERO, "form2", members=True, guidance=True),
    _case("form2-seed", corpus.SEED, "form2", members=True),
    _case("form2-table-then-body", corpus.PORT, "form2", body="outside"),
    _case("form2-village-guidance", corpus.VILLAGE, "form2", guidance=True, body="outside"),
    _case("form4-zero", corpus.ZERO, "form4"),
    _case("form4-seed", corpus.SEED, "form4", members=True),
    _case("form4-port", corpus.PORT, "form4", guidance=True),
    _case("form4-village", corpus.VILLAGE, "form4", members=True),
    _case("form-merged-zero", corpus.ZERO, "form-merged"),
    _case("form-merged-seed", corpus.SEED, "form-merged", members=True),
    _case("form-merged-village", corpus.VILLAGE, "form-merged"),
]
OTHER_CASES = [
    _case("wps-indent-zero", corpus.ZERO, "wps-indent", photos=3),
    _case("wps-indent-seed", corpus.SEED, "wps-indent", photos=3),
    _case("wps-indent-port", corpus.PORT, "wps-indent", photos=2),
    _case("mixed-bold-label-numbered-village", corpus.VILLAGE, "mixed"),
    _case("mixed-bold-label-numbered-seed", corpus.SEED, "mixed"),
    _case("mixed-bold-label-numbered-port", corpus.PORT, "mixed"),
]
SOURCES = [*corpus.CASES, *FORM_CASES, *OTHER_CASES]
LIBREOFFICE_CASES = [
    _case(f"libreoffice-{source['name']}", source["practice"], "libreoffice", source=source)
    for source in (corpus.CASES[0], corpus.CASES[2], FORM_CASES[0], FORM_CASES[4], OTHER_CASES[0])
]
# Saved as Word 97-2003 (.doc), then turned back into .docx by the portal's own converter
# (submissions/platform/documents/convert.py, LibreOffice in its cage), as an uploaded .doc is.
DOC_CASES = [
    _case(f"doc-{source['name']}", source["practice"], "doc", source=source)
    for source in (corpus.CASES[0], FORM_CASES[4], FORM_CASES[8], OTHER_CASES[0])
]
ALL = [*SOURCES, *LIBREOFFICE_CASES, *DOC_CASES]


def build(case):
    if case["style"] == "libreoffice":
        return libreoffice([build(case["source"])])[0]
    if case["style"].startswith("form"):
        return _form(case)
    if case["style"] == "wps-indent":
        return corpus.wps_like(_wps_indent(case))
    if case["style"] == "mixed":
        return _mixed(case)
    return corpus.build(case)


def _save(doc):
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _sections_text(practice):
    """主要做法 as one cell: numbered headings, each followed by its body."""
    lines = []
    for index, (heading, body) in enumerate(practice["sections"]):
        lines += [f"{corpus.NUMERALS[index]}、{heading}", *body.split("\n")]
    return lines


def _fill(cell, lines, guidance=False):
    cell.text = ""
    first = cell.paragraphs[0]
    if guidance:
        first.text = GUIDANCE
        first.style = "填写说明"
        first = cell.add_paragraph()
    first.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _info_rows(case):
    practice, info = case["practice"], INFO[case["practice"]["org_name"]]
    rows = [
        ("单位名称", practice["org_name"]),
        ("上级\n党组织", info["org_parent"]),
        ("党组织类型", info["org_type"]),
        ("所在市", info["region"]),
        ("所属领域", info["sector"]),
        ("联系人", info["contact_name"]),
        ("联系\n电话", info["contact_phone"]),
        ("电子邮箱", info["contact_email"]),
        ("品牌名称", f"“{practice['brand_name']}”"),
    ]
    return rows + ([("品牌口号", practice["brand_slogan"])] if practice["brand_slogan"] else [])


def _long_rows(case):
    practice = case["practice"]
    rows = [("品牌简介", practice["introduction"].split("\n"))]
    rows += [("党员人数", [MEMBERS[1]])] if case.get("members") else []
    if case.get("body") != "outside":
        rows += [("主要做法", _sections_text(practice)), ("工作成效", practice["results"].split("\n"))]
        if practice.get("model_story"):
            rows.append(("典型人物", practice["model_story"].split("\n")))
    return rows


def _label(cell, label):
    """A label, split over two paragraphs where it has a line break (联系\\n电话)."""
    first, *rest = label.split("\n")
    cell.text = first
    for part in rest:
        cell.add_paragraph(part)


def _form(case):
    doc = docx.Document()
    doc.styles.add_style("填写说明", WD_STYLE_TYPE.PARAGRAPH).font.italic = True
    corpus._bold_para(doc, CAMPAIGN_TITLE, centred=True)
    if case.get("guidance"):
        doc.add_paragraph("请如实填写，表格不够可另附页。", style="填写说明")
    info, long_rows = _info_rows(case), _long_rows(case)
    if case["style"] == "form2":
        table = doc.add_table(rows=0, cols=2)
        for label, value in info:
            cells = table.add_row().cells
            _label(cells[0], label)
            cells[1].text = value
    else:
        table = doc.add_table(rows=0, cols=4)
        if case["style"] == "form-merged":
            header = table.add_row().cells
            header[0].merge(header[3]).text = "基本信息"
        pairs = info[:8]
        for index in range(0, len(pairs), 2):
            cells = table.add_row().cells
            for offset, (label, value) in enumerate(pairs[index : index + 2]):
                _label(cells[2 * offset], label)
                cells[2 * offset + 1].text = value
        for label, value in info[8:]:
            cells = table.add_row().cells
            _label(cells[0], label)
            cells[1].merge(cells[3]).text = value
    for label, lines in long_rows:
        if case["style"] == "form-merged" and label == "主要做法":
            _merged_sections(table, case)
            continue
        cells = table.add_row().cells
        cells[0].text = label
        value = cells[1] if case["style"] == "form2" else cells[1].merge(cells[3])
        _fill(value, lines, guidance=case.get("guidance") and label == "主要做法")
    if case.get("body") == "outside":
        _body_outside(doc, case["practice"])
    return _save(doc)


def _merged_sections(table, case):
    """主要做法: its label cell merged down over one row per section, each section in its own row."""
    rows = []
    for index, (heading, body) in enumerate(case["practice"]["sections"]):
        cells = table.add_row().cells
        _fill(cells[1].merge(cells[3]), [f"{corpus.NUMERALS[index]}、{heading}", *body.split("\n")])
        rows.append(cells[0])
    rows[0].merge(rows[-1]).text = "主要做法"


def _body_outside(doc, practice):
    for index, (heading, body) in enumerate(practice["sections"]):
        doc.add_paragraph(f"{corpus.NUMERALS[index]}、{heading}")
        for line in body.split("\n"):
            doc.add_paragraph("\u3000\u3000" + line)
    doc.add_paragraph(f"{corpus.NUMERALS[len(practice['sections'])]}、工作成效")
    for line in practice["results"].split("\n"):
        doc.add_paragraph("\u3000\u3000" + line)
    if practice.get("model_story"):
        doc.add_paragraph(f"{corpus.NUMERALS[len(practice['sections']) + 1]}、典型人物")
        doc.add_paragraph("\u3000\u3000" + practice["model_story"])


def _wps_indent(case):
    """WPS as branches write it: a bold centred title with the brand, the organization on a line
    centred by ideographic spaces, every paragraph indented by two, pictures with 图1　 / ▲ captions
    inside the sections."""
    practice = case["practice"]
    doc = docx.Document()
    corpus._bold_para(doc, f"打造“{practice['brand_name']}”党建品牌　汇聚发展强大合力", centred=True)
    doc.add_paragraph("\u3000" * 8 + practice["org_name"])
    for line in practice["introduction"].split("\n"):
        doc.add_paragraph("\u3000\u3000" + line)
    for index, (heading, body) in enumerate(practice["sections"]):
        doc.add_paragraph(f"\u3000\u3000{corpus.NUMERALS[index]}、{heading}")
        for line in body.split("\n"):
            doc.add_paragraph("\u3000\u3000" + line)
        if index < case.get("photos", 0):
            picture = doc.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(corpus.jpeg_bytes(size=(300 + 10 * index, 200))), width=Cm(8))
            doc.add_paragraph(WPS_CAPTIONS[index]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    n = len(practice["sections"])
    doc.add_paragraph(f"\u3000\u3000{corpus.NUMERALS[n]}、工作成效")
    for line in practice["results"].split("\n"):
        doc.add_paragraph("\u3000\u3000" + line)
    if practice.get("model_story"):
        doc.add_paragraph(f"\u3000\u3000{corpus.NUMERALS[n + 1]}、典型人物")
        doc.add_paragraph("\u3000\u3000" + practice["model_story"])
    return _save(doc)


def _mixed(case):
    """A bold 品牌简介 line before `一、` sections, a bold 荣誉情况 line after them (issue 26)."""
    practice = case["practice"]
    doc = docx.Document()
    corpus._bold_para(doc, f"{practice['org_name']}：打造“{practice['brand_name']}”党建品牌", centred=True)
    if practice["brand_slogan"]:
        doc.add_paragraph("——" + practice["brand_slogan"]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    corpus._bold_para(doc, "品牌简介")
    for line in practice["introduction"].split("\n"):
        doc.add_paragraph("\u3000\u3000" + line)
    for index, (heading, body) in enumerate(practice["sections"]):
        doc.add_paragraph(f"{corpus.NUMERALS[index]}、{heading}")
        for line in body.split("\n"):
            doc.add_paragraph("\u3000\u3000" + line)
    corpus._bold_para(doc, "荣誉情况")
    for line in practice["results"].split("\n"):
        doc.add_paragraph("\u3000\u3000" + line)
    if practice.get("model_story"):
        corpus._bold_para(doc, "典型人物")
        doc.add_paragraph(practice["model_story"])
    return _save(doc)


def expected_photos(case):
    """[(caption, section number)] the reader must give."""
    source = case.get("source", case)
    count = source.get("photos", 0)
    if source["style"] == "wps-indent":
        return [(WPS_CAPTIONS_READ[n], n + 1) for n in range(count)]
    sections = len(source["practice"]["sections"])
    return [(caption, min(n + 1, sections)) for n, caption in enumerate(corpus.expected_captions(count))]


SOFFICE_SECONDS = 180


def libreoffice(documents):
    """The documents opened and saved again as .docx by LibreOffice (soffice --headless), in one run."""
    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        names = []
        for index, data in enumerate(documents):
            source = root / "in" / f"doc{index}.docx"
            source.parent.mkdir(exist_ok=True)
            source.write_bytes(data)
            names.append(source)
        env = {**os.environ, "HOME": folder}
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--norestore",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(root / "out"),
                *map(str, names),
            ],
            check=True,
            capture_output=True,
            timeout=SOFFICE_SECONDS,
            env=env,
        )
        return [(root / "out" / name.name).read_bytes() for name in names]


def through_doc(documents):
    """The documents saved as .doc (tests/doc_samples.py) and converted back by the portal's converter."""
    from submissions.platform.documents import convert
    from tests.doc_samples import to_doc

    return [convert.to_docx(to_doc(data)) for data in documents]
