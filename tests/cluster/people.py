"""The people of the cluster test: submitters who fill in the real entry form through nginx, as
bench's submitter does (bench/submitter.py: the form read with html.parser, the CSRF cookie and
token, the signed `started` stamp as served, formsets, honeypot empty, photos attached), and who
press submit again when the answer is an error, as a person would: the same page, so the same
body and the same cookies, hence the same idempotency key (submissions/intake/once.py).

Every request has a timeout, and every step a bounded number of attempts; a submitter ends with
an Outcome, whatever happened.
"""

import http.client
import re
import threading
import time
from dataclasses import dataclass, field

from bench.submitter import FormReader, fill, multipart

SLUG = "multiprocess"  # the open call tests/multiprocess_urls.py makes
FORM = f"/call/{SLUG}/submit/"
RECEIPT = re.compile(r"^/track/(?P<token>[^/]+)/receipt/$")
PHOTO_ROW = re.compile(r"^(photos-\d+-)(caption|section)$")  # a photo row's own fields, beside its picture
REFERENCE = re.compile(r"data-reference>\s*([^<\s]+)\s*<")
ATTEMPTS = 8  # presses (or loads) of one page before the person gives up
TIMEOUT = 30  # seconds for one request
PAUSE = 0.5  # seconds before pressing again, times the attempt's number


@dataclass
class Outcome:
    index: int
    org_name: str
    state: str = "unfinished"  # acknowledged, refused, gave up
    reference: str = ""
    token: str = ""
    presses: int = 0  # posts of the form until the receipt came (1: no error)
    photos: int = 0
    pressed_twice: bool = False  # a deliberate second press after the receipt (a double tap)
    second_answer: str = ""  # where that second press led
    detail: str = ""


@dataclass
class Tally:
    """What every submitter saw, shared between their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    errors: dict = field(default_factory=dict)  # "POST 502" -> count
    acknowledged: int = 0

    def error(self, method, status):
        with self.lock:
            key = f"{method} {status or 'no answer'}"
            self.errors[key] = self.errors.get(key, 0) + 1

    def acknowledge(self):
        with self.lock:
            self.acknowledged += 1

    @property
    def error_count(self):
        with self.lock:
            return sum(self.errors.values())


def request(port, method, path, headers, body=None):
    """(status, response headers, body); status 0 when the connection failed or timed out."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    except (OSError, http.client.HTTPException):
        return 0, None, b""
    finally:
        connection.close()


def failed(status):
    """An answer a person would press again after: none, or the proxy's or server's error page."""
    return status == 0 or status >= 500


def submit(port, index, marker, photos, tally, *, per_entry, press_twice=False):
    """One person's entry through the balancer on `port`; returns the Outcome."""
    address = f"10.88.{index // 250}.{index % 250 + 1}"
    outcome = Outcome(index, f"{marker}第{index}党支部")
    # The form page, loaded again on an error.
    for attempt in range(1, ATTEMPTS + 1):
        status, headers, page = request(port, "GET", FORM, {"X-Forwarded-For": address})
        if status == 200:
            break
        tally.error("GET", status)
        time.sleep(PAUSE * attempt)
    else:
        outcome.state, outcome.detail = "gave up", f"no form: HTTP {status}"
        return outcome
    reader = FormReader()
    reader.feed(page.decode("utf-8", "replace"))
    cookies = "; ".join(cookie.split(";", 1)[0] for cookie in headers.get_all("Set-Cookie") or [])
    values, files = fill(reader.fields, index, marker, photos)
    files = files[:per_entry]
    # The photo rows left without a picture are left empty, captions too, as a person leaves them.
    chosen = {re.sub(r"-image$", "-", name) for name, _filename, _data in files}
    values = [(name, "" if PHOTO_ROW.match(name) and PHOTO_ROW.match(name)[1] not in chosen else value) for name, value in values]
    outcome.photos = len(files)
    body, content_type = multipart(values, files)
    post_headers = {"Content-Type": content_type, "Cookie": cookies, "X-Forwarded-For": address}

    def press():
        status, headers, page = request(port, "POST", FORM, post_headers, body)
        location = headers.get("Location", "") if headers is not None else ""
        return status, location, page

    # Submit, pressed again (the same page: the same body and cookies) while the answer is an error.
    for attempt in range(1, ATTEMPTS + 1):
        status, location, page = press()
        outcome.presses = attempt
        found = RECEIPT.match(location) if status in (302, 303) else None
        if found:
            outcome.token = found["token"]
            break
        if not failed(status):
            text = re.sub(r"<[^>]+>|\s+", " ", page.decode("utf-8", "replace"))
            outcome.state, outcome.detail = "refused", f"HTTP {status} {location} {text[:300]}"
            return outcome
        tally.error("POST", status)
        time.sleep(PAUSE * attempt)
    else:
        outcome.state, outcome.detail = "gave up", f"no receipt: HTTP {status}"
        return outcome
    receipt = location
    if press_twice:  # a double tap after the answer came: the same receipt, not a second entry
        outcome.pressed_twice = True
        for attempt in range(1, ATTEMPTS + 1):
            status, location, _page = press()
            if not failed(status):
                outcome.second_answer = f"{status} {location}"
                break
            tally.error("POST", status)
            time.sleep(PAUSE * attempt)
    # The receipt page, with the entry's reference.
    for attempt in range(1, ATTEMPTS + 1):
        status, _headers, page = request(port, "GET", receipt, {"Cookie": cookies, "X-Forwarded-For": address})
        found = REFERENCE.search(page.decode("utf-8", "replace")) if status == 200 else None
        if found:
            outcome.reference = found.group(1)
            outcome.state = "acknowledged"
            tally.acknowledge()
            return outcome
        tally.error("GET", status)
        time.sleep(PAUSE * attempt)
    outcome.state, outcome.detail = "gave up", f"no receipt page: HTTP {status}"
    return outcome
