"""Our own application form (申报表) of a campaign as a Word (.docx) file, offered on the call page.

A branch that prefers Word fills it in and sends it back (从 Word 导入 on the form, or by e-mail to
the campaign mailbox); the reader (submissions.platform.documents) reads it back field by field.
What it holds is a format contract with that reader (tests/intake/test_application_form.py
fills one in and reads it back, as written by python-docx, WPS-like and LibreOffice):

- the title, in style Title: `<campaign title>申报表` (the reader never takes a quoted campaign
  name in it for a brand);
- a 4-column table (label, value, label, value) with the labels of table_rows() (报送类别 too when the
  campaign has several kinds), the value cells empty; the choices of a choice field are listed
  in the guidance under the table;
- then each long field and section: its label in style "Heading 1" (品牌内涵, 概述, 主要做法一、二…,
  工作成效与荣誉, 典型人物事迹), its guidance in the paragraph style GUIDANCE (grey, italic: the
  reader skips it) and an empty Normal paragraph to write in.

The form is always written in Chinese (the labels are what the reader knows), whatever the
language of the page it is downloaded from.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from submissions.intake.forms import messages
from submissions.intake.forms.entry import EntryForm
from submissions.intake.forms.parts import MAX_PHOTOS, MAX_SECTIONS
from submissions.models import Kind, OrgType, Region, Section, Sector, Submission
from submissions.platform.documents import writer

GUIDANCE = "填写说明"  # the paragraph style of the guidance (a name the reader knows: not translated)
GUIDANCE_COLOUR = "7F7F7F"
LANGUAGE = "zh-hans"
PRACTICE_SECTIONS = 3  # 主要做法一 … 三 (the submitter may copy one to add more, up to MAX_SECTIONS)
NUMERALS = "一二三四五六七八九十"
COLUMN_WIDTHS = (Cm(2.6), Cm(5.4), Cm(2.6), Cm(5.4))


def table_rows(campaign):
    """(field, label) of the table, in order: 报送类别 only when the campaign has several kinds."""
    rows = [
        ("org_name", _("单位名称")),
        ("org_parent", _("上级党组织")),
        ("org_type", _("党组织类型")),
        ("region", _("所在市")),
        ("sector", _("所属领域")),
        ("brand_name", _("品牌名称")),
        ("brand_slogan", _("品牌口号")),
        ("contact_name", _("联系人")),
        ("contact_phone", _("联系电话")),
        ("contact_email", _("电子邮箱")),
    ]
    if len(kinds_of(campaign)) > 1:
        rows.append(("kind", _("报送类别")))
    return rows


def kinds_of(campaign):
    return [Kind(code).label for code in campaign.kinds if code in Kind.values]


def _limit(name):
    return Submission._meta.get_field(name).max_length


def _choices(labels):
    return "、".join(str(label) for label in labels)


def table_guidance(campaign, regions):
    """The guidance under the table: what each field takes, the choices of the choice fields."""
    help_texts = EntryForm.Meta.help_texts
    lines = [
        _("单位名称：党组织全称（不超过 %(max)s 字），%(help)s。") % {"help": help_texts["org_name"], "max": _limit("org_name")},
        _("党组织类型：填写以下之一：%(choices)s。") % {"choices": _choices(OrgType.labels)},
        _("所在市：填写以下之一：%(choices)s。") % {"choices": _choices(regions)},
        _("所属领域：填写以下之一：%(choices)s。") % {"choices": _choices(Sector.labels)},
        _("品牌名称：不加引号，%(help)s。") % {"help": help_texts["brand_name"]},
        _("品牌口号：%(help)s（可选，不超过 %(max)s 字）。")
        % {"help": help_texts["brand_slogan"], "max": _limit("brand_slogan")},
        _("联系电话：%(help)s。") % {"help": help_texts["contact_phone"]},
        _("电子邮箱：%(help)s。") % {"help": help_texts["contact_email"]},
    ]
    kinds = kinds_of(campaign)
    if len(kinds) > 1:
        lines.append(_("报送类别：填写以下之一：%(choices)s。") % {"choices": _choices(kinds)})
    return lines


def sections(campaign):
    """(heading, [guidance]) of the long fields and the practice sections, in order."""
    limit = _("不超过 %(max)s 字。")
    found = [
        (_("品牌内涵"), [str(messages.REQUIRED["brand_idea"]), limit % {"max": _limit("brand_idea")}]),
        (_("概述"), [str(messages.REQUIRED["introduction"]), limit % {"max": _limit("introduction")}]),
    ]
    heading_max = Section._meta.get_field("heading").max_length
    body_max = Section._meta.get_field("body").max_length
    for number in range(PRACTICE_SECTIONS):
        heading = _("主要做法%(number)s") % {"number": NUMERALS[number]}
        guidance = [
            _(
                "把本标题“%(heading)s”改为这一部分的小标题（不超过 %(heading_max)s 字），例如：思想与理念零距离；在下面写这一部分的正文（不超过 %(body_max)s 字）。"
            )
            % {"heading": heading, "heading_max": heading_max, "body_max": body_max}
        ]
        if number == 0:
            guidance.append(
                _("主要做法最多 %(max)s 部分：复制一个部分（标题和正文）可增加一部分，不需要的部分整个删去。")
                % {"max": MAX_SECTIONS}
            )
            guidance.append(
                _("照片可插入在所属部分的正文之后（JPG 或 PNG，全表最多 %(max)s 张），在照片下一行写图片说明。")
                % {"max": MAX_PHOTOS}
            )
        found.append((heading, guidance))
    found.append((_("工作成效与荣誉"), [_("取得的成效、获得的荣誉。"), limit % {"max": _limit("results")}]))
    found.append((_("典型人物事迹"), [_("可选：一位党员先锋的故事。"), limit % {"max": _limit("model_story")}]))
    return found


def title(campaign):
    return _("%(campaign)s申报表") % {"campaign": campaign.title}


def file_names(campaign):
    """(ASCII file name, the Chinese one) of the download."""
    return f"{campaign.slug}-application-form.docx", f"{title(campaign)}.docx"


def render(campaign, regions=None):
    """The .docx bytes of the campaign's application form. `regions`: the names of its cities
    (one query when not given)."""
    if regions is None:
        regions = list(Region.objects.filter(province=campaign.province).values_list("name", flat=True))
    with translation.override(LANGUAGE):
        return writer.to_bytes(_document(campaign, regions))


def _document(campaign, regions):
    doc = writer.document(page_numbers=True)
    writer.paragraph_style(doc, GUIDANCE, size=10.5, italic=True, color=GUIDANCE_COLOUR)
    heading = doc.add_paragraph(style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    writer.text_run(heading, title(campaign), writer.TITLE_FONT, 20, bold=True)
    mailbox = {"mailbox": campaign.mailbox}
    writer.paragraph(
        doc,
        _(
            "请在表格的空白格和各标题下的空行中填写；灰色斜体的填写说明可以保留，导入时自动略去。"
            "填好后在网上报送页面用“从 Word 导入”上传，或作为邮件附件发送至 %(mailbox)s。"
        )
        % mailbox,
        style=GUIDANCE,
        size=10.5,
    )
    _table(doc, table_rows(campaign))
    for line in table_guidance(campaign, regions):
        writer.paragraph(doc, line, style=GUIDANCE, size=10.5, space_after=None)
    for label, guidance in sections(campaign):
        head = doc.add_paragraph(style="Heading 1")
        writer.text_run(head, label, writer.TITLE_FONT, 14, bold=True)
        for line in guidance:
            writer.paragraph(doc, line, style=GUIDANCE, size=10.5, space_after=None)
        writer.paragraph(doc, "", style="Normal")
    return doc


def _table(doc, rows):
    pairs = [rows[index : index + 2] for index in range(0, len(rows), 2)]
    table = doc.add_table(rows=len(pairs), cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, pair in zip(table.rows, pairs, strict=True):
        for index, width in enumerate(COLUMN_WIDTHS):
            row.cells[index].width = width
        for column, (_name, label) in enumerate(pair):
            writer.text_run(row.cells[2 * column].paragraphs[0], label, writer.BODY_FONT, 12, bold=True)
        if len(pair) == 1:  # an odd last label: its value cell spans the row
            row.cells[1].merge(row.cells[3])
    return table
