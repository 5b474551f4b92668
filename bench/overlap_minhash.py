"""MinHash + LSH (datasketch) on the overlap benchmark's planted copies, beside the shingle index:
`python -m bench.overlap_minhash [--entries 10000] [--quick]`.

Issue 15 names MinHash signatures with locality-sensitive hashing (datasketch) as a way to find
candidate matches; the portal uses a shingle index in the database instead (docs/overlap.md).
This measures datasketch on the same archive and the same planted copies as bench.overlap_run,
in one process, without a database:

- the archive: `--entries` generated entries (`archive_parts(i)`, as bench.overlap_run makes them),
  normalized as the overlap check does (submissions.overlap.text: letters and digits only);
- character shingles of k = 8 (the aligned shingle, text.K) and k = 16 (the indexed one, text.INDEX_K),
  every shingle (not sampled), MinHash with 128 permutations;
- MinHashLSH (Jaccard of the whole texts) at thresholds 0.1, 0.2 and 0.3, and MinHashLSHEnsemble
  (containment of the query in an archive entry) at the same thresholds, queried with the whole new
  entry and, apart, with each of its parts (idea, introduction, each section, results) in turn;
- the shingle index's candidate stage replicated in memory for comparison (sampled 16-character
  hashes, document-frequency cut-off, at least 2 shared rare hashes, top 20): the same rule as
  submissions/overlap/index.py, not its code (that module needs Django and the database).

Queries: `--per-kind` planted copies of each kind (a whole section, a lightly edited section, three
sentences inside a longer section; the same random sequence as bench.overlap_run) and
`--boilerplate` entries that share only quoted party documents and the campaign's call. The planted
copies are queried, not added to the index. "Recall" is the share of copies whose source is among
the candidates (a candidate stage's recall: a report would still align them), "boilerplate" the
share of boilerplate-only entries with any candidate at all. Prints a markdown table.
"""

import argparse
import os

# One process, one core: numpy's elementwise work needs no thread pool (the machine is shared).
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import math  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections import defaultdict  # noqa: E402
from importlib.metadata import version  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from datasketch import MinHash, MinHashLSH, MinHashLSHEnsemble  # noqa: E402

# Neither module imports Django (bench.overlap_run does, at import: its two small functions are copied below).
from bench import overlap_text as gen  # noqa: E402
from bench.overlap_text import archive_parts, planted  # noqa: E402
from submissions.demo import CALL_TEXT, EDITOR_NOTE, STANDING_CALL  # noqa: E402
from submissions.overlap.text import INDEX_K, K, entry_text, normalized, shingle_hashes  # noqa: E402

KINDS = ("section", "edited", "paragraph")
THRESHOLDS = (0.1, 0.2, 0.3)
NUM_PERM = 128
# submissions/overlap/index.py's candidate rule (copied: that module imports Django).
MIN_DF, MAX_DF, DF_SHARE, MIN_SHARED, MAX_CANDIDATES = 3, 20, 0.05, 2, 20


def whole_text(parts):
    """The entry's text as the check reads it (text.entry_text), normalized."""
    submission = SimpleNamespace(
        brand_idea=parts["brand_idea"], introduction=parts["introduction"], results=parts["results"], model_story=""
    )
    sections = [SimpleNamespace(heading=h, body=b) for h, b in parts["sections"]]
    return normalized(entry_text(submission, sections))


def part_texts(parts):
    """The entry's parts, each normalized: idea, introduction, each section (heading and body), results."""
    texts = [parts["brand_idea"], parts["introduction"], *(f"{h}\n{b}" for h, b in parts["sections"]), parts["results"]]
    return [norm for norm in (normalized(t) for t in texts) if norm]


def queries(entries, per_kind, boilerplate):
    """[(kind, source or None, parts)], in bench.overlap_run's random sequence."""
    rng = random.Random(2026)
    call = CALL_TEXT.split("\n")[0]
    found = []
    for j in range(per_kind * len(KINDS) + boilerplate):
        if j < per_kind * len(KINDS):
            kind, source = KINDS[j % len(KINDS)], rng.randrange(entries)
            found.append((kind, source, planted(kind, rng, source)))
        else:
            found.append(("boilerplate", None, gen.entry(rng, boilerplate=3, call_text=call)))
    return found


def shingles(norm, k):
    return {norm[i : i + k].encode() for i in range(len(norm) - k + 1)} or {norm.encode()}


class Signer:
    """MinHash of a shingle set, from one initialized MinHash (what MinHash.bulk does)."""

    def __init__(self):
        self.seed = MinHash(num_perm=NUM_PERM)

    def __call__(self, items):
        minhash = self.seed.copy()
        minhash.update_batch(items)
        return minhash


def measured(build):
    """(result, seconds) of build(), then (tracemalloc peak, retained) bytes of a second build
    (timed apart: tracing slows every allocation down)."""
    start = time.perf_counter()
    result = build()
    seconds = time.perf_counter() - start
    del result
    tracemalloc.start()
    result = build()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak, retained


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))]


def row(name, k, threshold, results, *, sign_seconds, build_seconds, entries, peak, retained):
    """One table row from results [(kind, source, candidates, seconds)]."""
    recall = {}
    for kind in KINDS:
        mine = [(source, found) for kind_, source, found, _s in results if kind_ == kind]
        recall[kind] = sum(source in found for source, found in mine) / len(mine)
    copies = [len(found) for kind, _s, found, _t in results if kind != "boilerplate"]
    boiler = [found for kind, _s, found, _t in results if kind == "boilerplate"]
    times = [seconds * 1000 for *_r, seconds in results]
    return {
        "method": name,
        "k": k,
        "threshold": threshold,
        "recall": recall,
        "candidates_copies": sum(copies) / len(copies),
        "candidates_boilerplate": sum(len(f) for f in boiler) / len(boiler),
        "boilerplate_any": sum(bool(f) for f in boiler) / len(boiler),
        "sign_s_per_1000": sign_seconds / entries * 1000,
        "build_s_per_1000": build_seconds / entries * 1000,
        "peak_mib": peak / 2**20,
        "retained_mib": retained / 2**20,
        "query_ms_p50": percentile(times, 0.5),
        "query_ms_p95": percentile(times, 0.95),
    }


def minhash_rows(k, norms, asked):
    """The datasketch rows for shingles of k characters."""
    sign = Signer()
    start = time.perf_counter()
    signatures, sizes = [], []
    for norm in norms:
        items = shingles(norm, k)
        signatures.append(sign(items))
        sizes.append(len(items))
    sign_seconds = time.perf_counter() - start
    entries = len(norms)

    # Each query's signatures (whole entry, and each part), timed: a report would compute them.
    prepared = []
    for kind, source, parts in asked:
        start = time.perf_counter()
        items = shingles(whole_text(parts), k)
        whole = (sign(items), len(items))
        whole_s = time.perf_counter() - start
        start = time.perf_counter()
        pieces = []
        for norm in part_texts(parts):
            items = shingles(norm, k)
            pieces.append((sign(items), len(items)))
        pieces_s = time.perf_counter() - start
        prepared.append((kind, source, whole, whole_s, pieces, pieces_s))

    rows = []
    for threshold in THRESHOLDS:

        def build_lsh(threshold=threshold):
            lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
            with lsh.insertion_session() as session:
                for key, minhash in enumerate(signatures):
                    session.insert(key, minhash, check_duplication=False)
            return lsh

        lsh, seconds, peak, retained = measured(build_lsh)
        results = []
        for kind, source, (minhash, _size), whole_s, _p, _ps in prepared:
            start = time.perf_counter()
            found = set(lsh.query(minhash))
            results.append((kind, source, found, whole_s + time.perf_counter() - start))
        name = f"MinHashLSH (Jaccard, b={lsh.b} r={lsh.r}), whole entry"
        cost = dict(sign_seconds=sign_seconds, build_seconds=seconds, entries=entries, peak=peak, retained=retained)
        rows.append(row(name, k, threshold, results, **cost))
        del lsh

    for threshold in THRESHOLDS:

        def build_ensemble(threshold=threshold):
            ensemble = MinHashLSHEnsemble(threshold=threshold, num_perm=NUM_PERM)
            ensemble.index([(key, minhash, size) for key, (minhash, size) in enumerate(zip(signatures, sizes, strict=True))])
            return ensemble

        ensemble, seconds, peak, retained = measured(build_ensemble)
        whole_results, part_results = [], []
        for kind, source, (minhash, size), whole_s, pieces, pieces_s in prepared:
            start = time.perf_counter()
            found = set(ensemble.query(minhash, size))
            whole_results.append((kind, source, found, whole_s + time.perf_counter() - start))
            start = time.perf_counter()
            found = set()
            for piece, piece_size in pieces:
                found.update(ensemble.query(piece, piece_size))
            part_results.append((kind, source, found, pieces_s + time.perf_counter() - start))
        cost = dict(sign_seconds=sign_seconds, build_seconds=seconds, entries=entries, peak=peak, retained=retained)
        rows.append(row("MinHashLSHEnsemble (containment), whole entry", k, threshold, whole_results, **cost))
        rows.append(row("MinHashLSHEnsemble (containment), each part", k, threshold, part_results, **cost))
        del ensemble
    return rows


def shingle_index_row(norms, asked):
    """The shingle index's candidate stage, in memory: the portal's rule on the same copies."""
    start = time.perf_counter()
    hashes = [shingle_hashes(norm) for norm in norms]
    sign_seconds = time.perf_counter() - start

    def build():
        postings = defaultdict(list)
        for doc, found in enumerate(hashes):
            for h in found:
                postings[h].append(doc)
        return postings

    postings, seconds, peak, retained = measured(build)
    limit = max(MIN_DF, min(MAX_DF, math.ceil((len(norms) + 1) * DF_SHARE)))  # index.cutoff, the new entry counted
    campaign = set().union(*(shingle_hashes(normalized(t)) for t in (CALL_TEXT, EDITOR_NOTE, STANDING_CALL)))
    results = []
    for kind, source, parts in asked:
        start = time.perf_counter()
        rare = {h for h in shingle_hashes(whole_text(parts)) - campaign if len(postings.get(h, ())) + 1 <= limit}
        counts = defaultdict(int)
        for h in rare:
            for doc in postings.get(h, ()):
                counts[doc] += 1
        ranked = sorted((d for d, n in counts.items() if n >= MIN_SHARED), key=lambda d: (-counts[d], d))
        results.append((kind, source, set(ranked[:MAX_CANDIDATES]), time.perf_counter() - start))
    name = "shingle index, candidate stage (in memory; the portal's rule)"
    cost = dict(sign_seconds=sign_seconds, build_seconds=seconds, entries=len(norms), peak=peak, retained=retained)
    return row(name, INDEX_K, None, results, **cost)


def table(rows):
    head = (
        "| method | k | threshold | recall section / edited / paragraph | candidates per query: copies / boilerplate-only "
        "| boilerplate-only with a candidate | signatures s / 1,000 | index build s / 1,000 | index MiB: peak / kept "
        "| query ms p50 / p95 |"
    )
    lines = [head, "|" + "---|" * 10]
    for r in rows:
        recall = " / ".join(f"{r['recall'][k]:.2f}" for k in KINDS)
        threshold = "—" if r["threshold"] is None else f"{r['threshold']:.1f}"
        lines.append(
            f"| {r['method']} | {r['k']} | {threshold} | {recall} | {r['candidates_copies']:.1f} / {r['candidates_boilerplate']:.1f} "
            f"| {r['boilerplate_any']:.2f} | {r['sign_s_per_1000']:.2f} | {r['build_s_per_1000']:.3f} "
            f"| {r['peak_mib']:.1f} / {r['retained_mib']:.1f} | {r['query_ms_p50']:.1f} / {r['query_ms_p95']:.1f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--quick", action="store_true", help="2,000 archive entries")
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--boilerplate", type=int, default=100)
    args = parser.parse_args()
    entries = 2000 if args.quick else args.entries
    began = time.monotonic()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    norms = [whole_text(archive_parts(i)) for i in range(entries)]
    asked = queries(entries, args.per_kind, args.boilerplate)
    rows = [shingle_index_row(norms, asked)]
    for k in dict.fromkeys((K, INDEX_K)):
        rows += minhash_rows(k, norms, asked)

    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{entries} archive entries (mean {sum(map(len, norms)) / entries:.0f} characters), "
        f"{args.per_kind} copies of each kind, {args.boilerplate} boilerplate-only entries; "
        f"datasketch {version('datasketch')}, numpy {version('numpy')}, scipy {version('scipy')}, "
        f"Python {platform.python_version()}; num_perm {NUM_PERM}; "
        f"{time.monotonic() - began:.0f} s, peak RSS +{(rss_after - rss_before) / 1024:.0f} MiB "
        f"(ru_maxrss {rss_after / 1024:.0f} MiB); load {os.getloadavg()[0]:.1f}\n"
    )
    print(table(rows))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
