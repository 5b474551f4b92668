"""The README's "Benchmarks" figures from bench/results/latest.json: `python -m bench.readme`
rewrites the part between the bench markers of README.md."""

import json
import re

from bench import search
from bench.common import RESULTS, ROOT

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def markdown(data):
    m = data["machine"]
    lines = [
        f"Latest figures: {data['when']} on {m['nproc']} cores ({m['cpu']}), {m['memory']} memory, Python {m['python']}; "
        f"load average {m['load_average']} when the last benchmark ended (ratios are measured side by side, both sides in turns).",
        "",
    ]
    if "pages" in data:
        p = data["pages"]
        lines += [
            f"**Pages** (gunicorn, PostgreSQL, {p['articles']} published articles, {p['connections']} connections, {p['tool']}; target ≥ 0.90 × floor):",
            "",
            "| page | req/s | p50 ms | p95 ms | p99 ms | × floor |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {n} `{p[n]['path']}` | {p[n]['rps']} | {p[n]['p50_ms']} | {p[n]['p95_ms']} | {p[n]['p99_ms']} | {p[n]['vs_floor']:.2f} |"
            for n in ("floor", "article", "article_shared", "list", "home", "call", "not_found", "sitemap", "form")
            if n in p
        ]
        lines.append("")
        if "shipped_vs_bench_config" in p:
            lines += [
                f"The article page on a second server started with the shipped gunicorn configuration (no bench settings): "
                f"**{p['shipped_vs_bench_config']:.2f} ×** the requests/s of the bench's (target ≥ 0.9).",
                "",
            ]
    if "photos" in data:
        f = data["photos"]
        lines += [
            f"**Photos** ({f['megapixels']:.0f} MP JPEGs of {f['upload_mb']} MB, some sideways; target ≤ 1.10 × plain Pillow): ours {f['ours_ms']} ms per photo, "
            f"plain Pillow {f['pillow_ms']} ms: **{f['ratio']:.2f} ×** (before the speed work in `images.py`: 1.73 ×). "
            f"One upload of nine photos peaks at {f['nine_photos_rss_peak_mb']} MB resident ({f['nine_photos_rss_added_mb']} MB above a loaded process).",
            "",
        ]
    if "nginx" in data and "skipped" not in data["nginx"]:
        n = data["nginx"]
        lines += [
            "**nginx in front** (`deploy/nginx.conf`, Debian's nginx; targets: article ≥ 10 × the bare view, photo ≥ 0.8 × a static file):",
            "",
            "| target | req/s | p99 ms |",
            "|---|---|---|",
        ]
        lines += [
            f"| {k} `/{n[k]['path']}` | {n[k]['rps']} | {n[k]['p99_ms']} |"
            for k in ("floor", "article_nginx", "static_nginx", "static_photo", "photo_nginx", "photo_checked")
            if k in n
        ]
        photo = (
            f"published photo on its public path: **{n['photo_vs_same_static']} ×** the same bytes as a static file through nginx "
            f"({n['photo_vs_static']} × the 1 KB favicon; by its checked `/media/` address {n['checked_photo_vs_static']} ×)"
            if "photo_vs_same_static" in n
            else f"published photo through nginx: **{n['photo_vs_static']} ×** a static file through nginx"
        )
        lines += [
            "",
            f"Article through nginx's microcache: **{n['article_vs_floor']} ×** the bare Django view; {photo}.",
            "",
        ]
    for key, database in (("growth", "PostgreSQL"), ("growth_sqlite", "SQLite, the public paths")):
        if key not in data:
            continue
        g = data[key]
        lines += [
            f"**Growth run** (`python -m bench.growth`, {database}; {g['articles'][0]:,} against {g['articles'][1]:,} published articles"
            + (f", {g['entries'][0]:,} against {g['entries'][1]:,} entries" if key == "growth" else "")
            + f"; median of {g['rounds']}×{g['repeat']} requests; target ≤ 1.5 ×):",
            "",
            "| path | small / large | rows shown | ms small | ms large | × |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {name} | {r['small']:,} / {r['large']:,} | {' / '.join(str(n) for n in r.get('rows') or [])} | {r['ms_small']} | {r['ms_large']} | {r['ratio']:.2f} |"
            for name, r in g["paths"].items()
        ]
        lines.append("")
    if "search" in data:
        sizes, found = search.figures(data["search"])
        small, large = (int(size) for size in sizes)
        lines += [
            f"**Search** (`python -m bench.search`, PostgreSQL; each query as the list runs it, against a query on an indexed column; "
            f"target: a two-character query within 3 × and flat from {small:,} to {large:,} articles):",
            "",
            f"| query | found, {small:,} | × column | found, {large:,} | × column | {large:,} ÷ {small:,} | × column, ÷ |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {name} | {f['small']['found']} | {f['x_small']:.2f} | {f['large']['found']} | {f['x_large']:.2f} | {f['ms']:.2f} | {f['flat']:.2f} |"
            for name, f in found.items()
        ]
        lines.append("")
    if "overlap" in data:
        o = data["overlap"]
        lines += [
            f"**Overlap** (`python -m bench.overlap --large`, {o['db']}; targets: recall ≥ 0.95, boilerplate-only flagged ≤ 0.02, "
            "a report ≤ 500 ms at 10,000 entries and ≤ 2 × that at 100,000):",
            "",
            "| entries | recall (section / edited / paragraph) | boilerplate-only flagged | report ms p50 / p95 | follow-up reports, ms p50 |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {int(n):,} | {r['recall']['section']:.2f} / {r['recall']['edited']:.2f} / {r['recall']['paragraph']:.3f} | "
            f"{r['boilerplate_flagged']:.2f} | {r['report_ms_median']} / {r['report_ms_p95']} | "
            f"{r['follow_up_reports_mean']}, {r['follow_up_ms_median']} |"
            for n, r in o["sizes"].items()
        ]
        sizes = list(o["sizes"].values())
        if len(sizes) == 2:
            ratio = sizes[1]["report_ms_median"] / sizes[0]["report_ms_median"]
            lines += ["", f"A report at 100,000 entries against one at 10,000: **{ratio:.2f} ×**."]
        lines.append("")
    if "documents_hostile" in data:
        d = data["documents_hostile"]
        refused = [r for r in d["files"] if not r["outcome"].startswith("read")]
        b = d["boundary"]
        lines += [
            "**Hostile Word documents** (`python -m bench.documents_hostile`; each read in the child process; targets: "
            "read or refused in ≤ 3 s at ≤ 256 MB peak in that process):",
            "",
            "| files | refused | read | all within | slowest s | largest peak MB | process boundary, ms a read |",
            "|---|---|---|---|---|---|---|",
            f"| {len(d['files'])} | {len(refused)} | {len(d['files']) - len(refused)} | {'yes' if d['all_within'] else 'NO'} | "
            f"{d['worst_seconds']:.2f} | {d['worst_peak_mb']} | +{b['added_ms']} ({b['in_process_ms']} → {b['child_ms']}) |",
            "",
        ]
    if "admin_list" in data:
        a = data["admin_list"]
        small, big = list(a["sizes"])
        lines += [
            f"**Admin entry list** (PostgreSQL, {int(big):,} entries against {small}; target < 1.5 ×):",
            "",
            f"| page | rows shown | ms, {small} | ms, {int(big):,} | ratio |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {name} | {' / '.join(str(n) for n in v.get('rows', []))} | {v[f'ms_{small}']} | {v[f'ms_{big}']} | {v['ratio']:.2f} |"
            for name, v in a["pages"].items()
        ]
        lines.append("")
    if "bytes" in data:
        b = data["bytes"]
        lines += [
            "**Bytes of an article page on a phone** (as served: gzip; images not counted):",
            "",
            "| file | bytes | served |",
            "|---|---|---|",
        ]
        lines += [f"| `{f['file']}` | {f['raw']:,} | {(f['brotli'] or f['gzip']):,} |" for f in b["files"]]
        lines += [f"| **total** | {b['total_raw']:,} | **{b['total_served']:,}** |", ""]
    if "load" in data:
        lines += [
            "**Load test** (`python -m bench.load`: 50 submitters each post the real entry form with three photos, "
            "while readers load the article and list pages; then every row and file is audited):",
            "",
            "| server | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for mode, r in data["load"].items():
            for kind in ("readers", "submitters"):
                c = r[kind]
                lines.append(
                    f"| {mode}, {r['workers']} workers | {kind} | {c['requests']} | {c['rps']} | {c['p50_ms']} | {c['p95_ms']} | {c['p99_ms']} | {c['errors']} |"
                )
        lines.append("")
        for mode, r in data["load"].items():
            a = r["audit"]
            lines.append(
                f"- {mode}: audit **{'OK' if r['ok'] else 'FAILED'}**: {a['stored']} of {a['accepted']} accepted entries stored, each once: {a['each_once']}, "
                f"all photos: {a['all_photos']}, all sections: {a.get('all_sections')}; other entries {a['other_entries']}, "
                f"staged photos left {a['staged_photos_left']}, missing files {a['missing_files']}, orphan files {a['orphan_files']}; "
                f"'database is locked' {r['database_locked']}, server tracebacks {r['server_tracebacks']}."
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main():
    data = json.loads((RESULTS / "latest.json").read_text())
    readme = ROOT / "README.md"
    text = readme.read_text()
    block = f"{START}\n{markdown(data)}{END}"
    text = (
        re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
        if START in text
        else text.rstrip() + "\n\n" + block + "\n"
    )
    readme.write_text(text)
    print(block)


if __name__ == "__main__":
    main()
