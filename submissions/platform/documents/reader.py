"""A checked Word package (guard.py) opened with python-docx and turned into a flat list of blocks.

Each block is a paragraph (its text, heading level from the style or outline level, bold,
centred, caption style, the pictures it holds) or a table (its rows as text). What the reader
never sees: footnotes and endnotes (python-docx does not read them), comments (they live in
their own part; the comment marks in the text carry no text), deleted revisions, field codes
and the fallback copies of text boxes.
"""

import io
import re
from dataclasses import dataclass, field

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table, _Cell

W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
SKIPPED = {qn("w:del"), qn("w:txbxContent"), MC_FALLBACK, qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:rPr")}
SKIPPED |= {qn("w:pPr"), qn("w:footnoteReference"), qn("w:endnoteReference"), qn("w:commentReference")}
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
TITLE_STYLES = {"title", "标题", "subtitle", "副标题"}
CAPTION_STYLES = {"caption", "题注", "图片说明"}
GUIDANCE_STYLES = {"填写说明"}  # guidance in a generated 申报表: never part of the practice
V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
W_R, W_RPR, W_B, W_VAL, W_PPR = qn("w:r"), qn("w:rPr"), qn("w:b"), qn("w:val"), qn("w:pPr")
W_PSTYLE, W_OUTLINE, W_NO_BREAK_HYPHEN = qn("w:pStyle"), qn("w:outlineLvl"), qn("w:noBreakHyphen")
OFF = ("0", "false", "off")
R_ID = qn("r:id")
R_EMBED = qn("r:embed")
A_BLIP = qn("a:blip")
MAX_CELL_ROWS = 200


@dataclass(frozen=True)
class Unexpanded:
    """A picture whose part the guard left unexpanded (over the photo size limit): in the
    document's order like any picture, left out with its reason."""

    part: str


@dataclass
class Block:
    text: str
    level: int | None = None  # heading level 1..9 from the style or outline level
    style: str = ""
    bold: bool = False
    centred: bool = False
    caption_style: bool = False
    table: bool = False
    pictures: list = field(default_factory=list)  # image bytes (or Unexpanded), in order
    rows: list = field(
        default_factory=list
    )  # a table's rows: [cell text, paragraphs joined by "\n"; None below a vertical merge]


def _text(element):
    out = []

    def walk(node):
        for child in node:
            tag = child.tag
            if tag in SKIPPED:
                continue
            if tag == W_T:
                out.append(child.text or "")
            elif tag == W_TAB:
                out.append("\t")
            elif tag in (W_BR, W_CR):
                out.append("\n")
            else:
                walk(child)

    walk(element)
    return "".join(out)


def _styles_up(style):
    seen = 0
    while style is not None and seen < 10:
        yield style
        style, seen = style.base_style, seen + 1


def _property(element, tag):
    """`./w:pPr/<tag>/@w:val` of a paragraph or style, by lxml's find (an XPath query is compiled
    on every call: it was most of the reading time of a long document)."""
    properties = element.find(W_PPR)
    found = properties.find(tag) if properties is not None else None
    return found.get(W_VAL) if found is not None else None


def _outline(element):
    value = _property(element, W_OUTLINE)
    if value and value.isdigit() and int(value) < 9:
        return int(value) + 1
    return None


@dataclass
class StyleInfo:
    """What a paragraph style says, looked up once per style (python-docx finds styles by a scan)."""

    name: str = ""
    level: int | None = None
    bold: bool = False
    centred: bool = False


def _style_info(style):
    info = StyleInfo(name=((style.name or "").strip() if style is not None else ""))
    for each in _styles_up(style):
        match = HEADING_STYLE.match((each.name or "").strip())
        if match:
            info.level = int(match.group(1))
            break
    if info.level is None:
        info.level = next((lvl for each in _styles_up(style) if (lvl := _outline(each.element))), None)
    info.bold = next((bool(each.font.bold) for each in _styles_up(style) if each.font.bold is not None), False)
    alignment = next(
        (each.paragraph_format.alignment for each in _styles_up(style) if each.paragraph_format.alignment is not None), None
    )
    info.centred = alignment == WD_ALIGN_PARAGRAPH.CENTER
    return info


class Styles:
    def __init__(self, document):
        self.document = document
        self.known = {}

    def of(self, paragraph):
        key = _property(paragraph._p, W_PSTYLE)
        if key not in self.known:
            self.known[key] = _style_info(paragraph.style)
        return self.known[key]


def _bold(paragraph, default):
    """Whether every run that shows text is bold (python-docx's `run.text` and `run.bold` for each
    run, in one pass over the run's children, without their XPath queries)."""
    shown = False
    for run in paragraph._p.iterchildren(W_R):
        visible, bold = False, None
        for child in run:
            tag = child.tag
            if tag == W_T:
                visible = visible or bool((child.text or "").strip())
            elif tag == W_NO_BREAK_HYPHEN:
                visible = True
            elif tag == W_RPR and (found := child.find(W_B)) is not None:
                bold = (found.get(W_VAL) or "true").lower() not in OFF
        if visible:
            if not (bold if bold is not None else default):
                return False
            shown = True
    return shown


def _pictures(paragraph, part, skipped):
    blobs = []
    ids = [blip.get(R_EMBED) for blip in paragraph._p.iter(A_BLIP)]
    ids += [image.get(R_ID) for image in paragraph._p.iter(V_IMAGEDATA)]
    for rel_id in ids:
        rel = part.rels.get(rel_id) if rel_id else None
        if rel is None or rel.is_external:
            continue
        name = str(getattr(rel.target_part, "partname", "")).lstrip("/")
        if name in skipped:
            blobs.append(Unexpanded(name))
            continue
        blob = getattr(rel.target_part, "blob", None)
        if blob:
            blobs.append(blob)
    return blobs


def _paragraph_block(paragraph, part, styles, skipped):
    info = styles.of(paragraph)
    alignment = paragraph.alignment
    return Block(
        text=_text(paragraph._p),
        level=_outline(paragraph._p) or info.level,
        style=info.name.lower(),
        bold=_bold(paragraph, info.bold),
        centred=(alignment == WD_ALIGN_PARAGRAPH.CENTER) if alignment is not None else info.centred,
        caption_style=info.name.lower() in CAPTION_STYLES,
        pictures=_pictures(paragraph, part, skipped),
    )


def _table_block(table, part, styles, skipped):
    """A table: its rows as text (cells joined by " | ") and as cells. Each `w:tc` is read once: a
    cell merged across columns is one cell, and the rows below a vertical merge give None there.
    Paragraphs in a guidance style (填写说明) are left out."""
    rows, lines, pictures = [], [], []
    for tr in table._tbl.tr_lst[:MAX_CELL_ROWS]:
        cells = []
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                cells.append(None)
                continue
            texts = []
            for paragraph in _Cell(tc, table).paragraphs:
                pictures.extend(_pictures(paragraph, part, skipped))
                text = _text(paragraph._p).strip()
                if text and styles.of(paragraph).name.lower() not in GUIDANCE_STYLES:
                    texts.append(text)
            cells.append("\n".join(texts))
        if any(cells):
            rows.append(cells)
            lines.append(" | ".join((cell or "").replace("\n", " ") for cell in cells))
    return Block(text="\n".join(lines), table=True, pictures=pictures, rows=rows)


def read_blocks(data, skipped=()):
    """The blocks of a checked package (bytes), in document order. `skipped`: the part names
    the guard left unexpanded (their pictures come as Unexpanded)."""
    document = docx.Document(io.BytesIO(data))
    part, styles = document.part, Styles(document)
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.append(_table_block(item, part, styles, skipped))
        else:
            blocks.append(_paragraph_block(item, part, styles, skipped))
    return blocks
