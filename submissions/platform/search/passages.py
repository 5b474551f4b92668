"""The passage shown under a result, with the query's words marked: everything else escaped."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

PASSAGE = 90  # characters of a passage
BEFORE = 20  # of which before the first word found
MAX_TRIES = 50  # occurrences tried as a passage's start


def _pattern(found):
    needles = sorted({needle for term in found for needle in term.needles}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE) if needles else None


def highlight(text, found):
    """`text` escaped, the words of `found` (Terms) in <mark>; safe to put in a page."""
    pattern = _pattern(found)
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def passage(text, found, fallback=""):
    """The stretch of `text` (about PASSAGE characters) with the most different query words, marked;
    `fallback` (escaped) if no word occurs literally."""
    text = " ".join((text or "").split())
    pattern = _pattern(found)
    matches = list(pattern.finditer(text))[:MAX_TRIES] if pattern else []
    if not matches:
        return escape(fallback)
    best, best_count = 0, -1
    for match in matches:
        start = max(0, match.start() - BEFORE)
        count = len({m.group().lower() for m in pattern.finditer(text, start, start + PASSAGE)})
        if count > best_count:
            best, best_count = start, count
    piece = text[best : best + PASSAGE]
    marked = highlight(piece, found)
    return mark_safe(("…" if best else "") + marked + ("…" if best + PASSAGE < len(text) else ""))  # noqa: S308
