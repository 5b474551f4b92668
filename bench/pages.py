"""Published pages against the floor: every public page, and a minimal Django view behind the
same middleware (/bench/floor), all served by one gunicorn on PostgreSQL; and the article page
on a second gunicorn started as deploy/ starts it (portal/gunicorn.conf.py's defaults, no bench
settings), against the first (target ≥ 0.9×).

The three are measured in turns, round after round, and the medians compared, so that a
busy neighbour slows all three alike. `python -m bench.pages [--quick]`.
"""

from bench.common import Target, base_env, cli, db_name, django_run, ensure_pg_database, manage, median, server, table
from bench.loadgen import load, wrk_path

DATABASE = db_name()
# What a phone's browser asks for: every page is requested as a reader's browser would.
HEADERS = {"Accept-Encoding": "gzip, deflate, br"}


def prepare(articles):
    url = ensure_pg_database(DATABASE)
    env = base_env(
        url,
        BENCH_FLOOR_VIEW="1",
        # Steady serving: at 3 000-4 000 requests a second, production's recycling of a worker
        # every 2 000 requests restarts all five together every few seconds, a burst that lands
        # in whichever page's turn it falls and swamps the difference being measured.
        GUNICORN_MAX_REQUESTS=0,
        MEDIA_ROOT=f"/tmp/{db_name()}_media",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    data = django_run(env, "bench.data", "pages", "--articles", str(articles))
    return env, data


# Every public page (issue 17, item 3) and its target, as a share of the floor's requests/s.
TARGETS = {
    "article": 0.9,
    "article_shared": 0.9,
    "list": 0.9,
    "home": 0.9,
    "call": 0.9,
    "not_found": 0.9,
    "sitemap": 0.5,
    "form": 0.2,
}


def public_pages(data):
    article = f"/showcase/{data['slug']}/"
    return {
        "article": article,
        "article_shared": article + "?from=singlemessage&isappinstalled=0",  # opened from a WeChat chat
        "list": "/showcase/",
        "home": "/",
        "call": "/call/bench/",
        "not_found": "/no-such-page/",
        "sitemap": "/sitemap-articles.xml",
        "form": "/call/bench/submit/",  # the empty entry form (GET)
    }


SHIPPED = "article, shipped gunicorn config"  # the article page again, on a server as deploy/ starts it
SHIPPED_TARGET = 0.9  # the shipped configuration's requests/s against the bench's


def shipped_env(env):
    """The environment without the bench's own gunicorn settings: portal/gunicorn.conf.py's defaults."""
    return {key: value for key, value in env.items() if not key.startswith("GUNICORN_")}


def measure(*, quick=False, articles=200):
    env, data = prepare(articles)
    rounds, seconds, connections = (2, 2, 8) if quick else (5, 3, 8)
    targets = {"floor": "/bench/floor", **public_pages(data)}
    wrk = wrk_path()
    samples = {name: [] for name in [*targets, SHIPPED]}
    with server(env, log_name="bench-pages") as running, server(shipped_env(env), log_name="bench-shipped") as shipped:
        urls = {name: running.url + path for name, path in targets.items()}
        urls[SHIPPED] = shipped.url + targets["article"]
        for url in urls.values():  # warm up every worker and cache
            load(url, seconds=1, connections=connections, headers=HEADERS, wrk=wrk)
        for _round in range(rounds):
            for name, url in urls.items():
                samples[name].append(load(url, seconds=seconds, connections=connections, headers=HEADERS, wrk=wrk))
        log = running.log_text() + shipped.log_text()
    targets[SHIPPED] = targets["article"]
    result = {
        "articles": data["published"],
        "rounds": rounds,
        "seconds": seconds,
        "connections": connections,
        "tool": samples["floor"][0]["tool"],
    }
    floor_rps = median([s["rps"] for s in samples["floor"]])
    for name, runs in samples.items():
        rps = median([s["rps"] for s in runs])
        result[name] = {
            "path": targets[name],
            "rps": round(rps, 1),
            "p50_ms": round(median([s["p50"] for s in runs]), 2),
            "p95_ms": round(median([s["p95"] for s in runs]), 2),
            "p99_ms": round(median([s["p99"] for s in runs]), 2),
            "errors": sum(s["errors"] for s in runs),
            "vs_floor": round(rps / floor_rps, 3),
        }
    result["server_errors_logged"] = log.count("Traceback")
    result["shipped_vs_bench_config"] = round(result[SHIPPED]["rps"] / result["article"]["rps"], 3)
    return result


def report(result):
    rows = [
        (
            name,
            result[name]["path"],
            result[name]["rps"],
            result[name]["p50_ms"],
            result[name]["p95_ms"],
            result[name]["p99_ms"],
            result[name]["errors"],
            f"{result[name]['vs_floor']:.2f}",
        )
        for name in ("floor", *TARGETS, SHIPPED)
        if name in result
    ]
    rows = [(*row, f"≥ {TARGETS[row[0]]}" if row[0] in TARGETS else "") for row in rows]
    text = table(rows, ["page", "path", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "× floor", "target"])
    shipped = result.get("shipped_vs_bench_config")
    shipped = (
        f"\nshipped gunicorn config against the bench's, article page: {shipped:.2f}× (target ≥ {SHIPPED_TARGET})"
        if shipped
        else ""
    )
    return (
        f"Pages ({result['articles']} published articles, PostgreSQL, gunicorn, {result['connections']} connections, "
        f"{result['rounds']} rounds × {result['seconds']} s, {result['tool']}; targets per page)\n{text}{shipped}"
    )


def targets(result):
    """Each public page's share of the floor's requests/s, and the shipped configuration's."""
    found = [Target(f"{name} × floor", result.get(name, {}).get("vs_floor"), ">=", bound) for name, bound in TARGETS.items()]
    return [*found, Target("article, shipped config × bench's", result.get("shipped_vs_bench_config"), ">=", SHIPPED_TARGET)]


def main(argv=None):
    return cli("pages", __doc__, measure, report, argv, arguments=[(("--articles",), {"type": int, "default": 200})])


if __name__ == "__main__":
    main()
