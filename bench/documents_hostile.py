"""从 Word 导入 under attack: every hostile document the tests build, and the normal corpus, read
as the form and the mailbox read them (submissions.platform.documents.read_practice: a child process
inside memory, CPU and wall-clock ceilings), each against the targets of issue 23: read or
refused in at most 3 s, at most 256 MB peak resident memory in the reading process.

Per file: the outcome (read, or the refusal's code), the wall time seen by the caller (fork,
read, answer), and the child's peak resident memory (ru_maxrss from wait4; it counts the
pages it shares with the process it was forked from, as far as it touched them). Then the
cost of the process boundary for a normal document: the same read in the calling process and
in the child, in turns, medians; and what a fresh Python process would have cost instead.
`python -m bench.documents_hostile [--quick]`.
"""

import subprocess
import sys
import time

from bench.common import PYTHON, ROOT, Target, base_env, cli, median, table
from bench.photos import setup_django

TARGET_SECONDS = 3.0
TARGET_MB = 256
IMPORTS = "import django; django.setup(); import docx, PIL.Image; from submissions.platform import documents"


def _read(data, name="做法.docx"):
    """One read through the sandbox: (outcome, seconds, peak MB, CPU seconds of the child)."""
    from submissions.platform import documents
    from submissions.platform.documents import sandbox

    outcome = sandbox.run(documents.read_plain, data, name, True)
    if outcome.failure:
        label = {"memory": "too_much_memory", "time": "too_slow", "cpu": "too_slow"}.get(outcome.failure, "crashed")
    elif outcome.value.get("refused"):
        label = outcome.value["refused"]["code"]
    else:
        notices = len(outcome.value["notices"])
        label = f"read ({len(outcome.value['photos'])} photos" + (f", {notices} notices)" if notices else ")")
    return label, outcome.seconds, outcome.peak_kb / 1024, outcome.cpu_seconds


def files():
    """(name, bytes, expected) for the hostile set and the normal corpus."""
    from tests import docx_corpus as corpus
    from tests import hostile_files as hostile

    for name, (make, codes) in hostile.HOSTILE_DOCUMENTS.items():
        yield name, make(), "/".join(codes) or "read"
    for case in corpus.CASES:
        yield f"corpus: {case['name']}", corpus.build(case), "read"


def boundary(rounds):
    """A normal document (the corpus case with 4 photos) read in-process and in the child, in turns."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from submissions.platform import documents
    from tests import docx_corpus as corpus

    data = corpus.build(next(c for c in corpus.CASES if c["name"] == "photos-captions-footnote"))
    inside, child = [], []
    for _round in range(rounds):
        started = time.perf_counter()
        documents.practice_of(*documents.read_plain(data, "做法.docx", True))
        inside.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        documents.read_practice(SimpleUploadedFile("做法.docx", data))
        child.append((time.perf_counter() - started) * 1000)
    fresh = []
    env = base_env("sqlite:///:memory:")
    for _round in range(max(2, rounds // 4)):
        started = time.perf_counter()
        subprocess.run([PYTHON, "-c", IMPORTS], cwd=ROOT, env=env, check=True)
        fresh.append((time.perf_counter() - started) * 1000)
    return {
        "in_process_ms": round(median(inside), 1),
        "child_ms": round(median(child), 1),
        "added_ms": round(median(child) - median(inside), 1),
        "fresh_python_ms": round(median(fresh), 1),
        "rounds": rounds,
    }


def measure(*, quick=False):
    setup_django()
    _read(b"warm up")
    rows = []
    for name, data, expected in files():
        outcome, seconds, peak, cpu = _read(data)
        rows.append(
            {
                "name": name,
                "kb": round(len(data) / 1024),
                "expected": expected,
                "outcome": outcome,
                "seconds": round(seconds, 3),
                "cpu_seconds": round(cpu, 3),
                "peak_mb": round(peak, 1),
                "within": seconds <= TARGET_SECONDS and peak <= TARGET_MB,
            }
        )
    return {
        "files": rows,
        "all_within": all(row["within"] for row in rows),
        "worst_seconds": max(row["seconds"] for row in rows),
        "worst_peak_mb": max(row["peak_mb"] for row in rows),
        "boundary": boundary(6 if quick else 20),
    }


def report(result):
    rows = [
        (
            r["name"],
            r["kb"],
            r["expected"],
            r["outcome"],
            f"{r['seconds']:.2f}",
            f"{r.get('cpu_seconds', 0):.2f}",
            r["peak_mb"],
            "yes" if r["within"] else "NO",
        )
        for r in result["files"]
    ]
    files_table = table(
        rows, ["file", "kB", "expected", "outcome", "s", "CPU s", "peak MB", f"≤{TARGET_SECONDS:g} s, ≤{TARGET_MB} MB"]
    )
    b = result["boundary"]
    boundary_table = table(
        [
            ("in the calling process (no ceilings)", b["in_process_ms"]),
            ("in a forked child (read_practice)", b["child_ms"]),
            ("added by the process boundary", b["added_ms"]),
            ("a fresh Python process's imports alone", b["fresh_python_ms"]),
        ],
        ["a normal document (4 photos), per read", f"ms (median of {b['rounds']})"],
    )
    return (
        f"Hostile Word documents and the normal corpus\n{files_table}\n"
        f"All within the targets: {'yes' if result['all_within'] else 'NO'} "
        f"(worst {result['worst_seconds']:.2f} s, {result['worst_peak_mb']} MB)\n\n{boundary_table}"
    )


def targets(result):
    return [
        Target("slowest file, s", result["worst_seconds"], "<=", TARGET_SECONDS),
        Target("largest peak, MB", result["worst_peak_mb"], "<=", TARGET_MB),
    ]


def main(argv=None):
    return cli("documents_hostile", __doc__, measure, report, argv)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
