"""A 申报表's label/value tables (anywhere in the document), read through labels.py.

Rows come from reader.py with each cell once (a merged cell is one cell; below a vertical merge,
None). A row is read as pairs: `label | value` (two columns) or `label | value | label | value`
(four); a row of one cell is a label whose answer is the next row's single cell, or a
`label：value` line. A table is a form when at least two of its label places hold known labels,
or one does and every other label place looks like a label; any other table stays text.
"""

import re
from dataclasses import dataclass, field

from submissions.platform.documents import labels
from submissions.platform.documents.headings import clean, split_sections

MAX_LABEL = 12
LABEL_LIKE = re.compile(r"^[\u4e00-\u9fffA-Za-z\-（）()、/]{1,12}$")
LABEL_LINE = re.compile(r"^(?P<label>[^：:\n]{1,12})[：:]\s*(?P<value>.*)$", re.S)
LONG_ANSWER = 100  # an unknown label's answer longer than this (or of several paragraphs) is a section
QUOTES = '“”"「」『』'


@dataclass
class Form:
    """What a form table gave: (field, label, value) in the table's order, and its sections."""

    values: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # "label：value" lines for 概述 (labels not known)
    sections: list = field(default_factory=list)  # [(heading, body)]
    order: list = field(default_factory=list)  # ("value", i) / ("note", i) / ("section", i) as met


def _label_like(text):
    return bool(text) and len(labels.normalize(text)) <= MAX_LABEL and bool(LABEL_LIKE.match(labels.normalize(text)))


def _pairs(rows):
    """(label, value) pairs of the rows, in order; a lone cell as (text, None)."""
    pairs, above = [], []
    for row in rows:
        # below a vertical merge: the merged cell's text (a label merged down labels every row)
        continued = [i for i, cell in enumerate(row) if cell is None and i < len(above) and above[i]]
        row = [cell if cell is not None else (above[i] if i < len(above) else "") for i, cell in enumerate(row)]
        above = row
        if continued and continued[0] % 2 == 0 and len(row) > continued[0] + 1:
            pairs.append((clean(row[continued[0]]), clean(row[continued[0] + 1])))
            continue
        cells = [clean(cell) for cell in row]
        while len(cells) > 1 and not cells[-1] and not cells[-2]:
            cells = cells[:-2]
        if len(cells) == 1:
            pairs.append((cells[0], None))
            continue
        for index in range(0, len(cells) - 1, 2):
            pairs.append((cells[index], cells[index + 1]))
        if len(cells) % 2:
            pairs.append((cells[-1], None))
    return pairs


def read_form(block):
    """The Form in a table block, or None when the table is not a label/value form."""
    pairs = _pairs(block.rows)
    places = [label for label, value in pairs if value is not None]
    known = sum(1 for label in places if labels.field_of(label))
    if known < 2 and not (known == 1 and all(_label_like(label) for label in places)):
        return None
    form, pending = Form(), None
    for label, value in pairs:
        if value is None:
            line = LABEL_LINE.match(label)
            if pending is not None:
                label, value, pending = pending, label, None
            elif labels.field_of(label) and len(labels.normalize(label)) <= MAX_LABEL:
                pending = label
                continue
            elif line and labels.field_of(line.group("label")):
                label, value = line.group("label"), clean(line.group("value"))
            elif _label_like(label):
                continue  # a heading row of the table (基本信息): nothing to keep
            else:
                _note(form, "", label)
                continue
        pending = None
        _answer(form, label, value)
    return form


def _answer(form, label, value):
    name = labels.field_of(label)
    if not value:
        return
    if name is not None and labels.is_short(name):
        value = " ".join(clean(line) for line in value.split("\n") if clean(line))
        if name == "brand_name":
            value = value.strip(QUOTES)
        form.order.append(("value", len(form.values)))
        form.values.append((name, label, value))
    elif name is not None and name != "section":
        form.order.append(("value", len(form.values)))
        form.values.append((name, label, "\n".join(clean(line) for line in value.split("\n") if clean(line))))
    elif name == "section" or "\n" in value or len(value) > LONG_ANSWER:
        for section in split_sections(label, value):
            form.order.append(("section", len(form.sections)))
            form.sections.append(section)
    else:
        _note(form, label, value)


def _note(form, label, value):
    form.order.append(("note", len(form.notes)))
    form.notes.append(f"{labels.tidy(label)}：{value}" if label else value)
