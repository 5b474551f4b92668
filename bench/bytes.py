"""The bytes a phone downloads for an article page: the HTML, and the CSS and JS it links,
compressed as they are served (static files: the .br or .gz that collectstatic wrote and
WhiteNoise sends; the HTML: gzip, as nginx would). Images are not counted (lazy, sized per
screen). `python -m bench.bytes` (needs `make static`; uses the pages bench database).
"""

import gzip
import re
import urllib.request

from bench.common import ROOT, cli, table
from bench.pages import prepare

STATIC_ROOT = ROOT / "staticfiles"
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def served_size(path):
    """(raw, gzip, brotli or None) bytes of a collected static file."""
    raw = path.stat().st_size
    gz = path.with_name(path.name + ".gz")
    br = path.with_name(path.name + ".br")
    return raw, gz.stat().st_size if gz.exists() else raw, br.stat().st_size if br.exists() else None


def measure(*, quick=False):
    from bench.common import server

    if not (STATIC_ROOT / "staticfiles.json").exists():
        raise SystemExit("Static files are not collected: run `make static` first.")
    env, data = prepare(20 if quick else 200)
    path = f"/showcase/{data['slug']}/"
    with server(env, workers=1, log_name="bench-bytes") as running:
        with urllib.request.urlopen(running.url + path, timeout=30) as response:
            html = response.read()
    files = [("HTML " + path, len(html), len(gzip.compress(html, 6)), None)]
    for url in ASSET.findall(html.decode()):
        local = STATIC_ROOT / url.removeprefix("/static/")
        files.append((url, *served_size(local)))
    total = {
        "raw": sum(f[1] for f in files),
        "served": sum(f[3] if f[3] is not None else f[2] for f in files),
    }
    return {
        "page": path,
        "files": [{"file": f[0], "raw": f[1], "gzip": f[2], "brotli": f[3]} for f in files],
        "total_raw": total["raw"],
        "total_served": total["served"],
        "brotli_available": any(f[3] is not None for f in files),
    }


def report(result):
    rows = [(f["file"], f["raw"], f["gzip"], f["brotli"] if f["brotli"] is not None else "–") for f in result["files"]]
    rows.append(("total (as served)", result["total_raw"], result["total_served"], ""))
    note = "" if result["brotli_available"] else " (no brotli module installed: WhiteNoise serves gzip)"
    return f"Bytes of an article page on a phone{note}\n{table(rows, ['file', 'bytes', 'gzip', 'brotli'])}"


def targets(result):
    """None: the bytes are a figure for the README, not a promise."""
    return []


def main(argv=None):
    return cli("bytes", __doc__, measure, report, argv)


if __name__ == "__main__":
    main()
