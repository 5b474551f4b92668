"""The recommendation form (推荐表) of an entry as a Word (.docx) file: printed, stamped by the body and
scanned back (forms.ScanForm). Its title, a table of the entry's particulars, the brand's idea and the
overview, the body's opinion (blank lines to write on before it recommends) and the stamp block."""

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from submissions.platform.documents import writer
from submissions.platform.documents.writer import BODY_FONT, CONTENT_TYPE, TITLE_FONT

__all__ = ["CONTENT_TYPE", "disposition", "particulars", "render", "title"]

BLANK_LINES = 6  # room for a handwritten opinion


def _para(doc, text, *, size=12, bold=False, align=None, font=BODY_FONT, indent=False):
    return writer.paragraph(doc, text, size=size, bold=bold, align=align, font_name=font, indent=indent)


def _heading(doc, text):
    return _para(doc, text, size=13, bold=True, font=TITLE_FONT)


def _lines(doc, value):
    for line in (value or "").splitlines():
        if line.strip():
            _para(doc, line.strip(), indent=True)


def particulars(entry):
    """(label, value) rows of the form's table, in order."""
    return [
        (_("申报单位"), entry.org_name),
        (_("上级党组织"), entry.org_parent),
        (_("党组织类型"), entry.get_org_type_display()),
        (_("所在市"), entry.region.name),
        (_("所属领域"), entry.get_sector_display()),
        (_("品牌名称"), entry.brand_name),
        (_("品牌口号"), entry.brand_slogan),
        (_("联系人"), entry.contact_name),
        (_("联系电话"), entry.contact_phone),
        (_("报送编号"), entry.reference or ""),
    ]


def title(entry):
    return _("%(campaign)s推荐表") % {"campaign": entry.campaign.title}


def render(entry, recommendation=None):
    """The .docx bytes of the entry's recommendation form (campaign and region loaded by the caller)."""
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)
    _para(doc, title(entry), size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
    rows = particulars(entry)
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        writer.text_run(row.cells[0].paragraphs[0], label, BODY_FONT, 12, bold=True)
        writer.text_run(row.cells[1].paragraphs[0], value or "", BODY_FONT, 12)
        row.cells[0].width, row.cells[1].width = Cm(4), Cm(12)
    _heading(doc, _("品牌内涵"))
    _lines(doc, entry.brand_idea)
    _heading(doc, _("概述"))
    _lines(doc, entry.introduction)
    _heading(doc, _("推荐意见"))
    if recommendation is not None:
        _lines(doc, recommendation.opinion)
    else:
        for _line in range(BLANK_LINES):
            _para(doc, "")
    _para(doc, "")
    _para(doc, _("推荐单位（盖章）"), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "")
    _para(doc, _("年　　月　　日"), align=WD_ALIGN_PARAGRAPH.RIGHT)
    return writer.to_bytes(doc)


def disposition(entry):
    """Content-Disposition: an ASCII name from the reference, and the Chinese one (RFC 5987)."""
    reference = entry.reference or str(entry.pk)
    return writer.disposition(f"{reference}.docx", f"{reference}-推荐表.docx")
