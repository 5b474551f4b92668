"""Hostile input for forms: hypothesis strategies and `assert_form_survives`.

    from tests.hostile import assert_form_survives
    assert_form_survives(client, "/call/x/submit/", valid_data, files={"photos": upload},
                         model_counts=[Submission, Photo])

posts `valid_data` with random hostile mutations (huge strings, control characters, bidi
marks, emoji, SQL and script payloads, wrong types, several values for one key, missing
keys, broken formset management fields, hostile file names), then too many fields and too
many files, and asserts for every post:
- never a server error (the test client raises the view's exception, so a 500 shows its traceback);
- an accepted post (a redirect) goes to a page of this site, never elsewhere;
- a refused post shows its error: 400 (request too large), 429 (throttled), or 200 with an
  error message in the page; and then nothing was stored (the counts of `model_counts` stand still);
- a payload never comes back unescaped in a page.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

BIDI = ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]
EMOJI = ["😀", "👨‍👩‍👧‍👦", "🇨🇳", "💩", "🏳️‍🌈", "\U0001f9d1\u200d\U0001f4bb"]
SQL = ["' OR '1'='1", "'; DROP TABLE submissions_submission; --", '" OR ""="', "1; SELECT pg_sleep(5)--", "\\'; --"]
SCRIPT = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    "{{ 7|add:7 }}{% debug %}",
    "${7*7}",
]
WRONG_TYPES = ["", " ", "0", "-1", "1e309", "NaN", "null", "[]", "{}", "true", "２０２４", "9" * 40, "2024-02-30", "\x00"]
MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
SCRIPT_MARKERS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>"]
ERROR_MARKERS = ("errorlist", "invalid-feedback", "is-invalid", "alert-danger", "errornote")

huge_strings = st.builds(
    lambda ch, n: ch * n, st.sampled_from(["a", "中", "😀", "\u202e", " ", "\n"]), st.integers(1_000, 30_000)
)
control_chars = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Co"]), min_size=1, max_size=50)  # NUL included: 400/404
bidi = st.lists(st.sampled_from([*BIDI, "abc", "中文", ".exe", "gpj"]), min_size=1, max_size=8).map("".join)
emoji = st.lists(st.sampled_from([*EMOJI, "品牌"]), min_size=1, max_size=20).map("".join)
payloads = st.sampled_from(SQL + SCRIPT)
wrong_types = st.sampled_from(WRONG_TYPES)
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)  # lone surrogates cannot be sent; see RAW_BODIES

hostile_text = st.one_of(huge_strings, control_chars, bidi, emoji, payloads, wrong_types, any_text)
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))  # a list: the key sent several times
hostile_filename = st.one_of(
    st.sampled_from(
        ["../../etc/passwd.jpg", "a\x00.jpg", "\u202egpj.exe", "x" * 300 + ".jpg", ".htaccess", "con.jpg", "照片 (1).JPG"]
    ),
    st.builds(lambda s: s + ".jpg", hostile_text.filter(lambda s: len(s) < 500)),
)


@st.composite
def mutated(draw, valid_data, huge_formsets=True):
    """valid_data with some keys replaced by hostile values, some removed, junk keys added,
    and formset management fields broken (TOTAL_FORMS of a million too, unless huge_formsets
    is off: give public formsets a small `absolute_max`, so that costs nothing)."""
    data = dict(valid_data)
    keys = sorted(data)
    if keys:
        for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=max(1, len(keys)), unique=True)):
            action = draw(st.sampled_from(["replace", "replace", "replace", "drop", "append"]))
            if action == "replace":
                data[key] = draw(hostile_value)
            elif action == "drop":
                data.pop(key)
            else:
                data[key] = f"{data[key]}{draw(hostile_text)}"
    for key in [k for k in list(data) if k.endswith(MANAGEMENT)]:
        if draw(st.booleans()):
            choice = draw(st.sampled_from(["drop", "-1", "abc", "", "1e3", *(["1000000"] if huge_formsets else [])]))
            if choice == "drop":
                data.pop(key)
            else:
                data[key] = choice
    for _ in range(draw(st.integers(0, 3))):
        data[draw(st.text(min_size=1, max_size=30))] = draw(hostile_text.filter(lambda s: len(s) < 1000))
    return data


def counts(models):
    """Row counts of models; an entry may also be a function (rows of a kind, files on disk)."""
    return [model._default_manager.count() if hasattr(model, "_default_manager") else model() for model in models]


def copy_files(files, names=None):
    """Fresh upload objects (a file can only be read once per post), optionally renamed."""
    fresh = {}
    for index, (key, upload) in enumerate((files or {}).items()):
        upload.seek(0)
        name = names[index] if names else upload.name
        fresh[key] = SimpleUploadedFile(
            name, upload.read(), content_type=getattr(upload, "content_type", "application/octet-stream")
        )
    return fresh


def is_local(location):
    """A redirect target on this site: a path, or an absolute URL of the test server."""
    parts = urlsplit(location.replace("\\", "/"))
    if parts.scheme or parts.netloc:
        return parts.scheme in ("http", "https") and parts.netloc == "testserver"
    return not location.lstrip().startswith(("//", "/\\", "\\"))


def check_response(response, before, after, error_markers=ERROR_MARKERS):
    """The assertions made for every hostile post; returns True when the post was accepted."""
    status = response.status_code
    assert status < 500, f"server error {status}"
    if status == 204:
        return True
    if status in (301, 302, 303):
        location = response["Location"]
        assert is_local(location), f"redirect off site: {location[:200]}"
        return True
    assert status in (200, 400, 413, 429), f"unexpected status {status}"
    assert after == before, f"refused post stored something: counts {before} -> {after}"
    if status == 200:
        page = response.content.decode("utf-8", "replace")
        assert any(marker in page for marker in error_markers), "refused, but no error message shown"
        for marker in SCRIPT_MARKERS:
            assert marker not in page, f"payload echoed unescaped: {marker}"
    return False


def assert_form_survives(
    client,
    url,
    valid_data,
    files=None,
    model_counts=(),
    *,
    max_examples=40,
    error_markers=ERROR_MARKERS,
    accepts=True,
    huge_formsets=True,
    before_each=None,
):
    """Post hostile variants of valid_data to url; see the module docstring. `accepts=False` for
    endpoints that must refuse every mutation (then a redirect fails the test). `before_each` runs
    before every post (clear the cache, so that rate limits do not hide the validation)."""
    models = list(model_counts)

    @hypothesis_settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )
    @given(
        data=mutated(valid_data, huge_formsets),
        names=st.lists(hostile_filename, min_size=len(files or {}), max_size=len(files or {})),
    )
    def post_hostile(data, names):
        if before_each:
            before_each()
        before = counts(models)
        response = client.post(url, {**data, **copy_files(files, names)})
        accepted = check_response(response, before, counts(models), error_markers)
        assert accepts or not accepted, f"a hostile post was accepted: {data!r}"

    post_hostile()
    if before_each:
        before_each()
    assert_too_many_is_refused(client, url, valid_data, files, models)
    assert_raw_bodies_survive(client, url, models)


RAW_BODIES = [
    ("application/x-www-form-urlencoded", b"language=%ff%fe&next=%c0%af&title=%ed%a0%80"),  # not UTF-8
    ("application/x-www-form-urlencoded", b"a=1&&&==&%zz=%"),
    ("multipart/form-data; boundary=XX", b'--XX\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated'),
    ("multipart/form-data", b"no boundary at all"),
    ("multipart/form-data; boundary=" + "B" * 80, b"--" + b"B" * 80 + b"--\r\n"),
    ("application/json", b'{"title": "\\u0000"}'),
]


def assert_raw_bodies_survive(client, url, models):
    """Bodies no browser would send (bad encodings, broken multipart): never a 500, nothing stored."""
    before = counts(models)
    for content_type, body in RAW_BODIES:
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code < 500, f"{content_type}: {response.status_code}"
        assert counts(models) == before, f"{content_type}: stored something"


def assert_too_many_is_refused(client, url, valid_data, files, models):
    """More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS, and more files than
    DATA_UPLOAD_MAX_NUMBER_FILES: 400, nothing stored."""
    before = counts(models)
    fields = {**valid_data, **{f"extra{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}}
    response = client.post(url, fields)
    assert response.status_code == 400, f"too many fields: {response.status_code}"
    assert counts(models) == before
    many = {
        f"file{i}": SimpleUploadedFile(f"{i}.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    }
    response = client.post(url, {**valid_data, **copy_files(files), **many})
    assert response.status_code == 400, f"too many files: {response.status_code}"
    assert counts(models) == before


def assert_page_survives(client, url, params, *, max_examples=30):
    """GET url with hostile values for the query parameters `params`: never a server error,
    and no payload echoed unescaped."""

    @hypothesis_settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(values=st.fixed_dictionaries({name: hostile_text.filter(lambda s: len(s) < 4000) for name in params}))
    def get_hostile(values):
        response = client.get(url, values)
        assert response.status_code < 500
        if response.status_code == 200 and not response.streaming:
            page = response.content.decode("utf-8", "replace")
            for marker in SCRIPT_MARKERS:
                assert marker not in page, f"payload echoed unescaped: {marker}"

    get_hostile()


def form_fields(html):
    """The named inputs of the largest <form method=post> of a page, with their values: a start
    for valid_data (fill in the required fields the page leaves empty)."""
    best = {}
    for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S | re.I):
        data = {}
        for tag in re.findall(r"<(?:input|textarea|select)[^>]*>", form, re.I):
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name and 'type="submit"' not in tag and 'type="checkbox"' not in tag:
                data[name.group(1)] = value.group(1) if value else ""
        if len(data) > len(best):
            best = data
    return best
