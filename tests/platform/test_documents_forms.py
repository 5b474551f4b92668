"""The reader and the 申报表 as people fill it (issue 26): the campaign's title is not the brand,
labels it does not know are kept, a field answered twice keeps both, a long answer is a section,
tables that are not forms stay text, and captions lose their markers."""

import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from submissions.platform import documents
from submissions.platform.documents import head
from tests import docx_corpus as corpus


def read(doc):
    buffer = io.BytesIO()
    doc.save(buffer)
    return documents.read_practice(corpus.as_upload(buffer.getvalue()), photos=False)


def titled(title):
    doc = docx.Document()
    paragraph = doc.add_paragraph()
    paragraph.add_run(title).bold = True
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def table(doc, rows, cols=2):
    made = doc.add_table(rows=len(rows), cols=cols)
    for row, values in zip(made.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    return made


@pytest.mark.parametrize(
    "title",
    [
        "“齐鲁印初心”山东优秀党建品牌申报表",
        "“齐鲁先锋”党建品牌征集活动推荐表",
        "“红色引擎”优秀党建品牌评选",
        "山东省优秀党建品牌登记表",
    ],
)
def test_the_campaigns_title_is_not_the_brand(title):
    doc = titled(title)
    doc.add_paragraph("支部现有党员23名。")
    doc.add_paragraph("一、强化政治引领")
    doc.add_paragraph("每周一学。")
    practice = read(doc)
    assert practice.get("brand_name") == ""
    assert practice.get("introduction") == "支部现有党员23名。"
    assert practice.sections == [("强化政治引领", "每周一学。")]


def test_the_organization_line_under_the_title_fills_the_organization():
    doc = titled("打造“零距离”党建品牌")
    doc.add_paragraph("济南东收费站党支部").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("支部现有党员23名。")
    practice = read(doc)
    assert (practice.get("org_name"), practice.get("brand_name")) == ("济南东收费站党支部", "零距离")
    assert practice.get("introduction") == "支部现有党员23名。"


def test_unknown_labels_and_second_answers_are_kept_in_the_introduction():
    doc = titled("“齐鲁印初心”山东优秀党建品牌申报表")
    table(
        doc,
        [
            ("单位名称", "济南东收费站党支部", "推荐单位", "齐鲁交通发展集团党委"),
            ("品牌名称", "“零距离”", "成立时间", "2015年3月"),
            ("基本情况", "支部现有党员23名。", "", ""),
        ],
        cols=4,
    )
    practice = read(doc)
    assert practice.get("org_name") == "济南东收费站党支部"
    assert practice.get("brand_name") == "零距离"
    assert practice.get("introduction") == "推荐单位：齐鲁交通发展集团党委\n成立时间：2015年3月\n支部现有党员23名。"


def test_a_long_answer_is_a_section_and_numbered_headings_in_a_cell_are_sections():
    doc = docx.Document()
    made = table(doc, [("党组织名称", "三元朱村党支部"), ("经验启示", ""), ("主要做法", "")])
    made.rows[1].cells[1].text = "党建强村。"
    made.rows[1].cells[1].add_paragraph("蔬菜富民。")
    cell = made.rows[2].cells[1]
    cell.text = "一、支部带头闯新路"
    for line in ("率先试种大棚。", "（一）党员先试", "二、合作共富", "成立合作社。"):
        cell.add_paragraph(line)
    practice = read(doc)
    assert practice.sections == [
        ("经验启示", "党建强村。\n蔬菜富民。"),
        ("支部带头闯新路", "率先试种大棚。\n（一）党员先试"),
        ("合作共富", "成立合作社。"),
    ]
    assert practice.get("introduction") == ""


def test_a_table_of_figures_is_not_a_form():
    doc = docx.Document()
    doc.add_paragraph("一、活动开展")
    doc.add_paragraph("全年开展活动。")
    table(doc, [("年度", "场次"), ("2023年", "60")])
    practice = read(doc)
    assert practice.sections == [("活动开展", "全年开展活动。\n年度 | 场次\n2023年 | 60")]


def test_a_bold_label_line_and_numbered_headings_live_together():
    doc = docx.Document()
    doc.add_paragraph().add_run("品牌简介").bold = True
    doc.add_paragraph("支部现有党员23名。")
    for line in ("一、思想引领", "每周一学。", "（一）领导带头", "二、服务群众", "开设窗口。", "三、荣誉情况", "获评先进。"):
        doc.add_paragraph(line)
    practice = read(doc)
    assert practice.get("introduction") == "支部现有党员23名。"
    assert practice.sections == [("思想引领", "每周一学。\n（一）领导带头"), ("服务群众", "开设窗口。")]
    assert practice.get("results") == "获评先进。"


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("▲支部开展主题党日活动", "支部开展主题党日活动"),
        ("△ 党员志愿服务", "党员志愿服务"),
        ("图1　党员志愿者在服务窗口", "党员志愿者在服务窗口"),
        ("图1：支部书记讲党课", "支部书记讲党课"),
        ("图12．主题党日", "主题党日"),
        ("图片：主题党日活动现场", "主题党日活动现场"),
        ("（图）村党支部开会", "村党支部开会"),
        ("(图2)村党支部开会", "村党支部开会"),
        ("图为党员志愿者为群众服务", "图为党员志愿者为群众服务"),
        ("图书馆里的党员读书会", "图书馆里的党员读书会"),
        ("▲", "▲"),
    ],
)
def test_caption_markers_are_removed(written, read_as):
    assert head.clean_caption(written) == read_as


def test_a_part_label_over_numbered_sections_is_not_a_section():
    doc = docx.Document()
    doc.add_paragraph("支部现有党员23名。")
    doc.add_paragraph().add_run("主要做法").bold = True
    for line in ("一、思想引领", "每周一学。", "二、服务群众", "开设窗口。"):
        doc.add_paragraph(line)
    practice = read(doc)
    assert practice.get("introduction") == "支部现有党员23名。"
    assert practice.sections == [("思想引领", "每周一学。"), ("服务群众", "开设窗口。")]


def test_a_lone_bold_line_does_not_hide_the_numbered_sections():
    doc = docx.Document()
    doc.add_paragraph().add_run("品牌故事").bold = True
    doc.add_paragraph("支部现有党员23名。")
    for line in ("一、思想引领", "每周一学。", "二、服务群众", "开设窗口。"):
        doc.add_paragraph(line)
    practice = read(doc)
    assert practice.get("introduction") == "品牌故事\n支部现有党员23名。"
    assert practice.sections == [("思想引领", "每周一学。"), ("服务群众", "开设窗口。")]
