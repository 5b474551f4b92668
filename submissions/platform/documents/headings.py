"""Which paragraphs are headings (structure.py decides which of them make the sections).

A heading is judged per paragraph: a Word heading style or outline level, numbering
(`第一部分` / `一、` / `（一）` / `1.`), or a short bold line followed by text. The kind of each
is kept; the document's section kind is the top heading style, else the first kind met among
headings that are not field labels. A heading that names a field (品牌简介, 工作成效, 典型人物…,
labels.py) is a heading whatever its kind, so a bold `品牌简介` and `一、` sections live together.
"""

import re

from submissions.platform.documents import labels

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
END_PUNCT = "：:。；;，,"
SPECIAL = [
    ("model_story", re.compile(r"典型人物|先锋人物|人物风采|典型事迹|先进典型|先锋故事|榜样风采")),
    ("results", re.compile(r"^[\u4e00-\u9fff、与和及]{0,4}(成效|成果|荣誉)([与和及、][\u4e00-\u9fff]{2,4})?(情况)?$")),
    ("brand_idea", re.compile(r"^(品牌内涵|品牌理念|品牌释义)$")),
    ("introduction", re.compile(r"^(概述|简介|品牌简介|基本情况|品牌概况|单位概况|单位简介|总体情况)$")),
]
PLAIN_HEADINGS = ("典型人物", "先锋人物", "人物风采", "典型事迹", "先进典型")  # the story's heading is not part of it


def clean(text):
    return (text or "").strip(TRIM)


def heading_kind(block, next_block):
    """(kind, heading text, rest of the paragraph) if the block can be a heading, else None."""
    text = clean(block.text)
    if block.table or not text or "\n" in text:
        return None
    if block.level is not None and len(text) <= MAX_HEADING:
        return (("style", block.level), strip_numbering(text), "")
    numbered = numbered_heading(text)
    if numbered is not None:
        return numbered or None
    if block.bold and len(text) <= MAX_BOLD_HEADING and next_block is not None and not next_block.bold:
        if clean(next_block.text) and not text.endswith("。"):
            return ("bold", text.rstrip(END_PUNCT), "")
    return None


def numbered_heading(text):
    """(kind, heading, rest) for a numbered heading line; () for a numbered line that is not one
    (a long sentence); None when the line is not numbered."""
    for kind, pattern in NUMBERING:
        match = pattern.match(text)
        if not match:
            continue
        rest = text[match.end() :]
        if len(rest) <= MAX_HEADING and "。" not in rest.rstrip("。"):
            return (kind, rest.rstrip(END_PUNCT), "")
        head, sep, tail = split_inline(rest)
        if sep:
            return (kind, head, tail)
        return ()
    return None


def split_inline(text):
    """`强化政治引领。本支部……` -> heading, separator, body: a heading run into its paragraph."""
    for index, char in enumerate(text[: MAX_HEADING + 1]):
        if char in "。：:":
            return text[:index], char, clean(text[index + 1 :])
    return text, "", ""


def strip_numbering(text):
    for _kind, pattern in NUMBERING:
        match = pattern.match(text)
        if match and text[match.end() :]:
            return clean(text[match.end() :]).rstrip(END_PUNCT)
    return text.rstrip(END_PUNCT)


def special(heading):
    """The field a heading's text fills instead of a section (results, model_story …), or None."""
    name = labels.field_of(heading)
    if name in labels.LONG:
        return name
    for name, pattern in SPECIAL:
        if pattern.search(heading):
            return name
    return None


def is_part_label(heading):
    """A line such as 主要做法 over the sections: a label of the part, not a section of its own
    unless the sections are of its kind."""
    return labels.field_of(heading) == "section"


def section_kind(kinds):
    """The document's section kind: the top heading style if it has any, else the first kind met
    among the headings that do not name a field or the part (品牌简介, 主要做法 …); a lone bold
    line before numbered headings does not make the kind."""
    found = [found[0] for _index, found in sorted(kinds.items()) if not special(found[1]) and not is_part_label(found[1])]
    styles = [kind for kind in found if kind[0] == "style"]
    if styles:
        return min(styles, key=lambda kind: kind[1])
    if found and found[0] == "bold" and found.count("bold") == 1:
        numbered = [kind for kind in found if kind != "bold" and found.count(kind) >= 2]
        if numbered:
            return numbered[0]
    return found[0] if found else None


def split_sections(label, text):
    """A long answer in a form's cell: [(heading, body)], one per numbered heading in it (the
    first numbering kind met), else one section under the label."""
    lines = [clean(line) for line in text.split("\n") if clean(line)]
    chosen, sections, lead = None, [], []
    for line in lines:
        found = numbered_heading(line)
        if found and (chosen is None or found[0] == chosen):
            chosen = found[0]
            sections.append([found[1], [found[2]] if found[2] else []])
        elif sections:
            sections[-1][1].append(line)
        else:
            lead.append(line)
    if not sections:
        return [(labels.tidy(label), "\n".join(lead))]
    if lead:
        sections.insert(0, [labels.tidy(label), lead])
    return [(heading, "\n".join(body)) for heading, body in sections]
