"""`make bench`: every benchmark in one run, a table of figures and ratios each, then one table of
every target (figure, target, measured, pass or FAIL) and bench/results/latest.json; the exit
status is 1 when a target is missed or a benchmark fails. `python -m bench.run [--quick] [--only
pages,photos,admin,bytes,phones]` (`make bench QUICK=1` for --quick). Ratios are measured side by side
(both sides in turns, medians compared), so they hold on a busy machine.
"""

import argparse
import sys
import time
import traceback

from bench import (
    admin_list,
    capacity,
    common,
    documents_hostile,
    growth,
    load,
    nginx_run,
    overlap,
    pages,
    phones,
    photos,
    search,
    vote,
)
from bench import bytes as page_bytes
from bench import documents as word_documents
from bench.common import machine, table, write_results

BENCHMARKS = {
    "pages": pages,
    "photos": photos,
    "admin": admin_list,
    "bytes": page_bytes,
    "nginx": nginx_run,
    "load": load,
    "search": search,
    "growth": growth,
    "overlap": overlap,
    "documents_hostile": documents_hostile,  # the hostile Word set, by name: about a minute
    "capacity": capacity,  # docs/deploy.md's capacity table: posts per core, connections, queue polls (by name: ~4 min)
    "documents": word_documents,  # Word import: corpus accuracy, time and peak memory per style, a 20-page read (by name: ~2 min)
    "vote": vote,  # the public vote: votes/s against the floor, the page at 10 and 10,000 voters (by name: ~15 s)
    "phones": phones,  # the entry form on a throttled phone, today's and the new (by name: ~2 min quick, ~16 min full)
}
NAMES = {name: getattr(module, "NAME", name) for name, module in BENCHMARKS.items()}
NAMES.update({"admin": "admin_list", "nginx": "nginx", "search": "search", "growth": "growth", "overlap": "overlap"})
# The load test (`load`), the search benchmark (`search`: 10,000 articles) and the overlap benchmark
# (`overlap`: 10,000 and 100,000 entries) are asked for by name: each takes minutes more.
# The growth run (`growth`) makes 10,000 published articles once (1,000 with --quick) and keeps them.
DEFAULT = "pages,photos,admin,bytes,nginx,growth"
QUICK_MINUTES = 4  # what --quick takes once the bench databases exist (2.4-3.4 min measured; the first run makes them)


def verdicts(outcomes):
    """[(benchmark, Target)] of every run: its declared targets; a benchmark that failed to run
    misses a target of its own."""
    rows = []
    for name, (module, result, error) in outcomes.items():
        if error is not None:
            rows.append((name, common.Target(f"ran ({error})", False, "==", True)))
            continue
        found = list(getattr(module, "targets", lambda _result: [])(result))
        rows += [(name, target) for target in found]
        if not found:
            rows.append((name, None))
    return rows


def report(rows):
    """The table of targets and the number missed."""
    lines, missed = [], 0
    for name, target in rows:
        if target is None:
            lines.append((name, "(no target: figures only, or skipped)", "", "", ""))
            continue
        missed += not target.met
        lines.append((name, target.figure, target.wanted(), target.measured, "pass" if target.met else "FAIL"))
    return table(lines, ["benchmark", "figure", "target", "measured", ""]), missed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"fewer rounds and smaller archives (about {QUICK_MINUTES} minutes)")
    parser.add_argument("--only", default=DEFAULT, help="comma-separated, of: " + ",".join(BENCHMARKS))
    args = parser.parse_args(argv)
    about = machine()
    print(
        f"Machine: {about['nproc']} cores, {about['cpu']}, {about['memory']} memory, Python {about['python']}, load {about['load_average']}"
    )
    started = time.monotonic()
    outcomes = {}
    for name in (part.strip() for part in args.only.split(",")):
        module = BENCHMARKS[name]
        began = time.monotonic()
        extra = {"large": not args.quick} if name == "overlap" else {}  # 100,000 entries too
        try:
            result = module.measure(quick=args.quick, **extra)
        except Exception as exc:  # the others still run; the run fails at the end
            traceback.print_exc()
            outcomes[name] = (module, None, type(exc).__name__)
            continue
        outcomes[name] = (module, result, None)
        write_results(NAMES[name], result)
        print()
        print(module.report(result))
        print(f"({round(time.monotonic() - began)} s)")
    text, missed = report(verdicts(outcomes))
    total = round(time.monotonic() - started, 1)
    write_results("run", {"quick": args.quick, "total_seconds": total, "targets_missed": missed})
    print(f"\nTargets\n{text}")
    print(
        f"\nAll done in {total} s; {missed or 'no'} target{'s' * (missed != 1)} missed; figures in {common.RESULTS / 'latest.json'}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
