"""A showcase article as a Word (.docx) file for the paper edition, in the house layout:
title, byline, time and source, 编者按, lead, sections with bold headings (each followed by its
photos with captions), 专家点评, closing, standing call, 相关链接, credits in brackets, 责任编辑
and 签审: the blocks of submissions.newsroom.text, in its order, as the page shows them."""

import io
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from portal.text import strip_controls
from submissions.newsroom import text

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
RED = RGBColor(0xB7, 0x1C, 0x1C)


def _run(paragraph, text):
    """A run of text; control characters (rows stored before input was cleaned) would make the
    whole file fail, so they go."""
    return paragraph.add_run(strip_controls(text))


def _font(run, name, size, *, bold=False, color=None):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(doc, text, *, size=12, bold=False, align=None, indent=True, font=BODY_FONT, color=None):
    paragraph = doc.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(6)
    _font(_run(paragraph, text), font, size, bold=bold, color=color)
    return paragraph


def _paragraphs(doc, value, **kwargs):
    for line in (value or "").splitlines():
        if line.strip():
            _para(doc, line.strip(), **kwargs)


def _picture(doc, item):
    """A photo, centred, with its caption."""
    try:
        with item.photo.image.open("rb") as handle:
            doc.add_picture(io.BytesIO(handle.read()), width=Cm(14))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    except (OSError, ValueError):
        pass  # a missing file must not stop the export; the caption still marks the place
    if item.caption:
        _para(doc, item.caption, size=10, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _dateline(doc, article):
    when = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M:%S") if article.published_at else _("（未发布）")
    _para(doc, f"{when} {_('发布来源')}:{article.source}", size=10, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _editor_note(doc, block):
    note = doc.add_paragraph()
    note.paragraph_format.first_line_indent = Pt(24)
    _font(_run(note, f"{_('编者按')}："), TITLE_FONT, 12, bold=True)
    _font(_run(note, " ".join(block.text.split())), "楷体", 12)


def _titled(doc, block):
    """A section, or the expert's commentary: a red bold heading over its paragraphs (and the expert's name)."""
    _para(doc, block.heading, bold=True, font=TITLE_FONT, color=RED)
    _paragraphs(doc, block.text)
    if block.signature:
        _para(doc, f"——{block.signature}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def _link(doc, block, first):
    if first:
        _para(doc, _("相关链接"), bold=True, indent=False)
    _para(doc, f"{block.text} {block.item.url}", size=10, indent=False)


def _editors(doc, block):
    _para(doc, f"{_('责任编辑')}: {block.text}     {_('签审')}: {block.signature}", size=10.5, indent=False)


# How each kind of block is printed (the kinds left out, the summary and the title's parts, are not).
_PRINT = {
    text.TITLE: lambda doc, b: _para(
        doc, b.text, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, font=TITLE_FONT
    ),
    text.BYLINE: lambda doc, b: _para(doc, b.text, size=11, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False),
    text.EDITOR_NOTE: _editor_note,
    text.LEAD: lambda doc, b: _paragraphs(doc, b.text),
    text.SECTION: _titled,
    text.PHOTO: lambda doc, b: _picture(doc, b.item),
    text.EXPERT: _titled,
    text.CLOSING: lambda doc, b: _paragraphs(doc, b.text),
    text.STANDING_CALL: lambda doc, b: _paragraphs(doc, b.text, size=10.5),
    text.CREDITS: lambda doc, b: _para(doc, b.text, size=10.5, indent=False),
    text.EDITORS: _editors,
}
# The head: the time and source line follows these.
_HEAD = {text.TITLE, text.SUMMARY, text.SHORT_NAME, text.BRAND_NAME, text.BYLINE}


def render(article):
    """The .docx bytes of an article (sections, photos and links loaded by the caller or here):
    its blocks in the order submissions.newsroom.text gives them, the order of the page."""
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)
    dated, previous = False, None
    for block in text.blocks(article):
        if not dated and block.kind not in _HEAD:
            _dateline(doc, article)
            dated = True
        if block.kind == text.LINK:
            _link(doc, block, first=previous != text.LINK)
        elif block.kind in _PRINT:
            _PRINT[block.kind](doc, block)
        previous = block.kind
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def disposition(article):
    """Content-Disposition with the article's title as the file name (RFC 5987 for Chinese)."""
    name = f"{article.short_name or article.slug}.docx"
    return f"attachment; filename=\"{article.slug}.docx\"; filename*=UTF-8''{quote(name)}"
