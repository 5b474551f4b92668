"""From the blocks of a document (reader.py) to the parts of a practice, as people write them.

- The head (head.py): the title (the campaign's own title gives no brand), the organization's
  line under it, labelled lines (labels.py), a dash slogan.
- Label/value tables (forms.py), anywhere: their fields; labels not known go to 概述 as
  `label：value`; long answers become sections.
- Section headings (headings.py), judged per paragraph: the document's section kind (the top
  Word heading style, else the first kind met) makes the sections; a heading naming a field
  (品牌简介, 工作成效, 典型人物 …) fills that field whatever its kind; other kinds (sub-headings,
  一是…二是… points) stay inside their section's body.
- A picture's caption is the text in its own paragraph, else the paragraph under it when that
  looks like a caption; markers (▲, 图1：…) are removed. Each picture carries the number of the
  section it stands in (None before the first section or after the last).
- Paragraphs in the style 填写说明 (a generated form's guidance) are left out.
- Body paragraphs are joined with a line break; a table that is not a form is kept as text, one
  row a line, cells separated by " | ".
"""

from dataclasses import dataclass, field

from submissions.platform.documents import head, headings, labels
from submissions.platform.documents.forms import read_form
from submissions.platform.documents.headings import clean

GUIDANCE_STYLES = {"填写说明"}
LONG = tuple(labels.LONG)


@dataclass
class Parsed:
    fields: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)  # [(heading, body)]
    pictures: list = field(default_factory=list)  # [(bytes, caption, section number or None)]


class _Body:
    """The texts being gathered: the long fields' lines and the sections' [heading, lines]."""

    def __init__(self, parsed):
        self.parsed = parsed
        self.lines = {name: [] for name in LONG}
        self.sections = []
        self.target = "introduction"

    def add(self, text):
        (self.sections[-1][1] if self.target == "section" else self.lines[self.target]).append(text)

    def section(self, heading):
        self.target = "section"
        self.sections.append([heading, []])

    def form(self, form, fields):
        for kind, index in form.order:
            if kind == "section":
                heading, body = form.sections[index]
                self.sections.append([heading, [body] if body else []])
            elif kind == "note":
                self.lines["introduction"].append(form.notes[index])
            else:
                name, label, value = form.values[index]
                if name in self.lines:
                    self.lines[name].append(value)
                elif not fields.get(name):
                    fields[name] = value
                elif fields[name] != value:  # a second answer for the same field: kept, with its label
                    self.lines["introduction"].append(f"{labels.tidy(label)}：{value}")


def build(blocks):
    """The practice in these blocks: a Parsed with its fields, sections and pictures."""
    blocks = [b for b in blocks if (clean(b.text) or b.pictures) and b.style not in GUIDANCE_STYLES]
    parsed, guess = Parsed(), {}
    fields = parsed.fields
    consumed = head.read_head(blocks, fields, guess)
    captions = _captions(blocks, consumed)
    flow = [(i, b) for i, b in enumerate(blocks) if i not in consumed]
    kinds, following = {}, None
    for index, block in reversed(flow):  # backwards: `following` is the next block without pictures
        if block.pictures:
            continue
        found = headings.heading_kind(block, following)
        following = block
        if found:
            kinds[index] = found
    chosen = headings.section_kind(kinds)
    body = _Body(parsed)
    for index, block in flow:
        if block.pictures:
            section = len(body.sections) if body.target == "section" and body.sections else None
            for blob in block.pictures:
                parsed.pictures.append((blob, captions.get(index, ""), section))
            if not block.table:
                continue
        if block.table:
            form = read_form(block)
            if form is not None:
                body.form(form, fields)
            else:
                body.add(clean(block.text))
            continue
        text = clean(block.text)
        if not body.sections and body.target == "introduction":
            name, value = head.label_line(text)
            if name == "brand_idea" and value:
                body.lines["brand_idea"].append(value)
                continue
        found = kinds.get(index)
        special = headings.special(found[1]) if found else None
        if found and found[0] != chosen and not special and headings.is_part_label(found[1]):
            continue  # 主要做法 over sections of another kind: the part's label, not a section
        if found and (found[0] == chosen or special):
            _kind, heading, rest = found
            if special:
                body.target = special
                if special == "model_story" and heading not in headings.PLAIN_HEADINGS and not labels.field_of(heading):
                    body.add(heading)
            else:
                body.section(heading)
            if rest:
                body.add(rest)
            continue
        body.add(text)
    for name, lines in body.lines.items():
        if lines:
            fields.setdefault(name, "\n".join(lines))
    for name, value in guess.items():
        fields.setdefault(name, value)
    if not fields.get("brand_name"):
        fields["brand_name"] = head.fallback_brand(blocks)
    parsed.sections = [(heading, "\n".join(lines)) for heading, lines in body.sections]
    return parsed


def _captions(blocks, consumed):
    """{index of a block with pictures: its caption}; a caption paragraph under it is consumed."""
    captions = {}
    for index, block in enumerate(blocks):
        if not block.pictures or block.table:
            continue
        if clean(block.text):
            captions[index] = head.clean_caption(block.text)
        elif index + 1 < len(blocks) and index + 1 not in consumed and head.is_caption(blocks[index + 1]):
            captions[index] = head.clean_caption(blocks[index + 1].text)
            consumed.add(index + 1)
    return captions
