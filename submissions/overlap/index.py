"""The shingle index in the database: (hash, document) rows and each hash's document frequency.

Candidates for a report are the documents sharing rare sampled hashes with it, found by index
look-ups of those hashes alone, so the cost of a report does not grow with the archive: a hash
held by more documents than the cut-off is boilerplate and is not looked up at all (it would
also be the expensive one to look up). Works the same on SQLite and PostgreSQL and keeps no
state in any process (docs/overlap.md says why this and not MinHash + LSH).
"""

import math

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from submissions.models import OverlapDocument, OverlapHash, OverlapShingle
from submissions.overlap.text import fingerprint_of, normalize, shingle_hashes

CHUNK = 500  # parameters per IN (…) list
MIN_DF, MAX_DF, DF_SHARE = 3, 20, 0.05  # the boilerplate cut-off: see cutoff()
MAX_CANDIDATES = 20
MIN_SHARED = 2  # rare sampled hashes a candidate shares at least (a copied passage of 60 characters: about 7)


def cutoff(documents):
    """Most documents a hash may be held by and still count: 5 % of the archive, at least 3 and at
    most 20 (beyond 400 documents a passage held by 21 of them is boilerplate, however large the
    archive: this also bounds the rows a report reads)."""
    return max(MIN_DF, min(MAX_DF, math.ceil(documents * DF_SHARE)))


def chunks(values, size=CHUNK):
    values = sorted(values)  # one order for every writer: row locks are taken without deadlocks
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _bump(hashes, step):
    table = connection.ops.quote_name(OverlapHash._meta.db_table)
    with connection.cursor() as cursor:
        for part in chunks(hashes):
            if step > 0:
                values = ", ".join(["(%s, 1)"] * len(part))
                # The table name is our model's; every value is a parameter.
                upsert = f"INSERT INTO {table} (hash, df) VALUES {values} ON CONFLICT (hash) DO UPDATE SET df = {table}.df + 1"  # noqa: S608
                cursor.execute(upsert, part)
            else:
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(f"UPDATE {table} SET df = df - 1 WHERE hash IN ({marks})", part)  # noqa: S608
                cursor.execute(f"DELETE FROM {table} WHERE df <= 0 AND hash IN ({marks})", part)  # noqa: S608


def index_text(document, text):
    """Index `text` as `document`'s (saved if new); returns whether the indexed text changed."""
    norm, _offsets = normalize(text)
    fingerprint = fingerprint_of(norm)
    if document.pk and document.fingerprint == fingerprint and document.indexed_at:
        return False
    old = set()
    if document.pk:
        old = set(OverlapShingle.objects.filter(document=document).values_list("hash", flat=True))
    document.text, document.fingerprint, document.length = text, fingerprint, len(norm)
    document.indexed_at = timezone.now()
    document.save()
    new = shingle_hashes(norm)
    removed, added = old - new, new - old
    for part in chunks(removed):
        OverlapShingle.objects.filter(document=document, hash__in=part).delete()
    OverlapShingle.objects.bulk_create([OverlapShingle(hash=h, document=document) for h in sorted(added)], batch_size=CHUNK)
    _bump(added, +1)
    _bump(removed, -1)
    return True


def remove(document):
    """Take a document out of the index; returns the ids of the entries' documents that matched it."""
    hashes = set(OverlapShingle.objects.filter(document=document).values_list("hash", flat=True))
    affected = set(document.matched_by.values_list("document_id", flat=True))
    _bump(hashes, -1)
    document.delete()
    return affected


def frequencies(hashes):
    found = {}
    for part in chunks(hashes):
        found.update(OverlapHash.objects.filter(hash__in=part).values_list("hash", "df"))
    return found


def candidates(document, rare_hashes, exclude=()):
    """Ids of the documents sharing the most of `rare_hashes` with `document`, best first."""
    counts = {}
    for part in chunks(rare_hashes):
        rows = (
            OverlapShingle.objects.filter(hash__in=part)
            .exclude(document_id=document.pk)
            .values("document_id")
            .annotate(n=Count("*"))
            .values_list("document_id", "n")
        )
        for doc_id, n in rows:
            counts[doc_id] = counts.get(doc_id, 0) + n
    ranked = sorted((d for d, n in counts.items() if n >= MIN_SHARED and d not in exclude), key=lambda d: (-counts[d], d))
    return ranked[:MAX_CANDIDATES]


def document_count():
    return OverlapDocument.objects.count()
