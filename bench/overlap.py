"""The overlap check at scale: `python -m bench.overlap [--large] [--fresh] [--db postgres|sqlite]`.

On an archive of 10 000 generated entries (and, with --large, 100 000 too), each database
<prefix>_overlap_<entries> (kept between runs; --fresh rebuilds), planted copies are submitted
one by one: a whole section of an archive entry copied, a section lightly edited (sentences
reordered, a few characters changed), a paragraph (three sentences) copied into a longer text; and entries that
share only boilerplate (quoted party documents, the campaign's call) with the archive. Prints
the recall of the planted copies (target ≥ 0.95), the share of boilerplate-only entries flagged
(target ≤ 0.02) and the time of one report (target ≤ 0.5 s at 10 000, ≤ 2 × that at 100 000).
"""

from bench.common import Target, base_env, cli, db_name, django_run, ensure_pg_database, manage, table

RECALL, FLAGGED, REPORT_MS, GROWTH = 0.95, 0.02, 500, 2.0  # the targets above


def measure(*, quick=False, large=False, fresh=False, db="postgres"):
    sizes = [10000, 100000] if large else [10000]
    per_kind, boilerplate = (10, 30) if quick else (40, 100)
    results = {}
    for entries in sizes:
        name = db_name(f"overlap_{entries}")
        if db == "postgres":
            url = ensure_pg_database(name, fresh=fresh)
        else:
            url = f"sqlite:////tmp/{name}.sqlite3"
        env = base_env(url)
        manage(env, "migrate", "--noinput")
        args = ["--entries", str(entries), "--per-kind", str(per_kind), "--boilerplate", str(boilerplate)]
        results[str(entries)] = django_run(env, "bench.overlap_run", *args, *(["--fresh"] if fresh else []))
    return {"db": db, "sizes": results}


def report(result):
    rows = []
    for entries, r in result["sizes"].items():
        rows.append(
            [
                f"{int(entries):,}",
                f"{r['shingle_rows']:,}",
                r["recall"]["section"],
                r["recall"]["edited"],
                r["recall"]["paragraph"],
                r["recall_all"],
                r["boilerplate_flagged"],
                r["boilerplate_any_match"],
                r["report_ms_median"],
                r["report_ms_p95"],
                f"{r['follow_up_reports_mean']} / {r['follow_up_ms_median']}",
            ]
        )
    headers = [
        "entries",
        "index rows",
        "recall section",
        "recall edited",
        "recall paragraph",
        "recall",
        "boilerplate flagged",
        "boilerplate any match",
        "report ms p50",
        "report ms p95",
        "follow-up reports / ms p50",
    ]
    lines = [f"**Overlap** ({result['db']}; targets: recall ≥ 0.95, flagged ≤ 0.02, report ≤ 500 ms):", "", table(rows, headers)]
    sizes = list(result["sizes"].values())
    if len(sizes) == 2:
        lines.append(
            f"\nreport time, 100,000 against 10,000: {sizes[1]['report_ms_median'] / sizes[0]['report_ms_median']:.2f} ×"
        )
    return "\n".join(lines)


def targets(result):
    checks = []
    for entries, r in result["sizes"].items():
        size = f"{int(entries):,}"
        checks += [
            Target(f"recall of the planted copies, {size}", r["recall_all"], ">=", RECALL),
            Target(f"boilerplate-only entries flagged, {size}", r["boilerplate_flagged"], "<=", FLAGGED),
        ]
    sizes = list(result["sizes"].values())
    checks.append(Target("report ms p50, 10,000", sizes[0]["report_ms_median"], "<=", REPORT_MS))
    if len(sizes) == 2:
        growth = round(sizes[1]["report_ms_median"] / sizes[0]["report_ms_median"], 2)
        checks.append(Target("report ms, 100,000 ÷ 10,000", growth, "<=", GROWTH))
    return checks


def main(argv=None):
    return cli(
        "overlap",
        __doc__,
        measure,
        report,
        argv,
        arguments=[
            (("--large",), {"action": "store_true", "help": "also 100 000 entries (about half an hour to load)"}),
            (("--fresh",), {"action": "store_true", "help": "rebuild the archives"}),
            (("--db",), {"choices": ["postgres", "sqlite"], "default": "postgres"}),
        ],
    )


if __name__ == "__main__":
    main()
