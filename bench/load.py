"""Load test: the real server under readers and submitters at once, then an audit of what it kept.

`python -m bench.load [--quick] [--db postgres|sqlite|both]`
- starts gunicorn on loopback against a fresh PostgreSQL database (<prefix>_load) with the shared
  Redis cache, and then against a fresh SQLite file with two worker processes;
- readers load the article and list pages for the whole run; 50 submitters each open the real
  entry form /call/<slug>/submit/, read it (field names, CSRF token, the `started` stamp as
  served, formset management forms, honeypot left empty) with html.parser, and post an entry
  with three photos;
- the server runs with FORM_MIN_SECONDS=0 and the per-IP limits off (SUBMIT_RATE_LIMIT=0,
  SUBMIT_POST_RATE_LIMIT=0): every client comes from 127.0.0.1, and production's five entries
  per address per hour would refuse all but five. Each client still sends its own address
  in X-Forwarded-For, as nginx would (PROXY_COUNT=1);
- reports requests/second, p50/p95/p99 and errors per kind of client;
- then counts rows and files: every accepted entry exactly once with all its photos and
  sections, every photo's three files on disk, no other entry, no staged photo or attachment
  left, no file without a row; on SQLite, no "database is locked".
Bounded: 50 submitters, each request times out after 60 s, the run after 5 minutes.
"""

import argparse
import http.client
import io
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

from PIL import Image

from bench.common import (
    PYTHON,
    ROOT,
    Target,
    base_env,
    db_name,
    django_run,
    ensure_pg_database,
    manage,
    percentile,
    server,
    table,
    write_results,
)
from bench.submitter import PHOTOS_PER_ENTRY, FormReader, fill, multipart

SUBMITTERS = 50
RUN_LIMIT = 300  # seconds: the submitters that have not finished by then count as failed


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies, self.errors, self.statuses = [], 0, {}

    def add(self, ms, status):
        with self.lock:
            self.latencies.append(ms)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 400 or status == 0:
                self.errors += 1

    def summary(self, seconds):
        return {
            "requests": len(self.latencies),
            "rps": round(len(self.latencies) / seconds, 1),
            "p50_ms": round(percentile(self.latencies, 50), 1),
            "p95_ms": round(percentile(self.latencies, 95), 1),
            "p99_ms": round(percentile(self.latencies, 99), 1),
            "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


def request(port, method, path, stats, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        response, data, status = None, b"", 0
    finally:
        conn.close()
    if stats is not None:
        stats.add((time.perf_counter() - start) * 1000, status)
    return status, response, data


def reader(port, paths, stop, stats):
    turn = 0
    while not stop.is_set():
        request(port, "GET", paths[turn % len(paths)], stats)
        turn += 1


def submitter(port, index, slug, marker, photos, stats, outcome, address=None):
    """One person: open the form, fill it, post it with photos; the outcome goes to outcome[index]."""
    address = address or f"10.77.{index // 250}.{index % 250 + 1}"
    form_url = f"/call/{slug}/submit/"
    status, response, page = request(port, "GET", form_url, stats, headers={"X-Forwarded-For": address})
    if status != 200:
        outcome[index] = ("no form", status)
        return
    reader_ = FormReader()
    reader_.feed(page.decode("utf-8", "replace"))
    cookies = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
    values, files = fill(reader_.fields, index, marker, photos)
    body, content_type = multipart(values, files)
    headers = {
        "Content-Type": content_type,
        "Cookie": cookies,
        "X-Forwarded-For": address,
        "Referer": f"http://127.0.0.1:{port}{form_url}",
    }
    status, response, page = request(port, "POST", form_url, stats, headers=headers, body=body)
    location = response.headers.get("Location", "") if response is not None else ""
    accepted = status in (302, 303) and not location.rstrip("/").endswith(form_url.rstrip("/"))
    reason = ""
    if not accepted:
        found = re.search(
            r'class="[^"]*(?:invalid-feedback|errorlist|alert-danger)[^"]*"[^>]*>(.*?)</', page.decode("utf-8", "replace"), re.S
        )
        reason = f"HTTP {status}: " + (re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()[:120] if found else "")
    sections = sum(1 for name, _value in values if re.fullmatch(r"sections-\d+-heading", name))
    outcome[index] = ("accepted" if accepted else "refused", status, len(files), f"{marker}第{index}党支部", reason, sections)


def photo_bytes(count=6, size=(1600, 1200)):
    """Camera-like JPEGs (noise does not compress: about 1 MB each at 1600×1200)."""
    made = []
    for index in range(count):
        image = Image.effect_noise(size, 40 + index).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        made.append(buffer.getvalue())
    return made


AUDIT = """
import json, os, sys
import django
django.setup()
from submissions.models import Attachment, Photo, Submission
marker, media = sys.argv[1], sys.argv[2]
ours = Submission.objects.filter(org_name__startswith=marker)
entries = {s.org_name: [s.photos.count(), s.sections.count(), s.status] for s in ours}
names = list(ours.values_list("org_name", flat=True))
referenced = set()
missing = 0
for photo in Photo.objects.all():
    for field in (photo.image, photo.display, photo.thumbnail):
        referenced.add(field.name)
        missing += not field.storage.exists(field.name)
on_disk = set()
for folder, _dirs, files in os.walk(os.path.join(media, "photos")):
    on_disk |= {os.path.relpath(os.path.join(folder, f), media) for f in files}
print(json.dumps({
    "entries": entries, "duplicates": len(names) - len(set(names)),
    "other_entries": Submission.objects.exclude(org_name__startswith=marker).count(),
    "staged_photos": Photo.objects.filter(submission=None).exclude(caption__startswith="基准图片").count(),
    "attachments": Attachment.objects.count(),
    "missing_files": missing, "orphan_files": len(on_disk - referenced),
}, ensure_ascii=False))
"""


def run_mode(mode, *, quick):
    folder = Path(tempfile.mkdtemp(prefix=f"bench-load-{mode}-"))
    media = folder / "media"
    if mode == "postgres":
        url, workers = ensure_pg_database(db_name("load"), fresh=True), None
    else:
        url, workers = f"sqlite:///{folder / 'load.sqlite3'}", 2
    env = base_env(
        url,
        MEDIA_ROOT=media,
        PROXY_COUNT=1,
        FORM_MIN_SECONDS=0,
        SUBMIT_RATE_LIMIT=0,
        SUBMIT_POST_RATE_LIMIT=0,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    data = django_run(env, "bench.data", "pages", "--articles", "20")
    marker = f"负载{uuid.uuid4().hex[:6]}"
    photos = photo_bytes()
    seconds = 10 if quick else 25
    readers_stats, submit_stats, outcome, stop = Stats(), Stats(), {}, threading.Event()
    with server(env, workers=workers, log_name=f"bench-load-{mode}") as running:
        port = running.port
        paths = [f"/showcase/{data['slug']}/", "/showcase/"]
        readers = [threading.Thread(target=reader, args=(port, paths, stop, readers_stats)) for _ in range(4 if quick else 8)]
        submitters = [
            threading.Thread(target=submitter, args=(port, index, "bench", marker, photos, submit_stats, outcome))
            for index in range(SUBMITTERS)
        ]
        started = time.perf_counter()
        for thread in readers + submitters:
            thread.start()
        for thread in submitters:
            thread.join(timeout=max(1, RUN_LIMIT - (time.perf_counter() - started)))
        time.sleep(max(0, seconds - (time.perf_counter() - started)))
        stop.set()
        for thread in readers:
            thread.join()
        elapsed = time.perf_counter() - started
        log = running.log_text()
    accepted = {o[3]: o[2] for o in outcome.values() if o[0] == "accepted"}
    sections_sent = {o[3]: o[5] for o in outcome.values() if o[0] == "accepted"}
    result = {
        "database": mode,
        "workers": workers or "default",
        "seconds": round(elapsed, 1),
        "readers": readers_stats.summary(elapsed),
        "submitters": submit_stats.summary(elapsed),
        "outcomes": {kind: sum(1 for o in outcome.values() if o[0] == kind) for kind in ("accepted", "refused", "no form")},
        "unfinished": SUBMITTERS - len(outcome),
        "database_locked": log.count("database is locked"),
        "server_tracebacks": log.count("Traceback"),
    }
    result["refusals"] = sorted({o[4] for o in outcome.values() if o[0] == "refused"})[:5]
    audit_env = {**env}
    audit = json.loads(
        subprocess.run(
            [PYTHON, "-c", AUDIT, marker, str(media)], cwd=ROOT, env=audit_env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    result["audit"] = {
        "accepted": len(accepted),
        "stored": len(audit["entries"]),
        "each_once": audit["duplicates"] == 0 and set(audit["entries"]) == set(accepted),
        "all_photos": all(audit["entries"].get(name, [None])[0] == count for name, count in accepted.items()),
        "all_sections": all(audit["entries"].get(name, [0, None])[1] == count for name, count in sections_sent.items()),
        "all_submitted": all(status == "submitted" for _photos, _sections, status in audit["entries"].values()),
        "other_entries": audit["other_entries"],
        "staged_photos_left": audit["staged_photos"],
        "attachments": audit["attachments"],
        "missing_files": audit["missing_files"],
        "orphan_files": audit["orphan_files"],
    }
    a = result["audit"]
    result["ok"] = bool(
        a["each_once"]
        and a["accepted"] == SUBMITTERS
        and a["all_photos"]
        and a["all_sections"]
        and a["all_submitted"]
        and a["staged_photos_left"] == 0
        and a["attachments"] == 0
        and a["other_entries"] == 0
        and a["missing_files"] == 0
        and a["orphan_files"] == 0
        and result["database_locked"] == 0
        and result["readers"]["errors"] == 0
        and result["submitters"]["errors"] == 0
        and result["server_tracebacks"] == 0
    )
    shutil.rmtree(folder, ignore_errors=True)
    return result


def measure(*, quick=False, databases=("postgres", "sqlite")):
    return {mode: run_mode(mode, quick=quick) for mode in databases}


def report(result):
    rows = []
    for mode, r in result.items():
        for kind in ("readers", "submitters"):
            s = r[kind]
            rows.append(
                (
                    f"{mode} ({r['workers']} workers)",
                    kind,
                    s["requests"],
                    s["rps"],
                    s["p50_ms"],
                    s["p95_ms"],
                    s["p99_ms"],
                    s["errors"],
                )
            )
    text = table(rows, ["server", "clients", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"])
    lines = [f"Load test ({SUBMITTERS} submitters with {PHOTOS_PER_ENTRY} photos each, readers on article and list pages)", text]
    for mode, r in result.items():
        a = r["audit"]
        lines.append(
            f"{mode}: {'OK' if r['ok'] else 'FAILED'}: outcomes {r['outcomes']}; stored {a['stored']} of {a['accepted']} accepted, each once: {a['each_once']}, "
            f"all photos: {a['all_photos']}, all sections: {a['all_sections']}, staged left {a['staged_photos_left']}, other entries {a['other_entries']}, missing files {a['missing_files']}, orphan files {a['orphan_files']}, "
            f"'database is locked' {r['database_locked']}, tracebacks {r['server_tracebacks']}"
            + (f"\n  refusals: {r['refusals']}" if r.get("refusals") else "")
        )
    return "\n".join(lines)


def targets(result):
    """Every entry stored once with its photos, no error anywhere (the audit), per database."""
    return [Target(f"{mode}: audit (each entry once, no errors)", r["ok"], "==", True) for mode, r in result.items()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    args = parser.parse_args(argv)
    databases = ("postgres", "sqlite") if args.db == "both" else (args.db,)
    result = measure(quick=args.quick, databases=databases)
    write_results("load", result)
    print(report(result))
    return all(r["ok"] for r in result.values())


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
