"""Every admin list page and the admin's first page, with 100 000 entries against 100, on PostgreSQL.

The entry list whole, searched, filtered and sorted by score both ways; the first page (the queues'
counts and first items); every other list the editor's first page links to. Each comparison is of
pages showing the same number of rows at both sizes (a target of its own: a 10-row page against a
50-row one would not compare the same work). Two bench databases (<prefix>_admin_100 and <prefix>_admin_100000, prefix BENCH_DB_PREFIX, default portal_bench; kept between runs),
one gunicorn on each, an editor logged in on both; the same pages are requested from the two
in turns, one request at a time, and the median times compared (target: under 1.5×).
`python -m bench.admin_list [--quick] [--fresh]`.
"""

import http.client
import re
import time
import urllib.parse

from bench.common import Server, Target, base_env, cli, db_name, django_run, ensure_pg_database, manage, median, table

SIZES = (100, 100_000)
CHANGELIST = "/admin/submissions/submission/"
# The status the filtered page asks for, and the admin's page size: the 100-entry database holds
# a full page of that status (bench/data.py), so both sizes show the same rows.
FILTERED, PAGE = "first_review", 50
TARGET = 1.5  # the large database's median against the small one's, per page: under this


def prepare(entries, fresh):
    url = ensure_pg_database(db_name(f"admin_{entries}"), fresh=fresh)
    env = base_env(url, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", MEDIA_ROOT=f"/tmp/{db_name()}_media")
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    found = django_run(env, "bench.data", "admin", "--entries", str(entries))
    if entries == SIZES[0]:  # its queues filled as the large database's are (bench/admin_data.py)
        found["entries"] = django_run(env, "bench.admin_data")["entries"]
    return env, found


def timed_get(base, path, cookie):
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return elapsed, body


def score_sort(html):
    """The list's ?o= number of the score column (its position among the columns), from its header."""
    found = re.search(r'column-score_display.*?href="\?o=(\d+)', html, re.S)
    if found is None:
        raise RuntimeError("the entry list has no sortable score column")
    return int(found.group(1))


def other_lists(html):
    """The list pages the first page links to (its model list), the entry list aside."""
    found = dict.fromkeys(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/)"', html))
    return [path for path in found if path != CHANGELIST]


def rows_of(path, body):
    if path == INDEX or path.startswith(INDEX + "queue/"):
        return body.count(b"?queue=")  # the queues' items listed
    return body.count(b'name="_selected_action"') or body.count(b'<tr class="row')


INDEX = "/admin/"


def measure(*, quick=False, fresh=False):
    prepared = {size: prepare(size, fresh) for size in SIZES}
    pages = {
        "first page": INDEX,
        "list": CHANGELIST,
        "score ascending": None,  # the score column's number, found on the list below
        "score descending": None,
        "search common": CHANGELIST + "?q=" + urllib.parse.quote("党支部"),
        "search rare": None,  # a reference number, filled per database below
        "filter status": CHANGELIST + f"?status__exact={FILTERED}",
    }
    rounds, repeat = (3, 3) if quick else (5, 5)
    rows = {}  # entries shown on each page: the same at both sizes, or the comparison is of different pages
    servers = {}
    try:
        for size, (env, _data) in prepared.items():
            servers[size] = Server(env, workers=2, log_name=f"bench-admin-{size}")
        small = servers[SIZES[0]]
        column = score_sort(timed_get(small.url, CHANGELIST, prepared[SIZES[0]][1]["cookie"])[1].decode())
        pages["score ascending"] = CHANGELIST + f"?o={column}"
        pages["score descending"] = CHANGELIST + f"?o=-{column}"
        for path in other_lists(timed_get(small.url, INDEX, prepared[SIZES[0]][1]["cookie"])[1].decode()):
            pages[path.removeprefix("/admin/").rstrip("/")] = path
        samples = {(name, size): [] for name in pages for size in SIZES}
        targets = {
            (name, size): path or CHANGELIST + "?q=" + urllib.parse.quote(prepared[size][1]["rare"])
            for name, path in pages.items()
            for size in SIZES
        }
        for size, running in servers.items():  # warm up, and count the rows each page shows
            for name in pages:
                body = timed_get(running.url, targets[(name, size)], prepared[size][1]["cookie"])[1]
                rows[(name, size)] = rows_of(targets[(name, size)], body)
        for _round in range(rounds):
            for name in pages:
                for size, running in servers.items():
                    for _ in range(repeat):
                        samples[(name, size)].append(
                            timed_get(running.url, targets[(name, size)], prepared[size][1]["cookie"])[0]
                        )
    finally:
        for running in servers.values():
            running.stop()
    small, big = SIZES
    result = {
        "sizes": {str(size): prepared[size][1]["entries"] for size in SIZES},
        "rounds": rounds,
        "repeat": repeat,
        "pages": {},
    }
    for name in pages:
        a, b = median(samples[(name, small)]), median(samples[(name, big)])
        result["pages"][name] = {
            f"ms_{small}": round(a, 1),
            f"ms_{big}": round(b, 1),
            "ratio": round(b / a, 2),
            "rows": [rows[(name, small)], rows[(name, big)]],
        }
    return result


def report(result):
    small, big = SIZES
    rows = [
        (name, "{} / {}".format(*page["rows"]), page[f"ms_{small}"], page[f"ms_{big}"], f"{page['ratio']:.2f}")
        for name, page in result["pages"].items()
    ]
    entries = {size: int(result["sizes"][str(size)]) for size in SIZES}  # the small one topped up: bench/admin_data.py
    text = table(rows, ["admin page", "rows shown", f"ms with {entries[small]:,}", f"ms with {entries[big]:,}", "ratio"])
    return f"Admin list (PostgreSQL, entries: {result['sizes']}, median of {result['rounds']}×{result['repeat']} requests; target < {TARGET}×)\n{text}"


def targets(result):
    small, big = (int(size) for size in result["sizes"])
    found = []
    for name, page in result["pages"].items():
        found.append(Target(f"{name}, {big:,} ÷ {small:,}", page["ratio"], "<", TARGET))
        # the same rows on both sides, or the ratio compares two different pages
        found.append(Target(f"{name}, rows shown at {big:,} (as at {small:,})", page["rows"][1], "==", page["rows"][0]))
    return found


def main(argv=None):
    return cli(
        "admin_list",
        __doc__,
        measure,
        report,
        argv,
        arguments=[(("--fresh",), {"action": "store_true", "help": "drop and remake the two bench databases"})],
    )


if __name__ == "__main__":
    main()
