"""A showcase article as a Word (.docx) file for the paper edition, in the house layout:
title, byline, time and source, 编者按, lead, sections with bold headings, photos with captions,
专家点评, closing, standing call, 相关链接, credits in brackets, 责任编辑 and 签审."""

import io
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from portal.text import strip_controls
from submissions.column import articles

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


def _paragraphs(doc, text, **kwargs):
    for line in (text or "").splitlines():
        if line.strip():
            _para(doc, line.strip(), **kwargs)


_name = articles.person  # printed as on the public page (the shared read side)


def credits_line(article):
    parts = []
    for label, value in ((_("记者"), article.reporters), (_("实习生"), article.interns), (_("通讯员"), article.correspondents)):
        if value:
            parts.append(f"{label} {value}")
    return f"（{' '.join(parts)}）" if parts else ""


def render(article):
    """The .docx bytes of an article (sections, photos and links loaded by the caller or here)."""
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)
    _para(doc, article.title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, font=TITLE_FONT)
    if article.byline:
        _para(doc, article.byline, size=11, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    when = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M:%S") if article.published_at else _("（未发布）")
    _para(doc, f"{when} {_('发布来源')}:{article.source}", size=10, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if article.editor_note:
        note = doc.add_paragraph()
        note.paragraph_format.first_line_indent = Pt(24)
        _font(_run(note, f"{_('编者按')}："), TITLE_FONT, 12, bold=True)
        _font(_run(note, " ".join(article.editor_note.split())), "楷体", 12)
    _paragraphs(doc, article.lead)
    for part in article.sections.all():
        _para(doc, part.heading, bold=True, font=TITLE_FONT, color=RED)
        _paragraphs(doc, part.body)
    for item in article.photos.all():
        try:
            with item.photo.image.open("rb") as handle:
                doc.add_picture(io.BytesIO(handle.read()), width=Cm(14))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        except (OSError, ValueError):
            continue  # a missing file must not stop the export; the caption still marks the place
        if item.caption:
            _para(doc, item.caption, size=10, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if article.expert_commentary:
        _para(doc, _("专家点评"), bold=True, font=TITLE_FONT, color=RED)
        _paragraphs(doc, article.expert_commentary)
        if article.expert_name:
            _para(doc, f"——{article.expert_name}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraphs(doc, article.closing)
    _paragraphs(doc, article.standing_call, size=10.5)
    links = list(article.links.all())
    if links:
        _para(doc, _("相关链接"), bold=True, indent=False)
        for link in links:
            _para(doc, f"{link.title} {link.url}", size=10, indent=False)
    credits = credits_line(article)
    if credits:
        _para(doc, credits, size=10.5, indent=False)
    signer = _name(article.signed_off_by)
    _para(doc, f"{_('责任编辑')}: {_name(article.responsible_editor)}     {_('签审')}: {signer}", size=10.5, indent=False)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def disposition(article):
    """Content-Disposition with the article's title as the file name (RFC 5987 for Chinese)."""
    name = f"{article.short_name or article.slug}.docx"
    return f"attachment; filename=\"{article.slug}.docx\"; filename*=UTF-8''{quote(name)}"
