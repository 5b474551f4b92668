"""Documents out: the helpers every generated Word (.docx) file shares, written with python-docx.

    doc = writer.document(page_numbers=True)   # A4, 宋体 body and 黑体 headings in the styles
    writer.paragraph(doc, "……", indent=True)
    response = HttpResponse(writer.to_bytes(doc), content_type=writer.CONTENT_TYPE)
    response["Content-Disposition"] = writer.disposition("form.docx", "申报表.docx")

Fonts are named in the styles themselves (w:eastAsia as well as the Latin name), so that a
Chinese Word, WPS or LibreOffice shows the text in a CJK font whatever the user's default is,
and every run written here names its font too (a document copied elsewhere keeps it). Text is
cleaned of control characters before it is written (python-docx refuses some of them).
"""

import io
from urllib.parse import quote

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from portal.text import strip_controls

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.5)


def font(target, name, size=None, *, bold=None, italic=None, color=None):
    """Set the font of a run or a style: its Latin and East Asian name, and what is given."""
    target.font.name = name
    if size is not None:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold
    if italic is not None:
        target.font.italic = italic
    if color is not None:
        target.font.color.rgb = RGBColor.from_string(color)
    target.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return target


def document(*, margins=MARGIN, page_numbers=False):
    """A new A4 document with CJK fonts named in its Normal, Title and Heading 1 styles."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    section.left_margin = section.right_margin = margins
    font(doc.styles["Normal"], BODY_FONT, 12)
    font(doc.styles["Title"], TITLE_FONT, 20, bold=True, color="000000")
    font(doc.styles["Heading 1"], TITLE_FONT, 14, bold=True, color="000000")
    if page_numbers:
        add_page_numbers(section)
    return doc


def paragraph_style(doc, name, *, size=10.5, italic=False, color=None, base="Normal"):
    """A custom paragraph style (created once per document) with a CJK font."""
    styles = doc.styles
    if name in [style.name for style in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    font(style, BODY_FONT, size, italic=italic, color=color)
    style.paragraph_format.space_after = Pt(3)
    return style


def add_page_numbers(section):
    """The page number (a PAGE field) centred in the section's footer: “第 N 页”."""
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centre
    footer.add_run("第 ")
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)
    footer.add_run(" 页")


def text_run(paragraph, text, name=BODY_FONT, size=12, *, bold=False):
    """A run of cleaned text in `paragraph`, its font named."""
    return font(paragraph.add_run(strip_controls(text or "")), name, size, bold=bold)


def paragraph(doc, text, *, size=12, bold=False, align=None, font_name=BODY_FONT, indent=False, style=None, space_after=6):
    """A paragraph of one run (no run when `text` is empty: a line to write on)."""
    found = doc.add_paragraph(style=style)
    if align is not None:
        found.alignment = align
    if indent:
        found.paragraph_format.first_line_indent = Pt(size * 2)
    if space_after is not None:
        found.paragraph_format.space_after = Pt(space_after)
    if text:
        text_run(found, text, font_name, size, bold=bold)
    return found


def to_bytes(doc):
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def disposition(ascii_name, name):
    """Content-Disposition of a download: an ASCII file name, and the Chinese one (RFC 5987)."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
