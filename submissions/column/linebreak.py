"""Chinese line breaking (禁则) for text drawn on an image (the share poster): a pure function
from a text, a measure and a width to the lines.

- no opening punctuation (“《（【「 …) at a line's end: it goes down with the character it opens;
- no closing punctuation (”》）】」，。、！？：；… …) at a line's start: it stays up with the
  character it closes (the line may then be a little longer than the width: hanging
  punctuation, as printers do, up to `hang` pixels);
- a name in quotes (“幸福家园”, 《……》) kept whole where it fits on one line;
- a run of Latin letters and digits (a year, an address) kept whole where it fits;
- "……" and "——" never split.
"""

import re

OPENING = frozenset("“‘《〈（【「『〔［｛〖〘〚([{")
CLOSING = frozenset("”’》〉）】」』〕］｝〗〙〛)]}，。、！？：；,.!?:;%‰…—～·・")
PAIRS = {"“": "”", "‘": "’", "《": "》", "〈": "〉", "「": "」", "『": "』", "【": "】", "（": "）"}
ELLIPSIS = "…"
_LATIN = re.compile(r"[A-Za-z0-9@._\-/#&+%]+")
_DOUBLED = re.compile(r"……|——")


def _atoms(text, keep_quotes):
    """The text as pieces that are never split: a quoted name (if keep_quotes), a Latin run,
    a doubled …… or ——, or one character."""
    atoms, at = [], 0
    while at < len(text):
        char = text[at]
        closing = PAIRS.get(char)
        if keep_quotes and closing:
            end = text.find(closing, at + 1)
            if end != -1 and end - at <= 20:  # a name, not a quoted paragraph
                atoms.append(text[at : end + 1])
                at = end + 1
                continue
        match = _LATIN.match(text, at) or _DOUBLED.match(text, at)
        if match:
            atoms.append(match.group())
            at = match.end()
            continue
        atoms.append(char)
        at += 1
    return atoms


def units(text, keep_quotes=True):
    """The text as units a line may break between: each atom with the opening punctuation before
    it and the closing punctuation after it."""
    out, pending = [], ""
    for atom in _atoms(text, keep_quotes):
        if atom[-1] in OPENING and atom[0] in OPENING:  # an opening mark alone: joins what follows
            pending += atom
        elif atom[0] in CLOSING and out and not pending:  # a closing mark: stays with what precedes
            out[-1] += atom
        else:
            out.append(pending + atom)
            pending = ""
    if pending:
        if out:
            out[-1] += pending
        else:
            out.append(pending)
    return out


def _fits(measure, text, width, hang):
    if measure(text) <= width:
        return True
    # hanging punctuation: a line ending in closing marks may pass the width by `hang`
    body = text.rstrip("".join(CLOSING))
    return body != text and measure(body) <= width and measure(text) <= width + hang


def break_lines(text, measure, width, most=None, hang=0):
    """`text` (whitespace runs made one space) as lines of at most `width` (measure(line) gives a
    line's width), broken by the rules above; with `most`, at most that many lines, the last
    ending in … when text was left out."""
    text = " ".join(str(text or "").split())
    lines, line = [], ""
    queue = units(text)
    while queue:
        unit = queue.pop(0)
        if _fits(measure, line + unit, width, hang):
            line += unit
            continue
        if not line.strip() or not _fits(measure, unit.lstrip(), width, hang):
            # too long for a line of its own: its characters, still by the rules (a quoted
            # name too long for one line is broken like any text); a single one that is
            # still too long (a very long Latin run) is cut by characters
            smaller = units(unit, keep_quotes=False)
            if len(smaller) == 1:
                smaller = list(unit)
            if len(smaller) > 1:
                queue[:0] = smaller
                continue
        if line.strip():
            lines.append(line.rstrip())
        line = unit.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    if most is not None and len(lines) > most:
        lines = lines[:most]
        lines[-1] = _cut(lines[-1], measure, width)
    return lines


def _cut(line, measure, width):
    """A line ended with … (dropping characters until it fits), never leaving an opening mark
    or a comma before the …."""
    line = line.rstrip(ELLIPSIS)
    while line and (measure(line + ELLIPSIS) > width or line[-1] in OPENING or line[-1] in "，、,：；:;—"):
        line = line[:-1]
    return line + ELLIPSIS


def broken_rules(lines):
    """What breaks the rules in these lines (for tests and checks): a list of (line number, why)."""
    found = []
    for number, line in enumerate(lines):
        if line and line[-1] in OPENING:
            found.append((number, f"ends with {line[-1]}"))
        if number and line and line[0] in CLOSING:
            found.append((number, f"starts with {line[0]}"))
    return found
