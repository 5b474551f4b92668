"""From the blocks of a document (reader.py) to the parts of a practice, as people write them.

- The title line: `XX党支部：打造“零距离”党建品牌` gives the organization and the brand (the
  first quoted name); labelled lines (`品牌名称：`, `品牌口号：`, `党组织名称：` …, also as rows of a
  table at the top) fill their field; a line starting with a dash under the title is the slogan.
- Section headings, of one kind per document: Word heading styles (or an outline level, as WPS
  writes them under other style names), or numbering `第一部分` / `一、` / `（一）` / `1.`, or a
  short bold line followed by body text. The first kind met is the document's section kind;
  the other kinds (sub-headings, 一是…二是… points) stay inside their section's body.
- Headings such as 工作成效 / 荣誉, 典型人物, 品牌内涵 and 概述 fill their own field instead of a section.
- A picture's caption is the text in its own paragraph, else the paragraph under it when that
  looks like a caption (caption style, 图… / ▲…, or a short centred line).
- Body paragraphs are joined with a line break; a table is kept as text, one row a line, cells
  separated by " | ".
"""

import re
from dataclasses import dataclass, field

CN = "[一二三四五六七八九十]{1,3}"
NUMBERING = [
    ("part", re.compile(rf"^第{CN}部分[、：:.．\s]*")),
    ("cn", re.compile(rf"^{CN}\s*[、．.]\s*")),
    ("paren", re.compile(rf"^[（(]{CN}[）)]\s*")),
    ("arabic", re.compile(r"^\d{1,2}\s*[.．、](?!\d)\s*")),
]
MAX_HEADING = 40
MAX_BOLD_HEADING = 30
TRIM = " \t\r\n\u3000"
TITLE_STYLES = {"title", "subtitle", "标题", "副标题"}
END_PUNCT = "：:。；;，,"
QUOTED = re.compile(r"[“\"「『]([^”\"」』\n]{1,20})[”\"」』]")
TITLE = re.compile(
    r"^(?P<org>[^“\"「『]*?)\s*[：:—\-－]*\s*(?:打造|创建|建设|擦亮|叫响|创树|培育|铸就|深化|推进)?\s*[“\"「『](?P<brand>[^”\"」』\n]{1,20})[”\"」』]"
)
ORG_HINT = re.compile(r"(党委|党总支|党支部|党组|党工委|总支|支部)$")
LABELS = {
    "org_name": ("党组织全称", "党组织名称", "单位名称", "报送单位", "组织名称", "单位"),
    "brand_name": ("品牌名称", "党建品牌", "品牌"),
    "brand_slogan": ("品牌口号", "口号"),
    "brand_idea": ("品牌内涵", "品牌理念", "品牌释义"),
}
LABEL = re.compile(r"^(?P<label>[\u4e00-\u9fff]{2,6})[：:]\s*(?P<value>.*)$", re.S)
SPECIAL = [
    ("model_story", re.compile(r"典型人物|先锋人物|人物风采|典型事迹|先进典型|先锋故事|榜样风采")),
    ("results", re.compile(r"^[\u4e00-\u9fff、与和及]{0,4}(成效|成果|荣誉)([与和及、][\u4e00-\u9fff]{2,4})?$")),
    ("brand_idea", re.compile(r"^(品牌内涵|品牌理念|品牌释义)$")),
    ("introduction", re.compile(r"^(概述|简介|基本情况|品牌概况|单位概况|总体情况)$")),
]
CAPTION_START = re.compile(r"^(图\s*\d*\s*[：:为．.、]?|▲|△|↑|上图|下图|（图|\(图)")
MAX_CAPTION = 100


@dataclass
class Parsed:
    fields: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)  # [(heading, body)]
    pictures: list = field(default_factory=list)  # [(bytes, caption)]


def clean(text):
    return (text or "").strip(TRIM)


def label_field(label):
    for name, labels in LABELS.items():
        if label in labels:
            return name
    return None


def parse_title(text):
    """(organization, brand) from a title line such as `XX党支部：打造“零距离”党建品牌`."""
    match = TITLE.match(text)
    if not match:
        return "", ""
    org = clean(match.group("org")).rstrip("：:—-－ ")
    return (org if ORG_HINT.search(org) else ""), clean(match.group("brand"))


def heading_kind(block, next_block):
    """(kind, heading text, rest of the paragraph) if the block can be a heading, else None."""
    text = clean(block.text)
    if block.table or not text or "\n" in text:
        return None
    if block.level is not None and len(text) <= MAX_HEADING:
        return (("style", block.level), _strip_numbering(text), "")
    for kind, pattern in NUMBERING:
        match = pattern.match(text)
        if not match:
            continue
        rest = text[match.end() :]
        if len(rest) <= MAX_HEADING and "。" not in rest.rstrip("。"):
            return (kind, rest.rstrip(END_PUNCT), "")
        head, sep, tail = _split_inline(rest)
        if sep:
            return (kind, head, tail)
        return None
    if block.bold and len(text) <= MAX_BOLD_HEADING and next_block is not None and not next_block.bold:
        if clean(next_block.text) and not text.endswith("。"):
            return ("bold", text.rstrip(END_PUNCT), "")
    return None


def _split_inline(text):
    """`强化政治引领。本支部……` -> heading, separator, body: a heading run into its paragraph."""
    for index, char in enumerate(text[: MAX_HEADING + 1]):
        if char in "。：:":
            return text[:index], char, clean(text[index + 1 :])
    return text, "", ""


def _strip_numbering(text):
    for _kind, pattern in NUMBERING:
        match = pattern.match(text)
        if match and text[match.end() :]:
            return clean(text[match.end() :]).rstrip(END_PUNCT)
    return text.rstrip(END_PUNCT)


def _special(heading):
    for name, pattern in SPECIAL:
        if pattern.search(heading):
            return name
    return None


def _is_caption(block):
    text = clean(block.text)
    if not text or block.table or block.pictures or len(text) > MAX_CAPTION:
        return False
    return block.caption_style or bool(CAPTION_START.match(text)) or (block.centred and len(text) <= 60)


def _label(text):
    match = LABEL.match(text)
    if not match:
        return None, ""
    return label_field(match.group("label")), clean(match.group("value"))


def _table_labels(block, fields):
    """A table of `label | value` rows at the top of a document: its fields; True if all rows were labels."""
    rows = [row.split(" | ") for row in block.text.split("\n")]
    found = {}
    for cells in rows:
        name = label_field(clean(cells[0]).rstrip("：:")) if len(cells) >= 2 else None
        if name is None:
            return False
        found[name] = clean(cells[1])
    for name, value in found.items():
        fields.setdefault(name, value.strip('“”"「」') if name == "brand_name" else value)
    return True


def build(blocks):
    """The practice in these blocks: a Parsed with its fields, sections and pictures."""
    blocks = [b for b in blocks if clean(b.text) or b.pictures]
    parsed = Parsed()
    fields = parsed.fields
    consumed = set()
    # The head: the title, labelled lines, a dash slogan, a table of labels.
    for index, block in enumerate(blocks[:8]):  # the head ends at the first block that is none of these
        text = clean(block.text)
        if block.table:
            if not _table_labels(block, fields):
                break
            consumed.add(index)
            continue
        name, value = _label(text)
        if name in ("org_name", "brand_name", "brand_slogan") and value:
            fields.setdefault(name, value.strip('“”"「」') if name == "brand_name" else value)
            consumed.add(index)
            continue
        if "title" not in fields and not block.pictures and QUOTED.search(text) and len(text) <= 80:
            org, brand = parse_title(text)
            if brand and (org or block.bold or block.centred or block.style in TITLE_STYLES or block.level):
                fields["title"] = text
                if org:
                    fields.setdefault("org_name", org)
                fields.setdefault("brand_name", brand)
                consumed.add(index)
                continue
        if "title" in fields and index - 1 in consumed and text.startswith(("——", "—", "－－", "--")):
            fields.setdefault("brand_slogan", clean(text.lstrip("—－-")))
            consumed.add(index)
            continue
        if block.style in TITLE_STYLES and index <= 2:
            consumed.add(index)
            continue
        break
    if "brand_name" not in fields:
        for block in blocks[:12]:
            match = QUOTED.search(block.text)
            if match:
                fields["brand_name"] = clean(match.group(1))
                break
    fields.pop("title", None)
    # Captions belong to their picture.
    captions = {}
    for index, block in enumerate(blocks):
        if not block.pictures:
            continue
        if clean(block.text):
            captions[index] = clean(block.text)
        elif index + 1 < len(blocks) and index + 1 not in consumed and _is_caption(blocks[index + 1]):
            captions[index] = clean(blocks[index + 1].text)
            consumed.add(index + 1)
    flow = [(i, b) for i, b in enumerate(blocks) if i not in consumed]
    kinds, following = {}, None
    for index, block in reversed(flow):  # backwards: `following` is the next block without pictures
        if block.pictures:
            continue
        found = heading_kind(block, following)
        following = block
        if found:
            kinds[index] = found
    chosen = _section_kind(kinds)
    target, body = "introduction", {"introduction": [], "results": [], "model_story": [], "brand_idea": []}
    for index, block in flow:
        if block.pictures:
            for blob in block.pictures:
                parsed.pictures.append((blob, captions.get(index, "")[:MAX_CAPTION]))
            continue
        text = clean(block.text)
        if not parsed.sections and target == "introduction" and not block.table:
            name, value = _label(text)
            if name == "brand_idea" and value:
                body["brand_idea"].append(value)
                continue
        found = kinds.get(index)
        if found and found[0] == chosen:
            _kind, heading, rest = found
            special = _special(heading)
            if special:
                target = special
                if special == "model_story" and heading not in ("典型人物", "先锋人物", "人物风采", "典型事迹", "先进典型"):
                    body[target].append(heading)
            else:
                target = "section"
                parsed.sections.append([heading, []])
            if rest:
                (parsed.sections[-1][1] if target == "section" else body[target]).append(rest)
            continue
        (parsed.sections[-1][1] if target == "section" else body[target]).append(text)
    for name, lines in body.items():
        if lines:
            fields.setdefault(name, "\n".join(lines))
    parsed.sections = [(heading, "\n".join(lines)) for heading, lines in parsed.sections]
    return parsed


def _section_kind(kinds):
    """The document's section kind: the top heading style if it has any, else the first kind met."""
    found = [found[0] for _index, found in sorted(kinds.items())]
    styles = [kind for kind in found if kind[0] == "style"]
    if styles:
        return min(styles, key=lambda kind: kind[1])
    return found[0] if found else None
