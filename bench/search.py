"""Search at 1,000 and at 10,000 published articles on PostgreSQL: a two-character query against
a query on an indexed column, each as the list page runs it (the count, then the first ten with
their region), measured in turns in one process and the medians compared.

The column query is `slug = …` (a unique index); the searches go through submissions.platform.search,
as the list view calls it. `琥珀` is put into 20 articles at every size (a rare word: what is
found stays the same, so the time should too); `距离` is in one article in 20 (its title) and `党建` in all
(what is found grows with the archive: there the count and the ranking grow with it).
Each size is timed in a process of its own, minutes apart, so the plain `10k÷1k` of the
milliseconds carries the machine's drift (the column query itself has read 0.75× and 1.33×);
`10k÷1k of ÷column` compares each query's ratio to the column query at its own size, which
cancels it: that is the figure for "flat".
`python -m bench.search [--quick] [--sizes 10000,20000]`.
"""

import argparse
import io
import json
import sys
import time

from bench.common import Target, base_env, db_name, django_run, ensure_pg_database, manage, median, table

DATABASE = db_name("articles")  # one database per size (…_1000, …_10000), kept between runs; bench.growth's too
SIZES = (1000, 10000)
RARE = 20  # articles that get the rare word
QUERIES = {"rare two characters 琥珀": "琥珀", "one character 琥": "琥", "two words 琥珀 鲸湾": "琥珀 鲸湾",
           "brand two characters 距离 (1 in 20)": "距离", "common two characters 党建 (all)": "党建"}  # fmt: skip
TARGET = 3.0  # a two-character query against the column query, at each size
# "Flat": where what is found stays the same (the rare word), its ratio to the column query at the
# large size against the small one's, held to the growth run's bound.
FLAT, FLAT_TARGET = "rare two characters 琥珀", 1.5
COLUMN = "indexed column (slug)"  # the query each search is measured against


def grow(articles):
    """Make `articles` published articles (bench.data), index them, put the rare word in RARE."""
    from django.core.management import call_command

    from bench import data
    from submissions.models import SearchDocument, Showcase, ShowcaseSection
    from submissions.newsroom import publishing
    from submissions.platform import search

    made = data.pages(articles)
    if SearchDocument.objects.count() < made["published"]:
        call_command("reindex_search", stdout=io.StringIO())  # bulk-made articles are not indexed
    for section in ShowcaseSection.objects.filter(body__contains="琥珀"):
        ShowcaseSection.objects.filter(pk=section.pk).update(body=section.body.replace("琥珀边的鲸湾", ""))
        search.index_showcase(section.showcase, publishing.search_text(section.showcase))
    step = max(1, articles // RARE)
    for article in Showcase.objects.filter(state="published").order_by("pk")[::step][:RARE]:
        section = article.sections.first()
        ShowcaseSection.objects.filter(pk=section.pk).update(body=section.body + "琥珀边的鲸湾")
        search.index_showcase(article, publishing.search_text(article))
    return made


def timings(rounds):
    """Median milliseconds of each query, the column query and the searches measured in turns."""
    from django.core.paginator import Paginator

    from submissions.column.articles import published_articles
    from submissions.platform import search

    slug = published_articles().order_by("pk").values_list("slug", flat=True)[500]

    def page(queryset):
        got = Paginator(queryset.select_related("submission__region"), 10).get_page(1)
        return got.paginator.count, len(got.object_list)

    def searched(query):  # as the list view does it
        got = search.page(published_articles(), query, 1, 10, lambda q: q.select_related("submission__region"))
        return got.paginator.count, len(got.object_list)

    runs = {COLUMN: lambda: page(published_articles().filter(slug=slug).order_by("-published_at"))}
    for name, query in QUERIES.items():
        runs[name] = lambda query=query: searched(query)
    times = {name: [] for name in runs}
    found = {name: run()[0] for name, run in runs.items()}  # warm up, and what each finds
    for _ in range(rounds):
        for name, run in runs.items():
            began = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - began) * 1000)
    return {name: {"ms": round(median(values), 3), "found": found[name]} for name, values in times.items()}


def measure(*, quick=False, sizes=SIZES):
    result = {}
    for size in sizes:
        url = ensure_pg_database(f"{DATABASE}_{size}")
        env = base_env(url, MEDIA_ROOT=f"/tmp/{db_name()}_media", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")
        django_run(env, "bench.search", "grow", "--articles", str(size))
        manage(env, "dbshell", "--", "-c", "VACUUM ANALYZE")
        result[str(size)] = django_run(env, "bench.search", "time", "--rounds", "15" if quick else "40")
    return result


def figures(result):
    """The two sizes of a measure() result (smallest first, as its keys) and, per query, what
    the report and the README print: its runs at each size (`small`, `large`), its ratio to the
    column query at each size (`x_small`, `x_large`), the plain ratio of its milliseconds
    (`ms`) and `flat`, the ratio of its two ratios (each size runs in a process of its own, so
    only each size's own column query compares)."""
    sizes = sorted(result, key=int)
    small, large = (result[size] for size in sizes)
    base = [result[size][COLUMN]["ms"] for size in sizes]
    out = {}
    for name in large:
        a, b = small[name], large[name]
        x_small, x_large = a["ms"] / base[0], b["ms"] / base[1]
        out[name] = {
            "small": a,
            "large": b,
            "x_small": x_small,
            "x_large": x_large,
            "ms": b["ms"] / a["ms"],
            "flat": x_large / x_small,
        }
    return sizes, out


def report(result):
    sizes, found = figures(result)
    rows = [
        [name, f["small"]["found"], f["small"]["ms"], f"{f['x_small']:.2f}×", f["large"]["found"], f["large"]["ms"],
         f"{f['x_large']:.2f}×", f"{f['ms']:.2f}×", f"{f['flat']:.2f}×"]
        for name, f in found.items()
    ]  # fmt: skip
    a, b = (f"{int(size) // 1000}k" for size in sizes)
    headers = [
        "query (count + first 10)",
        f"found@{a}",
        f"ms@{a}",
        f"÷column@{a}",
        f"found@{b}",
        f"ms@{b}",
        f"÷column@{b}",
        f"{b}÷{a}",
        f"{b}÷{a} of ÷column",
    ]
    return f"Search on PostgreSQL (target: a two-character query within {TARGET:.0f}× the column query, flat {a}→{b})\n" + table(
        rows, headers
    )


def targets(result):
    sizes, found = figures(result)
    a, b = (f"{int(size):,}" for size in sizes)
    checks = []
    for name, f in found.items():
        if "two characters" in name:
            checks += [Target(f"{name} × column, {a}", f["x_small"], "<=", TARGET)]
            checks += [Target(f"{name} × column, {b}", f["x_large"], "<=", TARGET)]
    return [*checks, Target(f"{FLAT}, {b} ÷ {a} of × column", found[FLAT]["flat"], "<=", FLAT_TARGET)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", nargs="?", choices=["grow", "time"])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="two archive sizes, e.g. 10000,20000 (a database each)"
    )
    args = parser.parse_args(argv)
    if args.what is None:
        result = measure(quick=args.quick, sizes=tuple(int(size) for size in args.sizes.split(",")))
        print(report(result))
        return
    import django

    django.setup()
    out = grow(args.articles) if args.what == "grow" else timings(args.rounds)
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
