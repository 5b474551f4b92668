"""The overlap benchmark's work inside Django (DATABASE_URL, migrated): `python -m bench.overlap_run
--entries 10000`. Loads an archive of entries (kept between runs), then submits planted copies and
boilerplate-only entries one by one and reports on each with submissions.overlap.refresh_report,
timed. Prints one line of JSON."""

import argparse
import io
import json
import os
import random
import time
from types import SimpleNamespace

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import overlap_text as gen  # noqa: E402
from bench.data import campaign as bench_campaign  # noqa: E402
from bench.overlap_text import archive_parts, planted  # noqa: E402
from submissions import overlap, workflow  # noqa: E402
from submissions.models import OverlapDocument, OverlapHash, OverlapShingle, Region, Section, Submission  # noqa: E402
from submissions.models import Status as S  # noqa: E402
from submissions.overlap import tasks as overlap_tasks  # noqa: E402
from submissions.overlap.text import entry_text, fingerprint_of, normalized, shingle_hashes  # noqa: E402

KINDS = ("section", "edited", "paragraph")
BATCH = 2000


def _fields(region, campaign, i, parts):
    return dict(
        campaign=campaign,
        region=region,
        org_name=f"基准示范单位第{i}党支部",
        org_type="branch",
        sector="state_enterprise",
        contact_name="联系人",
        contact_phone="13800000000",
        contact_email=f"bench{i}@example.com",
        brand_name=f"品牌{i}",
        brand_idea=parts["brand_idea"],
        introduction=parts["introduction"],
        results=parts["results"],
        consent=True,
    )


def load(entries, campaign, region):
    """The archive: `entries` submitted entries, indexed (bulk: bench data, not the request path)."""
    OverlapDocument.objects.all().delete()
    OverlapHash.objects.all().delete()
    Submission.objects.filter(campaign=campaign).delete()
    template = Submission.objects.create(**_fields(region, campaign, -1, archive_parts(0)))
    workflow.transition(template, S.SUBMITTED, actor=workflow.SUBMITTER, via="bench")
    status, when = template.status, template.submitted_at
    pg = connection.vendor == "postgresql"
    for start in range(0, entries, BATCH):
        numbers = range(start, min(entries, start + BATCH))
        parts = {i: archive_parts(i) for i in numbers}
        rows = []
        for i in numbers:
            row = Submission(**_fields(region, campaign, i, parts[i]), status=status, submitted_at=when)
            row.reference, row.dedupe_key = f"B-{i}", f"bench|{i}"
            rows.append(row)
        made = Submission.objects.bulk_create(rows)
        sections = [
            Section(submission=sub, order=order, heading=heading, body=body)
            for sub, i in zip(made, numbers, strict=True)
            for order, (heading, body) in enumerate(parts[i]["sections"], start=1)
        ]
        Section.objects.bulk_create(sections, batch_size=BATCH)
        docs, hashes, now = [], [], timezone.now()
        for sub, i in zip(made, numbers, strict=True):
            text = entry_text(sub, [SimpleNamespace(heading=h, body=b) for h, b in parts[i]["sections"]])
            norm = normalized(text)
            docs.append(
                OverlapDocument(submission=sub, text=text, fingerprint=fingerprint_of(norm), length=len(norm), indexed_at=now)
            )
            hashes.append(shingle_hashes(norm))
        docs = OverlapDocument.objects.bulk_create(docs)
        if pg:
            buffer = io.StringIO("".join(f"{h}\t{doc.pk}\n" for doc, found in zip(docs, hashes, strict=True) for h in found))
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(f"COPY {OverlapShingle._meta.db_table} (hash, document_id) FROM STDIN", buffer)
        else:
            OverlapShingle.objects.bulk_create(
                [OverlapShingle(hash=h, document=doc) for doc, found in zip(docs, hashes, strict=True) for h in found],
                batch_size=BATCH,
            )
    document_frequencies()


def document_frequencies():
    """The document-frequency table from the shingles, in one statement: at 100,000 entries it
    groups 16 million rows, past the portal's statement timeout (a request's bound, not a bulk
    load's), which is lifted for it."""
    pg = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if pg:
            cursor.execute("SET LOCAL statement_timeout = 0")
        table, shingles = OverlapHash._meta.db_table, OverlapShingle._meta.db_table
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table} (hash, df) SELECT hash, COUNT(*) FROM {shingles} GROUP BY hash")
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def submit(campaign, region, parts, number):
    with transaction.atomic():
        entry = Submission.objects.create(**_fields(region, campaign, number, parts))
        for order, (heading, body) in enumerate(parts["sections"], start=1):
            Section.objects.create(submission=entry, order=order, heading=heading, body=body)
        workflow.transition(entry, S.SUBMITTED, actor=workflow.SUBMITTER, via="bench")
    return entry


def run(entries, per_kind, boilerplate_only, fresh):
    follow_ups = []
    # The reports are run and timed here, not after each commit; the entries a new text affects
    # are reported again as jobs of their own (timed apart: the new entry's report does not wait).
    overlap_tasks.queue = lambda kind, pk: follow_ups.append(pk) if kind == overlap_tasks.REPORT else None
    campaign, region = bench_campaign(), Region.objects.order_by("order").first()
    began = time.monotonic()
    if fresh or OverlapDocument.objects.count() < entries:
        load(entries, campaign, region)
    elif not OverlapHash.objects.exists():  # a load stopped before its last step
        document_frequencies()
    load_seconds = time.monotonic() - began
    threshold = campaign.overlap_threshold / 100
    rng = random.Random(2026)
    times, found, shares, flagged, any_match = [], {k: 0 for k in KINDS}, {k: [] for k in KINDS}, 0, 0
    follow_times, follow_counts = [], []
    number = 10**6 + Submission.objects.count()  # new names on every run (the archive is kept)
    for j in range(per_kind * len(KINDS) + boilerplate_only):
        number += 1
        if j < per_kind * len(KINDS):
            kind, source = KINDS[j % len(KINDS)], rng.randrange(entries)
            parts = planted(kind, rng, source)
        else:
            kind, source = "boilerplate", None
            parts = gen.entry(rng, boilerplate=3, call_text=campaign.call_text.split("\n")[0])
        entry = submit(campaign, region, parts, number)
        start = time.perf_counter()
        document = overlap.refresh_report(entry.pk)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for document_id in follow_ups:
            overlap.refresh_document(document_id)
        follow_times.append(time.perf_counter() - start)
        follow_counts.append(len(follow_ups))
        follow_ups.clear()
        matched = dict(document.matches.values_list("other__submission__org_name", "share"))
        if source is not None:
            name = f"基准示范单位第{source}党支部"
            found[kind] += name in matched
            shares[kind].append(round(matched.get(name, 0), 3))
        else:
            flagged += (document.share or 0) >= threshold
            any_match += bool(matched)
    times.sort()
    follow_times.sort()
    return {
        "entries": entries,
        "documents": OverlapDocument.objects.count(),
        "shingle_rows": OverlapShingle.objects.count(),
        "load_seconds": round(load_seconds, 1),
        "recall": {k: found[k] / per_kind for k in KINDS},
        "recall_all": sum(found.values()) / (per_kind * len(KINDS)),
        "median_share": {k: sorted(v)[len(v) // 2] for k, v in shares.items()},
        "boilerplate_flagged": flagged / boilerplate_only,
        "boilerplate_any_match": any_match / boilerplate_only,
        "threshold": threshold,
        "report_ms_median": round(times[len(times) // 2] * 1000, 1),
        "report_ms_p95": round(times[int(len(times) * 0.95)] * 1000, 1),
        "report_ms_max": round(times[-1] * 1000, 1),
        "reports": len(times),
        "follow_up_reports_mean": round(sum(follow_counts) / len(follow_counts), 2),
        "follow_up_ms_median": round(follow_times[len(follow_times) // 2] * 1000, 1),
        "follow_up_ms_p95": round(follow_times[int(len(follow_times) * 0.95)] * 1000, 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--boilerplate", type=int, default=100)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    print(json.dumps(run(args.entries, args.per_kind, args.boilerplate, args.fresh)))


if __name__ == "__main__":
    main()
