"""Practice documents made by the tests with python-docx, in the ways people write them.

Each CASE is a literal practice (what the reader must find) and the style it is written in;
`build(case)` writes the .docx. The expected values are the literal texts below, never
anything the reader computed. tests/docx_corpus_forms.py adds the 申报表 forms, WPS-like
indented documents, mixed headings and LibreOffice-saved copies (its ALL: every case). HOSTILE (at the end): the hostile documents, each with the
refusal codes expected (empty: read), for the tests and bench/documents_hostile.py.
"""

import io
import zipfile

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from PIL import Image

NUMERALS = "一二三四五六七八九十"

ZERO = {
    "org_name": "齐鲁交通发展集团济南东收费站党支部",
    "brand_name": "零距离",
    "brand_slogan": "服务零距离，温暖千万家",
    "introduction": "济南东收费站党支部现有党员23名。\n支部以“零距离”品牌为抓手，把党建工作融入收费服务全过程。",
    "sections": [
        ("思想与理念零距离", "支部坚持每周一学。\n一是领导带头学，二是党员轮流讲，三是群众来评议。"),
        ("服务与群众零距离", "开设“党员先锋窗口”，为司乘人员提供热水、药品和路况咨询。"),
        ("安全与责任零距离", "党员带头值守夜班，节假日保通保畅。\n一是设立党员责任区；二是开展安全隐患排查；三是组织应急演练。"),
        ("文化与家园零距离", "建设职工书屋和党员活动室，营造“站是我家”的氛围。"),
    ],
    "results": "支部先后获评全省交通运输系统先进基层党组织、省级青年文明号。",
}
SEED = {
    "org_name": "临沂市兰山区金雀山街道沂蒙社区党委",
    "brand_name": "红色沂蒙",
    "brand_slogan": "传承沂蒙精神，服务社区群众",
    "introduction": "沂蒙社区党委下设6个党支部，党员186名。",
    "sections": [
        (
            "党建引领聚合力",
            "社区党委推行“党委+网格+楼栋”三级组织体系。\n（一）建强网格\n全社区划分为12个网格，每个网格配1名党员网格员。",
        ),
        ("志愿服务暖民心", "组建“沂蒙红嫂”志愿服务队，常年开展邻里互助。"),
        ("议事协商解难题", "每月召开一次“居民议事会”，群众的事群众商量着办。"),
        ("文化传承润人心", "建成沂蒙精神传习所，全年开展宣讲60余场。"),
        ("数字赋能提效率", "上线“掌上社区”小程序，居民办事一次不用跑。"),
    ],
    "results": "社区党委被评为全国民主法治示范社区。\n2023年获评山东省先进基层党组织。",
    "model_story": "网格员王秀英，退休不退岗，十年如一日为独居老人送餐。",
}
PORT = {
    "org_name": "青岛港集团前湾集装箱码头有限公司党委",
    "brand_name": "连钢创新",
    "brand_slogan": "",
    "introduction": "党委以“连钢创新”品牌为引领，推动自动化码头建设。",
    "sections": [
        ("党建与科研深度融合", "成立党员创新工作室，攻克自动化码头核心技术。"),
        ("党员先锋攻坚克难", "设立党员责任区和党员先锋岗，党员冲在一线。"),
        ("人才培养薪火相传", "实施“师带徒”工程，培养青年技术骨干80余名。"),
    ],
    "results": "团队荣获全国工人先锋号。",
}
VILLAGE = {
    "org_name": "潍坊市寿光市三元朱村党支部",
    "brand_name": "菜乡先锋",
    "brand_slogan": "党建强村，蔬菜富民",
    "introduction": "三元朱村是冬暖式蔬菜大棚的发源地。",
    "sections": [
        ("支部带头闯新路", "支部书记带领党员率先试种冬暖式大棚。"),
        ("党员示范带群众", "每名党员联系5户群众，手把手传授技术。\n一是技术帮带；二是销售帮带。"),
        ("合作共富奔小康", "成立蔬菜合作社，统一品种、统一标准、统一销售。"),
        ("乡风文明树新风", "开展“好婆婆”“好媳妇”评选，村风民风持续向好。"),
    ],
    "results": "村党支部获评全国先进基层党组织。",
}


def _case(name, practice, style, **options):
    return {"name": name, "practice": practice, "style": style, **options}


CASES = [
    _case("word-heading-styles", ZERO, "heading", numbering="cn", title_style="Title"),
    _case("word-heading-plain", PORT, "heading", numbering=None, heading_level=2),
    _case("numbering-cn", VILLAGE, "numbering", numbering="cn"),
    _case("numbering-paren", ZERO, "numbering", numbering="paren"),
    _case("numbering-arabic", PORT, "numbering", numbering="arabic"),
    _case("numbering-part", SEED, "numbering", numbering="part"),
    _case("bold-lines", VILLAGE, "bold"),
    _case("wps-outline-style", SEED, "wps", numbering="cn"),
    _case("wps-chinese-style-names", PORT, "wps-named", numbering=None),
    _case("inline-headings", ZERO, "inline", numbering="cn"),
    _case("labels-table-photos", SEED, "numbering", numbering="cn", labels="table", photos=3, table=True),
    _case("photos-captions-footnote", VILLAGE, "heading", numbering="cn", photos=4, footnote=True, comment=True),
    _case("labels-lines-tracked", PORT, "bold", labels="lines", deleted=True, photos=1),
]

# What the table inside the section of cases with table=True must read as.
TABLE_ROWS = [("年度", "活动场次", "参与人数"), ("2022年", "48", "1200"), ("2023年", "60", "1500")]
TABLE_TEXT = "年度 | 活动场次 | 参与人数\n2022年 | 48 | 1200\n2023年 | 60 | 1500"
# Captions as written, and as they must read (markers such as ▲ and 图3： removed).
CAPTIONS = ["图为党员志愿者为群众服务", "▲支部开展主题党日活动", "党员先锋岗", "图3：支部书记讲党课"]
CAPTIONS_READ = ["图为党员志愿者为群众服务", "支部开展主题党日活动", "党员先锋岗", "支部书记讲党课"]


def jpeg_bytes(size=(640, 480), color=(180, 40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def prefix(numbering, index):
    numeral = NUMERALS[index]
    return {"cn": f"{numeral}、", "paren": f"（{numeral}）", "arabic": f"{index + 1}. ", "part": f"第{numeral}部分 "}.get(
        numbering, ""
    )


def _outline(style_or_paragraph_element, level):
    ppr = style_or_paragraph_element.get_or_add_pPr()
    element = OxmlElement("w:outlineLvl")
    element.set(qn("w:val"), str(level))
    ppr.append(element)


def _bold_para(doc, text, *, centred=False):
    paragraph = doc.add_paragraph()
    paragraph.add_run(text).bold = True
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _body(doc, text, case):
    for line in text.split("\n"):
        paragraph = doc.add_paragraph()
        if case.get("deleted"):
            _deleted_run(paragraph, "（此句已删除）")
        paragraph.add_run("\u3000\u3000" + line)
        if case.get("comment") and line is text.split("\n")[0]:
            doc.add_comment(paragraph.runs[-1], text="请核实数字", author="审稿人")


def _deleted_run(paragraph, text):
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="9" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>{text}</w:delText></w:r></w:del>'
        )
    )


def _heading(doc, case, index, heading):
    style, numbering = case["style"], case.get("numbering")
    text = prefix(numbering, index) + heading
    if style == "heading":
        doc.add_heading(text, case.get("heading_level", 1))
    elif style == "numbering":
        doc.add_paragraph(text)
    elif style == "bold":
        _bold_para(doc, text)
    elif style == "wps":
        doc.add_paragraph(text, style="WPS正文标题")
    elif style == "wps-named":
        doc.add_paragraph(text, style="标题 2")


def _title(doc, case):
    practice = case["practice"]
    title = f"{practice['org_name']}：打造“{practice['brand_name']}”党建品牌"
    if case.get("title_style"):
        doc.add_paragraph(title, style=case["title_style"])
    elif case.get("labels"):
        doc.add_paragraph("党建品牌申报材料", style="Title")
    else:
        _bold_para(doc, title, centred=True)
    if case.get("labels") == "table":
        rows = [("党组织名称", practice["org_name"]), ("品牌名称", f"“{practice['brand_name']}”")]
        rows += [("品牌口号", practice["brand_slogan"])] if practice.get("brand_slogan") else []
        table = doc.add_table(rows=len(rows), cols=2)
        for row, (label, value) in zip(table.rows, rows, strict=True):
            row.cells[0].text, row.cells[1].text = label, value
    elif case.get("labels") == "lines":
        doc.add_paragraph(f"党组织名称：{practice['org_name']}")
        doc.add_paragraph(f"品牌名称：“{practice['brand_name']}”")
        if practice.get("brand_slogan"):
            doc.add_paragraph(f"品牌口号：{practice['brand_slogan']}")
    elif practice.get("brand_slogan"):
        doc.add_paragraph("——" + practice["brand_slogan"]).alignment = WD_ALIGN_PARAGRAPH.CENTER


def _styles(doc, case):
    if case["style"] == "wps":
        style = doc.styles.add_style("WPS正文标题", 1)
        style.font.bold = True
        _outline(style.element, 0)
    if case["style"] == "wps-named":
        style = doc.styles.add_style("标题 2", 1)
        style.font.bold = True


def _photo(doc, number, caption_mode):
    caption = CAPTIONS[number % len(CAPTIONS)]
    data = io.BytesIO(jpeg_bytes(size=(320 + number * 10, 240), color=(40 * number % 255, 90, 140)))
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(data, width=Cm(8))
    if caption_mode == "same":
        paragraph.add_run(caption)
    elif caption_mode == "style":
        doc.add_paragraph(caption, style="Caption")
    else:
        doc.add_paragraph(caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
    return caption


def expected_captions(count):
    return [CAPTIONS_READ[n % len(CAPTIONS_READ)] for n in range(count)]


def build(case, *, extra_photos=0):
    """The case as .docx bytes."""
    practice = case["practice"]
    doc = docx.Document()
    _styles(doc, case)
    _title(doc, case)
    for line in practice["introduction"].split("\n"):
        doc.add_paragraph("\u3000\u3000" + line)
    photos = case.get("photos", 0) + extra_photos
    modes = ["below", "style", "same", "below"]
    for index, (heading, body) in enumerate(practice["sections"]):
        if case["style"] == "inline":
            first, *rest = body.split("\n")
            paragraph = doc.add_paragraph()
            paragraph.add_run(prefix(case.get("numbering"), index) + heading + "。").bold = True
            paragraph.add_run(first)
            for line in rest:
                doc.add_paragraph(line)
        else:
            _heading(doc, case, index, heading)
            _body(doc, body, case)
        if case.get("footnote") and index == 0:
            _footnote(doc)
        if index == 1 and case.get("table"):
            table = doc.add_table(rows=len(TABLE_ROWS), cols=3)
            for row, values in zip(table.rows, TABLE_ROWS, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
        if index < photos:
            _photo(doc, index, modes[index % 4])
    for number in range(len(practice["sections"]), photos):
        _photo(doc, number, modes[number % 4])
    n = len(practice["sections"])
    _heading(doc, {**case, "style": "bold" if case["style"] == "inline" else case["style"]}, n, "工作成效")
    _body(doc, practice["results"], {})
    if practice.get("model_story"):
        _heading(doc, {**case, "style": "bold" if case["style"] == "inline" else case["style"]}, n + 1, "典型人物")
        _body(doc, practice["model_story"], {})
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()
    if case["style"].startswith("wps"):
        data = wps_like(data)
    return data


def _footnote(doc):
    """A real footnote: a footnotes part with its text, and its reference mark in the last paragraph."""
    xml = (
        f'<w:footnotes {nsdecls("w")}><w:footnote w:id="1"><w:p><w:r><w:t>脚注：数据来源于支部台账。</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode(),
        doc.part.package,
    )
    doc.part.relate_to(part, RT.FOOTNOTES)
    run = doc.paragraphs[-1]._p.add_r()
    run.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>WPS Office_12.1.0.16120_F1E327BC-269C-435d-A152-05C5408002CA</Application><Pages>3</Pages></Properties>"
)


def wps_like(data):
    """The same package with WPS's app.xml (WPS names itself there) and a custom.xml part name it writes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/app.xml":
                content = APP_XML.encode()
            target.writestr(info.filename, content)
    return out.getvalue()


def as_upload(data, name="做法.docx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
