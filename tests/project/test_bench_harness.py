"""The load test's submitter reads any Django form it is given; the bench floor stays out of production."""

import pytest

from bench.submitter import FormReader, fill, multipart

FORM = """
<form method="get" action="/search/"><input name="q"></form>
<form method="post" enctype="multipart/form-data" action="">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok123">
  <input type="hidden" name="started" value="signed:1">
  <input type="text" name="website" class="portal-trap" tabindex="-1">
  <input type="text" name="org_name" maxlength="100">
  <input type="text" name="brand_name" maxlength="20">
  <input type="email" name="contact_email">
  <input type="tel" name="contact_phone" maxlength="11">
  <select name="region"><option value="">---</option><option value="3">济南</option></select>
  <textarea name="introduction" maxlength="50">old</textarea>
  <input type="checkbox" name="consent">
  <input type="hidden" name="sections-TOTAL_FORMS" value="2">
  <input type="text" name="sections-0-heading" maxlength="40">
  <input type="checkbox" name="sections-0-DELETE">
  <input type="file" name="photos" accept="image/*" multiple>
  <input type="file" name="attachments">
  <button type="submit">提交</button>
</form>
"""


def test_the_submitter_fills_a_guarded_form_with_formsets_and_photos():
    reader = FormReader()
    reader.feed(FORM)
    assert "q" not in [f["name"] for f in reader.fields]  # only the multipart POST form
    values, files = fill(reader.fields, 7, "负载abc", [b"p0", b"p1", b"p2", b"p3"])
    got = dict(values)
    assert got["csrfmiddlewaretoken"] == "tok123" and got["started"] == "signed:1"
    assert got["website"] == ""  # the honeypot stays empty
    assert got["org_name"] == "负载abc第7党支部"
    assert len(got["brand_name"]) <= 20 and len(got["introduction"]) <= 50 and len(got["contact_phone"]) == 11
    assert got["region"] == "3" and got["consent"] == "on" and got["sections-TOTAL_FORMS"] == "2"
    assert got["sections-0-heading"] and "sections-0-DELETE" not in got
    assert [name for name, _filename, _data in files] == ["photos"] * 3  # photos only, not attachments
    body, content_type = multipart(values, files)
    assert content_type.startswith("multipart/form-data; boundary=")
    assert body.count(b'name="photos"; filename=') == 3


@pytest.mark.django_db
def test_the_bench_floor_is_not_mounted_in_production(client):
    assert client.get("/bench/floor").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_submitter_sends_an_entry_with_its_photos_through_the_real_form(live_server, settings):
    from bench.load import Stats, photo_bytes, submitter
    from submissions.models import Region, Status, Submission
    from tests.factories import CampaignFactory

    settings.FORM_MIN_SECONDS = 0
    Region.objects.get_or_create(code="jinan", defaults={"name": "济南"})  # a flush may have taken the migration's
    CampaignFactory(slug="bench")
    outcome, stats = {}, Stats()
    port = int(live_server.url.rsplit(":", 1)[1])
    submitter(port, 3, "bench", "负载xyz", photo_bytes(2, size=(320, 240)), stats, outcome)
    assert outcome[3][0] == "accepted", outcome
    entry = Submission.objects.get()
    assert entry.org_name == "负载xyz第3党支部" and entry.status == Status.SUBMITTED
    assert entry.photos.count() == 3 and entry.sections.count() == 3
    assert stats.errors == 0


def test_the_search_report_judges_flatness_on_each_size_against_its_own_column_query():
    """Each size is timed in its own process: the machine's drift shows in the column query's own
    milliseconds, and the ratio of ratios cancels it (here: 3.00 against 2.00 is 1.50)."""
    from bench.search import report

    timed = {
        "1000": {"indexed column (slug)": {"ms": 2.0, "found": 1}, "距离": {"ms": 4.0, "found": 50}},
        "10000": {"indexed column (slug)": {"ms": 3.0, "found": 1}, "距离": {"ms": 9.0, "found": 251}},
    }
    rows = {line.split()[0]: line.split() for line in report(timed).splitlines()[3:]}
    assert rows["距离"][-3:] == ["3.00×", "2.25×", "1.50×"]  # ÷column at 10k, raw ms 10k÷1k, flatness
    assert rows["indexed"][-1] == "1.00×"
    from bench.readme import markdown

    machine = {"nproc": 2, "cpu": "x", "memory": "1 GiB", "python": "3.11", "load_average": [0, 0, 0]}
    lines = markdown({"machine": machine, "when": "now", "search": timed}).splitlines()
    assert "| 距离 | 50 | 2.00 | 251 | 3.00 | 2.25 | 1.50 |" in lines
