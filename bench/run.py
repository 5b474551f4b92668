"""`make bench`: every benchmark in one run, a table of figures and ratios each, and
bench/results/latest.json. `python -m bench.run [--quick] [--only pages,photos,admin,bytes]`.
Ratios are measured side by side (both sides in turns, medians), so they hold on a busy machine.
"""

import argparse
import json
import time

from bench import admin_list, documents_hostile, growth, load, nginx_run, overlap, pages, photos, search
from bench import bytes as page_bytes
from bench.common import RESULTS, machine, write_results

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
}
NAMES = {name: getattr(module, "NAME", name) for name, module in BENCHMARKS.items()}
NAMES.update({"admin": "admin_list", "nginx": "nginx", "search": "search", "growth": "growth", "overlap": "overlap"})
# The load test (`load`), the search benchmark (`search`: 10,000 articles) and the overlap benchmark
# (`overlap`: 10,000 and 100,000 entries) are asked for by name: each takes minutes more.
# The growth run (`growth`) makes 10,000 published articles once (1,000 with --quick) and keeps them.
DEFAULT = "pages,photos,admin,bytes,nginx,growth"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (about 2 minutes)")
    parser.add_argument("--only", default=DEFAULT, help="comma-separated, of: " + ",".join(BENCHMARKS))
    args = parser.parse_args(argv)
    about = machine()
    print(
        f"Machine: {about['nproc']} cores, {about['cpu']}, {about['memory']} memory, Python {about['python']}, load {about['load_average']}"
    )
    started = time.monotonic()
    for name in args.only.split(","):
        module = BENCHMARKS[name.strip()]
        began = time.monotonic()
        extra = {"large": not args.quick} if name.strip() == "overlap" else {}  # 100,000 entries too
        result = module.measure(quick=args.quick, **extra)
        write_results(NAMES[name.strip()], result)
        print()
        print(module.report(result))
        print(f"({round(time.monotonic() - began)} s)")
    summary = json.loads((RESULTS / "latest.json").read_text())
    summary["total_seconds"] = round(time.monotonic() - started, 1)
    write_results("run", {"quick": args.quick, "total_seconds": summary["total_seconds"]})
    print(f"\nAll done in {summary['total_seconds']} s; figures in {RESULTS / 'latest.json'}")


if __name__ == "__main__":
    main()
