"""A phone on a slow network (issue 27 item 4): today's entry form against the new one, side by side.

- In Chromium (Playwright, /usr/bin/chromium) at 375 px with the network throttled through CDP
  (Network.emulateNetworkConditions: 400 kbit/s up, 1.6 Mbit/s down, 400 ms round trip), the
  entry form is filled and sent with nine phone-sized photos (4000×3000, ~4 MB each, made at run
  time as bench/photos.make_photo): today's form (static/js/photo-shrink.js and upload.js
  blocked, so the photos travel whole in a plain post) and the new one (shrunk in the browser,
  sent by XMLHttpRequest). Figures: bytes the phone sends (counted by a relay
  between Chromium and gunicorn) and seconds from choosing the
  photos to the receipt; target ≥ 5× less of each.
- Server CPU per accepted post with three such photos, in process (time.process_time around the
  whole request through Django's test client, form, checks, renditions and save): today (the
  full-size files, decoded at full size) against new (the files Chromium shrank in the run
  above, through images.make_renditions with its reduced decode), in turns; target ≤ 0.5 ×.

`python -m bench.phones [--quick]` (--quick: three photos at 2 Mbit/s up and 200 ms; the same
figures, in about two minutes). Asked for by name in `make bench`: `BENCH_ARGS="--only phones"`.
"""

import base64
import contextlib
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import PYTHON, ROOT, Target, base_env, cli, django_run, manage, server, table
from bench.photos import make_photo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FULL = {"photos": 9, "up_kbit": 400, "down_kbit": 1600, "latency_ms": 400}
QUICK = {"photos": 3, "up_kbit": 2000, "down_kbit": 4000, "latency_ms": 200}
NEW_SCRIPTS = ("photo-shrink.js", "upload.js")  # blocked for today's form
BYTES_TARGET = TIME_TARGET = 5.0  # × less
CPU_TARGET = 0.5  # new / today


def photo_files(count):
    folder = Path(tempfile.gettempdir()) / "portal_bench_phones"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"IMG_{index:04d}.jpg"
        if not path.exists():
            path.write_bytes(make_photo(index))
        paths.append(path)
    return paths


def fill_entry(page, marker):
    page.fill("#id_org_name", f"{marker}党支部")
    page.select_option("#id_org_type", index=1)
    page.select_option("#id_sector", index=1)
    page.select_option("#id_region", index=1)
    page.fill("#id_contact_name", "张三")
    page.fill("#id_contact_phone", "13812345678")
    page.fill("#id_contact_email", "phone@example.com")
    page.check("#id_kind_0")
    page.fill("#id_brand_name", marker[-6:])
    page.fill("#id_brand_idea", "党员与群众心连心。")
    page.fill("#id_introduction", "近年来，该党支部坚持党建引领。")
    page.fill("#id_results", "先后获得全省先进基层党组织称号。")
    page.fill("#id_sections-0-heading", "做法一")
    page.fill("#id_sections-0-body", "一是……二是……")
    page.check("#id_consent")


# Keeps the shrunk files of the new form in the page, as base64 (read before the post replaces it).
KEEP_FILES = """
document.addEventListener("submit", async () => {
  const inputs = Array.from(document.querySelectorAll("[data-photo-input]")).filter(i => i.files.length);
  await (window.portalPhotoShrink ? window.portalPhotoShrink.settled() : Promise.resolve());
  const out = [];
  for (const input of inputs.slice(0, 3)) {
    const bytes = new Uint8Array(await input.files[0].arrayBuffer());
    let text = ""; for (let i = 0; i < bytes.length; i += 0x8000) { text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)); }
    out.push(btoa(text));
  }
  sessionStorage.setItem("bench-sent", JSON.stringify(out));
}, true);
"""


class CountingProxy:
    """A TCP relay on loopback between the browser and gunicorn that counts the bytes the browser sends."""

    def __init__(self, port):
        self.target, self.sent, self.lock = port, 0, threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source, sink, counted):
        try:
            while chunk := source.recv(65536):
                if counted:
                    with self.lock:
                        self.sent += len(chunk)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self):
        self.listener.close()


def one_post(browser, proxy, paths, conditions, *, new, marker):
    """(bytes the phone sent, seconds from choosing the photos to the receipt, the files as sent)."""
    url = f"http://127.0.0.1:{proxy.port}/call/bench/submit/"
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    if new:
        context.add_init_script(KEEP_FILES)
    page = context.new_page()
    page.set_default_timeout(1_800_000)
    if not new:
        page.route(
            "**/*.js",
            lambda route: (
                route.abort() if route.request.url.split("/")[-1].split(".")[0] + ".js" in NEW_SCRIPTS else route.continue_()
            ),
        )
    page.goto(url)
    fill_entry(page, marker)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": conditions["latency_ms"],
            "uploadThroughput": conditions["up_kbit"] * 1000 / 8,
            "downloadThroughput": conditions["down_kbit"] * 1000 / 8,
        },
    )
    proxy.sent = 0  # from here: what the phone sends to the server, every byte on the wire
    started = time.perf_counter()
    for index, path in enumerate(paths):
        if index >= 3:  # three blank photo slots; more through the add button (with JavaScript on)
            page.click("[data-formset=photos] [data-add]")
        page.set_input_files(f"#id_photos-{index}-image", str(path))
        page.fill(f"#id_photos-{index}-caption", f"活动照片{index + 1}")
    page.click("button[value=submit]")
    page.wait_for_url("**/receipt/")
    page.wait_for_selector("[data-reference]")
    seconds = time.perf_counter() - started
    sent = page.evaluate("() => JSON.parse(sessionStorage.getItem('bench-sent') || '[]')")  # the new form's files as sent
    sent_bytes = proxy.sent
    context.close()
    return sent_bytes, seconds, sent


def browser_runs(port, paths, conditions, marker):
    from playwright.sync_api import sync_playwright

    proxy = CountingProxy(port)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            today = one_post(browser, proxy, paths, conditions, new=False, marker=f"{marker}甲")
            new = one_post(browser, proxy, paths, conditions, new=True, marker=f"{marker}乙")
        finally:
            browser.close()
            proxy.close()
    return today, new


CPU_SCRIPT = """
import functools, json, sys, time
import django
django.setup()
from django.test import Client
from bench.submitter import FormReader, fill, multipart
from submissions.models import Submission
from submissions.platform import images

paths = json.loads(sys.argv[1])
rounds = int(sys.argv[2])
files = {side: [open(p, "rb").read() for p in paths[side]] for side in ("today", "new")}
real = images.make_renditions
client = Client(HTTP_HOST="127.0.0.1")
times = {"today": [], "new": []}
index = 0
for turn in range(rounds + 1):  # the first turn warms up (imports, codecs, templates) and is not counted
    for side in ("today", "new"):
        index += 1
        images.make_renditions = functools.partial(real, reduced_decode=False) if side == "today" else real
        page = client.get("/call/bench/submit/").content.decode()
        reader = FormReader()
        reader.feed(page)
        values, wanted = fill(reader.fields, index, f"cpu{side}", [b""] * 3)
        body, ctype = multipart(values, [(name, filename, files[side][n]) for n, (name, filename, _) in enumerate(wanted)])
        before = Submission.objects.count()
        start = time.process_time()
        response = client.post("/call/bench/submit/", data=body, content_type=ctype)
        spent = time.process_time() - start
        assert response.status_code == 302 and Submission.objects.count() == before + 1, (side, response.status_code)
        if turn:
            times[side].append(spent)
print(json.dumps(times))
"""


def cpu_per_post(env, today_paths, new_files, rounds):
    folder = Path(tempfile.mkdtemp(prefix="bench-phones-sent-"))
    new_paths = []
    for index, data in enumerate(new_files):
        path = folder / f"sent-{index}.jpg"
        path.write_bytes(base64.b64decode(data))
        new_paths.append(str(path))
    arguments = json.dumps({"today": [str(p) for p in today_paths], "new": new_paths})
    run = subprocess.run([PYTHON, "-c", CPU_SCRIPT, arguments, str(rounds)], cwd=ROOT, env=env, capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(f"the CPU measurement failed:\n{run.stderr[-3000:]}")
    times = json.loads(run.stdout.strip().splitlines()[-1])
    sizes = [Path(p).stat().st_size for p in new_paths]
    return times, sizes


def measure(*, quick=False):
    from statistics import median

    conditions = QUICK if quick else FULL
    folder = Path(tempfile.mkdtemp(prefix="bench-phones-"))
    env = base_env(
        f"sqlite:///{folder / 'phones.sqlite3'}",
        MEDIA_ROOT=folder / "media",
        FORM_MIN_SECONDS=0,
        SUBMIT_RATE_LIMIT=0,
        SUBMIT_POST_RATE_LIMIT=0,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        GUNICORN_THREADS=4,  # a slow upload is read in a thread, not timed out as a stuck worker
        GUNICORN_TIMEOUT=3600,
        GUNICORN_WORKERS=2,
    )
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    django_run(env, "bench.data", "pages", "--articles", "1")  # the campaign "bench", open
    paths = photo_files(conditions["photos"])
    marker = f"手机{int(time.time()) % 100000}"
    with server(env, log_name="bench-phones") as running:
        today, new = browser_runs(running.port, paths, conditions, marker)
    if len(new[2]) < 3:
        raise RuntimeError("the new form's shrunk files were not captured")
    times, sent_sizes = cpu_per_post(env, paths[:3], new[2], rounds=2 if quick else 5)
    cpu_today, cpu_new = median(times["today"]), median(times["new"])
    return {
        "conditions": conditions,
        "photo_mb": round(sum(p.stat().st_size for p in paths) / len(paths) / 1e6, 2),
        "shrunk_kb": round(sum(sent_sizes) / len(sent_sizes) / 1024),
        "today_bytes": today[0],
        "new_bytes": new[0],
        "bytes_ratio": round(today[0] / new[0], 2),
        "today_seconds": round(today[1], 1),
        "new_seconds": round(new[1], 1),
        "time_ratio": round(today[1] / new[1], 2),
        "cpu_rounds": len(times["today"]),
        "cpu_today_ms": round(cpu_today * 1000),
        "cpu_new_ms": round(cpu_new * 1000),
        "cpu_ratio": round(cpu_new / cpu_today, 3),
    }


def report(result):
    c = result["conditions"]
    rows = [
        (
            "today's form (photos whole, plain post)",
            f"{result['today_bytes'] / 1e6:.1f} MB",
            result["today_seconds"],
            result["cpu_today_ms"],
        ),
        ("new form (shrunk in the browser)", f"{result['new_bytes'] / 1e6:.1f} MB", result["new_seconds"], result["cpu_new_ms"]),
        (
            "× less (CPU: new / today)",
            f"{result['bytes_ratio']:.1f} ×",
            f"{result['time_ratio']:.1f} ×",
            f"{result['cpu_ratio']:.2f}",
        ),
    ]
    text = table(rows, ["entry form", "bytes sent", "s to the receipt", "server CPU ms / post of 3 photos"])
    return (
        f"A phone on a slow network ({c['photos']} photos of 4000×3000, {result['photo_mb']} MB each, shrunk to "
        f"{result['shrunk_kb']} KB; {c['up_kbit']} kbit/s up, {c['latency_ms']} ms round trip, 375 px; "
        f"CPU median of {result['cpu_rounds']} posts each; targets ≥ {BYTES_TARGET:.0f}× less bytes and time, CPU ≤ {CPU_TARGET})\n{text}"
    )


def targets(result):
    """The time target holds at the issue's 400 kbit/s; --quick's faster link leaves the page's own
    round trips a larger share of the time, so there the ratio is printed but not held to."""
    found = [
        Target("bytes sent, today / new", result.get("bytes_ratio"), ">=", BYTES_TARGET),
        Target("server CPU per post of 3 photos, new / today", result.get("cpu_ratio"), "<=", CPU_TARGET),
    ]
    if result.get("conditions", {}).get("up_kbit") == FULL["up_kbit"]:
        found.insert(1, Target("time to the receipt, today / new", result.get("time_ratio"), ">=", TIME_TARGET))
    return found


def main(argv=None):
    return cli("phones", __doc__, measure, report, argv)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
