"""nginx in front (issue 17, items 4-6): deploy/nginx.conf run by Debian's nginx in front of the
production gunicorn, measured side by side in turns:

- an article page through nginx's one-second microcache against the bare Django view
  (/bench/floor, straight to gunicorn): target ≥ 10 ×;
- a published photo through nginx (Django's access check, then X-Accel-Redirect) against a
  static file through nginx: target ≥ 0.8 ×.

`python -m bench.nginx_run [--quick]`.
"""

import argparse
import json
import re
import tempfile
from pathlib import Path

from bench import pages
from bench.common import ROOT, free_port, median, server, table, write_results
from bench.loadgen import load, wrk_path
from bench.nginx import NGINX, Nginx

HEADERS = pages.HEADERS


def measure(*, quick=False, articles=200):
    if not Path(NGINX).exists():
        return {"skipped": "nginx is not installed"}
    env, data = pages.prepare(articles)
    env = {**env, "MEDIA_ACCEL_REDIRECT": "/_media/"}
    rounds, seconds, connections = (2, 2, 8) if quick else (5, 3, 8)
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())["paths"]
    static = "/static/" + manifest["img/favicon.svg"]
    wrk = wrk_path()
    with server(env, log_name="bench-nginx") as running:
        folder = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        proxy = Nginx(folder, nginx_port=free_port(), upstream_port=running.port, media=env["MEDIA_ROOT"])
        try:
            proxy.wait()
            article = f"/showcase/{data['slug']}/"
            html = proxy.get(article)[2].decode()
            photo = re.search(r'src="(/media/[^"]+)"', html).group(1)
            targets = {
                "floor": running.url + "/bench/floor",
                "article_nginx": proxy.url + article,
                "static_nginx": proxy.url + static,
                "photo_nginx": proxy.url + photo,
            }
            samples = {name: [] for name in targets}
            for url in targets.values():
                load(url, seconds=1, connections=connections, headers=HEADERS, wrk=wrk)
            for _round in range(rounds):
                for name, url in targets.items():
                    samples[name].append(load(url, seconds=seconds, connections=connections, headers=HEADERS, wrk=wrk))
        finally:
            proxy.stop()
    rps = {name: median([s["rps"] for s in runs]) for name, runs in samples.items()}
    result = {"articles": data["published"], "rounds": rounds, "seconds": seconds, "connections": connections}
    for name, runs in samples.items():
        result[name] = {
            "path": targets[name].split(":", 2)[2].split("/", 1)[1],
            "rps": round(rps[name], 1),
            "p99_ms": round(median([s["p99"] for s in runs]), 2),
            "errors": sum(s["errors"] for s in runs),
        }
    result["article_vs_floor"] = round(rps["article_nginx"] / rps["floor"], 2)
    result["photo_vs_static"] = round(rps["photo_nginx"] / rps["static_nginx"], 2)
    return result


def report(result):
    if "skipped" in result:
        return f"nginx: skipped ({result['skipped']})"
    rows = [
        (name, "/" + result[name]["path"], result[name]["rps"], result[name]["p99_ms"], result[name]["errors"])
        for name in ("floor", "article_nginx", "static_nginx", "photo_nginx")
    ]
    return (
        f"nginx in front ({result['connections']} connections, {result['rounds']} rounds × {result['seconds']} s)\n"
        + table(rows, ["target", "path", "req/s", "p99 ms", "errors"])
        + f"\narticle through nginx's microcache: {result['article_vs_floor']} × the bare view (target ≥ 10)"
        + f"\npublished photo through nginx: {result['photo_vs_static']} × a static file through nginx (target ≥ 0.8)"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    result = measure(quick=args.quick)
    write_results("nginx", result)
    print(report(result))


if __name__ == "__main__":
    main()
