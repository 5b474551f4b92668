"""The growth run (issue 17, items 1 and 6): every path of the issue's table at a small and a large
size of the archive, side by side, on PostgreSQL; the ratio large / small (target ≤ 1.5×).

- Public paths: <prefix>_articles_10 against <prefix>_articles_10000 published articles (--quick:
  1,000; the databases bench.search uses too). A reader's request (no cookie: the page cache), and the column search *uncached*
  (a session cookie makes the page cache step aside, so the search itself is measured).
- Admin paths: bench.admin_list's databases, 100 against 100,000 entries, an editor logged in.

Both servers are up at once; each path is requested from the two in turns, one request at a
time, and the medians compared. `python -m bench.growth [--quick] [--articles N] [--only
public|admin]`; `--only public --db sqlite`: the public half on SQLite (/tmp/<prefix>_articles_<n>.sqlite3).
"""

import argparse
import re
import urllib.parse

from bench import admin_list
from bench.common import Server, Target, base_env, db_name, django_run, ensure_pg_database, manage, median, table, write_results

SMALL_ARTICLES, LARGE_ARTICLES, QUICK_LARGE_ARTICLES = 10, 10_000, 1_000
SMALL_ENTRIES, LARGE_ENTRIES = admin_list.SIZES
TARGET = 1.5  # large ÷ small, per path
# Not a session: a reader the whole-page cache steps aside for; the list's body still comes from
# the shared cache (pagecache.get_or_render), so this is the page around a search, and the
# search itself is bench.search's (in process, 1,000 against 10,000 articles).
UNCACHED = "sessionid=growth-bench-no-session"
CHANGELIST = admin_list.CHANGELIST
SCORE_COLUMN = 8  # SubmissionAdmin.list_display: score_display is the 8th column


def prepare_pages(articles, db="postgres"):
    name = db_name(f"articles_{articles}")  # shared with bench.search
    url = ensure_pg_database(name) if db == "postgres" else f"sqlite:////tmp/{name}.sqlite3"
    env = base_env(
        url,
        GUNICORN_MAX_REQUESTS=0,
        MEDIA_ROOT=f"/tmp/{db_name()}_media",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    return env, django_run(env, "bench.data", "pages", "--articles", str(articles))


def prepare_admin(entries):
    return admin_list.prepare(entries, False)


def public_paths(running, data):
    article = f"/showcase/{data['slug']}/"
    html = admin_list.timed_get(running.url, article, "")[1].decode()
    photo = re.search(r'src="(/media/[^"]+)"', html).group(1)
    search = "/showcase/?q=" + urllib.parse.quote("零距离")
    return {
        "sitemap index": ("/sitemap.xml", ""),
        "sitemap of articles": ("/sitemap-articles.xml", ""),
        "column search, past the whole-page cache": (search, UNCACHED),
        "article from a WeChat share": (article + "?from=singlemessage&isappinstalled=0", ""),
        "published photo (media view)": (photo, ""),
        "home": ("/", ""),
        "call page": ("/call/bench/", ""),
    }


def admin_paths(running, data, size):
    cookie = data["cookie"]
    html = admin_list.timed_get(running.url, CHANGELIST, cookie)[1].decode()
    thumb = re.search(r'src="(/media/[^"]+)"', html)
    # The same city and kind at both sizes: a full page of rows in each (bench.data.small_region).
    filtered = CHANGELIST + f"?kind__exact={data['kind']}&region__id__exact={data['region']}"
    far = 100 if size > SMALL_ENTRIES else 2  # page 100 at 100,000; the last full page at 100
    paths = {
        "admin list (50 thumbnails)": (CHANGELIST, cookie),
        "admin dashboard": ("/admin/dashboard/", cookie),
        "admin search, two characters, no match": (CHANGELIST + "?q=" + urllib.parse.quote("鲸鲨"), cookie),
        "admin sort by score": (CHANGELIST + f"?o=-{SCORE_COLUMN}", cookie),
        "admin page 100 (2 at 100)": (CHANGELIST + f"?p={far}", cookie),
        "admin city + kind filter": (filtered, cookie),
        "admin status = accepted": (CHANGELIST + "?status__exact=accepted", cookie),
    }
    if thumb:
        paths["admin thumbnail (media view)"] = (thumb.group(1), cookie)
    return paths


def _run(pairs, rounds, repeat):
    """pairs: {name: {size: (base, path, cookie)}} → {name: {size: median ms}}"""
    samples = {name: {size: [] for size in sides} for name, sides in pairs.items()}
    rows = {}  # rows an admin page shows at each size: the same, or the pages are not alike
    for name, sides in pairs.items():  # warm up
        for _size, (base, path, cookie) in sides.items():
            body = admin_list.timed_get(base, path, cookie)[1]
            rows.setdefault(name, []).append(body.count(b'name="_selected_action"'))
    for _round in range(rounds):
        for name, sides in pairs.items():
            for size, (base, path, cookie) in sides.items():
                for _ in range(repeat):
                    samples[name][size].append(admin_list.timed_get(base, path, cookie)[0])
    return {name: {size: median(values) for size, values in sides.items()} for name, sides in samples.items()}, rows


def measure(*, quick=False, articles=None, only=("public", "admin"), db="postgres"):
    large = articles or (QUICK_LARGE_ARTICLES if quick else LARGE_ARTICLES)
    rounds, repeat = (3, 3) if quick else (5, 5)
    result = {
        "articles": [SMALL_ARTICLES, large],
        "entries": [SMALL_ENTRIES, LARGE_ENTRIES],
        "rounds": rounds,
        "repeat": repeat,
        "db": db,
    }
    rows = {}
    for kind, sizes, prepare, paths in (
        (
            "public",
            (SMALL_ARTICLES, large),
            lambda size: prepare_pages(size, db),
            lambda running, data, _size: public_paths(running, data),
        ),
        ("admin", (SMALL_ENTRIES, LARGE_ENTRIES), prepare_admin, admin_paths),
    ):
        if kind not in only:
            continue
        prepared = {size: prepare(size) for size in sizes}
        servers = {}
        try:
            for size, (env, _data) in prepared.items():
                servers[size] = Server(env, workers=2, log_name=f"bench-growth-{kind}-{size}")
            per_size = {size: paths(servers[size], prepared[size][1], size) for size in sizes}
            names = [name for name in per_size[sizes[0]] if all(name in per_size[s] for s in sizes)]
            pairs = {name: {size: (servers[size].url, *per_size[size][name]) for size in sizes} for name in names}
            timings, shown = _run(pairs, rounds, repeat)
        finally:
            for running in servers.values():
                running.stop()
        small, big = sizes
        for name, sides in timings.items():
            rows[name] = {
                "kind": kind,
                "small": small,
                "large": big,
                "ms_small": round(sides[small], 1),
                "ms_large": round(sides[big], 1),
                "ratio": round(sides[big] / sides[small], 2),
                "rows": shown[name] if any(shown[name]) else None,
            }
    result["paths"] = rows
    return result


def report(result):
    rows = [
        (
            name,
            f"{row['small']:,} / {row['large']:,}",
            row["ms_small"],
            row["ms_large"],
            "{} / {}".format(*row["rows"]) if row.get("rows") else "",
            f"{row['ratio']:.2f}",
            "ok" if row["ratio"] <= TARGET else "OVER",
        )
        for name, row in result["paths"].items()
    ]
    return (
        f"Growth run ({'SQLite' if result.get('db') == 'sqlite' else 'PostgreSQL'}; articles {result['articles'][0]:,} / {result['articles'][1]:,}"
        + (
            f", entries {result['entries'][0]:,} / {result['entries'][1]:,}"
            if any(r["kind"] == "admin" for r in result["paths"].values())
            else ""
        )
        + f"; median of {result['rounds']}×{result['repeat']} requests; target ≤ {TARGET}×)\n"
        + table(rows, ["path", "small / large", "ms small", "ms large", "rows shown", "ratio", ""])
    )


def targets(result):
    return [
        Target(f"{name}, {row['large']:,} ÷ {row['small']:,}", row["ratio"], "<=", TARGET)
        for name, row in result["paths"].items()
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--articles", type=int, help="the large archive's published articles")
    parser.add_argument("--only", choices=["public", "admin"], help="one half of the run")
    parser.add_argument(
        "--db", choices=["postgres", "sqlite"], default="postgres", help="the public half on SQLite (with --only public)"
    )
    args = parser.parse_args(argv)
    if args.db == "sqlite" and args.only != "public":
        parser.error("--db sqlite measures the public half: add --only public")
    result = measure(
        quick=args.quick, articles=args.articles, only=(args.only,) if args.only else ("public", "admin"), db=args.db
    )
    write_results("growth_sqlite" if args.db == "sqlite" else "growth", result)
    print(report(result))
    return result


if __name__ == "__main__":
    main()
