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


def _bump(added, removed):
    """One more document for each hash of `added`, one fewer for each of `removed`: one pass over
    both in hash order, one upsert per chunk, so two writers lock the hashes they share in the same
    order and never wait on each other in a circle (a pass per direction did: one job's removed
    hash was another's added)."""
    table = connection.ops.quote_name(OverlapHash._meta.db_table)
    removed = set(removed)
    with connection.cursor() as cursor:
        for part in chunks(set(added) | removed):
            values = ", ".join(["(%s, %s)"] * len(part))
            # A row inserted carries df 1 for an added hash, 0 for a removed one (the column is
            # positive), and an update adds 2 * df - 1: +1 or -1. The table name is our model's;
            # every value is a parameter.
            upsert = f"INSERT INTO {table} (hash, df) VALUES {values} ON CONFLICT (hash) DO UPDATE SET df = {table}.df + 2 * excluded.df - 1"  # noqa: S608
            cursor.execute(upsert, [value for h in part for value in (h, 0 if h in removed else 1)])
            gone = [h for h in part if h in removed]
            if gone:
                marks = ", ".join(["%s"] * len(gone))
                cursor.execute(f"DELETE FROM {table} WHERE df <= 0 AND hash IN ({marks})", gone)  # noqa: S608


def index_text(document, text):
    """Index `text` as `document`'s (saved if new). Returns None when the indexed text did not
    change, else the set of hashes whose document frequency changed (empty when only the text
    between the sampled shingles did)."""
    norm, _offsets = normalize(text)
    fingerprint = fingerprint_of(norm)
    if document.pk and document.fingerprint == fingerprint and document.indexed_at:
        return None
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
    _bump(added, removed)
    return added | removed


def remove(document):
    """Take a document out of the index; returns the ids of the entries' documents whose reports
    this may change (those that matched it, and those sharing its rare hashes)."""
    hashes = set(OverlapShingle.objects.filter(document=document).values_list("hash", flat=True))
    affected = set(document.matched_by.values_list("document_id", flat=True))
    _bump((), hashes)
    document.delete()
    return affected | sharing(hashes)


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


def sharing(hashes, exclude=None):
    """Ids of the entries' documents whose reports a change in the frequency of `hashes` may alter:
    those holding one of them that is rare, or was until this change, or now is again (at most
    cut-off + 1 documents hold it, so at most that many per hash). The report of such an entry
    may gain or lose this document as a candidate, or count a passage as boilerplate or not."""
    limit = cutoff(document_count())
    found = set()
    for part in chunks(hashes):
        near = OverlapHash.objects.filter(hash__in=part, df__lte=limit + 1).values("hash")
        holders = OverlapShingle.objects.filter(hash__in=near, document__submission__isnull=False)
        found.update(holders.values_list("document_id", flat=True).distinct())
    found.discard(exclude)
    return found


def document_count():
    return OverlapDocument.objects.count()
