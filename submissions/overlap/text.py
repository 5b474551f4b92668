"""Texts as the overlap check reads them: characters, not words.

Chinese has no spaces between words, so a text is compared as a string of characters: every
letter and digit is kept (lower case), punctuation, symbols and white space are dropped, and the
text is cut into shingles of K characters to align passages. The index holds longer shingles,
INDEX_K characters (they span two or three phrases, so a sequence of common phrases is still rare
while each phrase is not), and only a sample of them: those whose CRC is 0 modulo SAMPLE (the
choice depends on the shingle alone, so two copies of a passage keep the same sample). A passage
of 60 characters keeps about 6 of them.
"""

import hashlib
import re
import string
import zlib

from submissions.newsroom.text import compared_text

K = 8  # characters per aligned shingle: longer than stock phrases such as 三会一课 or 不忘初心牢记使命
INDEX_K = 16  # characters per indexed shingle
SAMPLE = 8  # one indexed shingle in SAMPLE is kept


_DROP = re.compile(r"[\W_]+")  # everything but letters and digits (of any script)
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def normalized(text):
    """The kept characters of `text`: letters and digits, Latin ones in lower case."""
    return _DROP.sub("", text or "").translate(_LOWER)


def normalize(text):
    """(normalized text, offsets): normalized(text), and each kept character's index in `text`."""
    offsets = [m.start() for m in re.finditer(r"[^\W_]", text or "")]
    return normalized(text), offsets


def _hash64(shingle_bytes):
    value = int.from_bytes(hashlib.blake2b(shingle_bytes, digest_size=8).digest(), "big", signed=True)
    return value


def fingerprints(norm):
    """{position: hash} of the sampled INDEX_K shingles of a normalized text (signed 64-bit hashes)."""
    found = {}
    for i in range(len(norm) - INDEX_K + 1):
        data = norm[i : i + INDEX_K].encode()
        if zlib.crc32(data) % SAMPLE == 0:
            found[i] = _hash64(data)
    return found


def shingle_hashes(norm):
    """Every sampled hash of a normalized text, as a set."""
    return set(fingerprints(norm).values())


def kgrams(norm):
    """Every shingle of a normalized text (not sampled), as a set of strings."""
    return {norm[i : i + K] for i in range(len(norm) - K + 1)}


def entry_text(submission, sections):
    """An entry's write-up as one text: the brand's idea, the introduction, every section, the
    results and the model story (no organization or contact data: the text is shown to reviewers)."""
    parts = [submission.brand_idea, submission.introduction]
    for section in sections:
        parts.append(f"{section.heading}\n{section.body}")
    parts += [submission.results, submission.model_story]
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def article_text(showcase, sections):
    """An article's own text: the lead, the sections, the closing and the expert's commentary
    (not the editor's note nor the standing call: they are the campaign's), as the newsroom
    assembles the article (submissions.newsroom.text.COMPARED)."""
    return compared_text(showcase, sections)


def campaign_texts(campaign):
    """The campaign's own texts, which never count as copied: the call, the editor's note
    template (its placeholders cut out) and the standing call."""
    note = re.sub(r"\{[a-z_]+\}", "\n", campaign.editor_note_template or "")
    return [campaign.call_text or "", note, campaign.standing_call or ""]


def fingerprint_of(norm):
    return hashlib.blake2b(norm.encode(), digest_size=20).hexdigest()
