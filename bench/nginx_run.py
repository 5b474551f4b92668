"""nginx in front (issue 17, items 4-6): deploy/nginx.conf run by Debian's nginx in front of the
production gunicorn, measured side by side in turns:

- an article page through nginx's one-second microcache against the bare Django view
  (/bench/floor, straight to gunicorn): target ≥ 10 ×;
- a published photo through nginx (its rendition on the public path, /pub/, served from disk:
  submissions/platform/public_media.py) against a static file through nginx: target ≥ 0.8 ×; and, for
  comparison, the same photo by its checked media address (Django's access check, then
  X-Accel-Redirect).

`python -m bench.nginx_run [--quick]`.
"""

import json
import re
import tempfile
from pathlib import Path

from bench import pages
from bench.common import ROOT, Target, cli, free_port, manage, median, server, table
from bench.loadgen import load, wrk_path
from bench.nginx import NGINX, Nginx

HEADERS = pages.HEADERS
ARTICLE_TARGET, PHOTO_TARGET = 10, 0.8  # × the bare view; × the same bytes as a static file


def measure(*, quick=False, articles=200):
    if not Path(NGINX).exists():
        return {"skipped": "nginx is not installed"}
    env, data = pages.prepare(articles)
    env = {**env, "MEDIA_ACCEL_REDIRECT": "/_media/", "MEDIA_PUBLIC_ROOT": env["MEDIA_ROOT"] + "-public"}
    manage(env, "public_media")  # the bench's data is written in bulk: link what is published
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
            photo = re.search(r'src="(/pub/[^"]+)"', html).group(1)
            # The same bytes as a static file: the fair comparison (the favicon is a 1 KB SVG).
            same = ROOT / "staticfiles" / "bench-photo.jpg"
            same.write_bytes(proxy.get(photo)[2])
            targets = {
                "floor": running.url + "/bench/floor",
                "article_nginx": proxy.url + article,
                "static_nginx": proxy.url + static,
                "static_photo": proxy.url + "/static/bench-photo.jpg",
                "photo_nginx": proxy.url + photo,
                "photo_checked": proxy.url + photo.replace("/pub/", "/media/", 1),
            }
            samples = {name: [] for name in targets}
            for url in targets.values():
                load(url, seconds=1, connections=connections, headers=HEADERS, wrk=wrk)
            for _round in range(rounds):
                for name, url in targets.items():
                    samples[name].append(load(url, seconds=seconds, connections=connections, headers=HEADERS, wrk=wrk))
        finally:
            proxy.stop()
            (ROOT / "staticfiles" / "bench-photo.jpg").unlink(missing_ok=True)
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
    result["photo_vs_same_static"] = round(rps["photo_nginx"] / rps["static_photo"], 2)
    result["checked_photo_vs_static"] = round(rps["photo_checked"] / rps["static_nginx"], 3)
    return result


def report(result):
    if "skipped" in result:
        return f"nginx: skipped ({result['skipped']})"
    rows = [
        (name, "/" + result[name]["path"], result[name]["rps"], result[name]["p99_ms"], result[name]["errors"])
        for name in ("floor", "article_nginx", "static_nginx", "static_photo", "photo_nginx", "photo_checked")
    ]
    return (
        f"nginx in front ({result['connections']} connections, {result['rounds']} rounds × {result['seconds']} s)\n"
        + table(rows, ["target", "path", "req/s", "p99 ms", "errors"])
        + f"\narticle through nginx's microcache: {result['article_vs_floor']} × the bare view (target ≥ 10)"
        + f"\npublished photo through nginx (/pub/): {result['photo_vs_same_static']} × the same bytes as a static file"
        + f" through nginx (target ≥ 0.8); {result['photo_vs_static']} × the favicon (1 KB)"
        + f"\nthe same photo by its checked address (/media/): {result['checked_photo_vs_static']} × a static file"
    )


def targets(result):
    """None when nginx is not installed (the run says it was skipped)."""
    if "skipped" in result:
        return []
    return [
        Target("article through nginx × bare view", result.get("article_vs_floor"), ">=", ARTICLE_TARGET),
        Target("published photo × same static file", result.get("photo_vs_same_static"), ">=", PHOTO_TARGET),
    ]


def main(argv=None):
    return cli("nginx", __doc__, measure, report, argv)


if __name__ == "__main__":
    main()
