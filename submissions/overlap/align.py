"""Exact passages shared by two normalized texts, found only for the candidates of a report.

Greedy string tiling on character shingles: walking the entry's text, each shingle also found in
the other text is extended character by character as far as both texts agree; the longest such
run is one block, and the walk resumes after it. Blocks are then cut where the campaign's own
texts run through them, and kept only if long enough and if at least one of their indexed
shingles is rare (held by few documents): a passage whose every indexed shingle is in many
documents is boilerplate (stock phrases, quoted party documents), not a copy. Blocks that follow
each other closely in both texts (a few characters edited between them) are merged into one
passage for display; the share counts only the characters that agree exactly.

difflib (SequenceMatcher) and rapidfuzz were weighed: both find one alignment in order, so
sentences moved around are lost, and neither knows which passages are boilerplate.
"""

from submissions.overlap.text import K

MIN_BLOCK = 30  # characters: shorter shared runs are stock phrases and sentences, not copied passages
MERGE_GAP = 8  # characters edited between two blocks that still read as one passage
MAX_POSITIONS = 8  # occurrences of one shingle in the other text that are tried


def grams(norm):
    """Every shingle of a normalized text, in order (position i: norm[i:i + K])."""
    return [norm[i : i + K] for i in range(len(norm) - K + 1)]


def positions(norm, wanted):
    """{shingle: [positions in norm]} for the shingles of norm that are in `wanted`."""
    found = {}
    for i, gram in enumerate(grams(norm)):
        if gram in wanted:
            spots = found.setdefault(gram, [])
            if len(spots) < MAX_POSITIONS:
                spots.append(i)
    return found


def masked_chars(norm, kgram_set):
    """Booleans: True for the characters of `norm` inside a shingle of `kgram_set`."""
    mask = [False] * len(norm)
    for i in range(len(norm) - K + 1):
        if norm[i : i + K] in kgram_set:
            for j in range(i, i + K):
                mask[j] = True
    return mask


def _tiles(own, own_grams, other, other_positions, mask):
    n, m, free, blocks = len(own), len(other), 0, []
    # Only the positions whose shingle the other text has are visited.
    for i in [i for i, gram in enumerate(own_grams) if gram in other_positions]:
        if i < free or mask[i]:
            continue
        spots = other_positions[own_grams[i]]
        best, best_at = 0, 0
        for p in spots:
            length = K
            while i + length < n and p + length < m and own[i + length] == other[p + length] and not mask[i + length]:
                length += 1
            if length > best:
                best, best_at = length, p
        blocks.append((i, best_at, best))
        free = i + best
    return blocks


def align(own, other, *, mask, is_rare, own_grams=None, own_set=None):
    """(passages, matched) for `own` against `other` (both normalized).

    own_grams, own_set: grams(own) and its set, when one text is aligned with many; mask: booleans over `own`, True where the campaign's texts are; is_rare(start, end): whether
    own[start:end] holds an indexed shingle held by few documents. passages:
    [[own_start, own_end, other_start, other_end], …] in `own`'s order; matched: the list of
    exactly agreeing (start, end) runs of `own`.
    """
    own_grams = own_grams if own_grams is not None else grams(own)
    other_positions = positions(other, own_set if own_set is not None else set(own_grams))
    runs = [
        (a, p, length)
        for a, p, length in _tiles(own, own_grams, other, other_positions, mask)
        if length >= MIN_BLOCK and is_rare(a, a + length)
    ]
    passages = []
    for a, p, length in sorted(runs):
        if passages:
            last = passages[-1]
            if 0 <= a - last[1] <= MERGE_GAP and 0 <= p - last[3] <= MERGE_GAP:
                last[1], last[3] = a + length, p + length
                continue
        passages.append([a, a + length, p, p + length])
    return passages, [(a, a + length) for a, _p, length in runs]


def covered(runs):
    """Characters covered by a list of (start, end) runs, overlaps counted once."""
    total, reach = 0, -1
    for start, end in sorted(runs):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total
