"""Text to index tokens, and a reader's query to terms: the one place that knows how Chinese is cut.

Chinese has no spaces between words, and most search words are two characters (党建, 服务).
A text is cut into runs of Han characters and runs of Latin letters and digits; everything
else (punctuation, spaces, quotes) separates runs. A Han run becomes its overlapping bigrams
(党建工作 → 党建 建工 工作) and its last character alone (作), so that every character starts
at least one token; a Latin or digit run becomes one lower-case word. A query word is matched
as all of its bigrams (三个字以上的词: every overlapping pair present), a one-character word as a
prefix of a token. Tokens hold only letters and digits, so they never need quoting in a
tsquery or an FTS5 expression.
"""

import re
import unicodedata

# Han ideographs (basic, extension A, compatibility) and the Latin/digit words.
_RUNS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([0-9a-z]+)")
MAX_WORD = 40  # a Latin or digit run longer than this is cut (a lexeme has a size limit)
MAX_WORDS = 5  # query words kept
MAX_QUERY_TOKENS = 24  # tokens of one query word kept


def normalize(text):
    """Full-width letters and digits to plain ones, lower case (the same for text and query)."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _runs(text):
    for match in _RUNS.finditer(normalize(text)):
        yield match.group(1), match.group(2)


def tokens(text):
    """The index tokens of a text, each once, in the order first met, as one space-separated string."""
    seen = {}
    for han, word in _runs(text):
        if han:
            for i in range(len(han) - 1):
                seen.setdefault(han[i : i + 2], None)
            seen.setdefault(han[-1], None)
        else:
            seen.setdefault(word[:MAX_WORD], None)
    return " ".join(seen)


class Term:
    """One word of a query: `tokens` that must all be present; `prefix` when the word is one
    character or a Latin/digit word (matched as the start of a token: 党 finds 党建, 5g finds 5g)."""

    def __init__(self, needles, parts):
        self.needles = needles  # the word's runs as typed (normalized): what is highlighted
        self.parts = parts  # [(token, prefix)]

    def __repr__(self):
        return f"Term({self.needles!r}, {self.parts!r})"


def terms(query):
    """The query's words as Terms (at most MAX_WORDS, repeated words once); [] if nothing searchable."""
    found, seen = [], set()
    for word in normalize(query).split():
        parts, needles = [], []
        for han, latin in _runs(word):
            needles.append(han or latin)
            if han and len(han) == 1:
                parts.append((han, True))
            elif han:
                parts += [(han[i : i + 2], False) for i in range(len(han) - 1)]
            else:
                parts.append((latin[:MAX_WORD], True))
        parts = list(dict.fromkeys(parts))[:MAX_QUERY_TOKENS]
        key = tuple(parts)
        if parts and key not in seen:
            seen.add(key)
            found.append(Term(needles, parts))
        if len(found) == MAX_WORDS:
            break
    return found
