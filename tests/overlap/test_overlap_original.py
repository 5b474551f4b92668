"""The overlap panel names the earlier text as the original and the later as the copy (issue 29,
item 5), by the entry's submission time and the article's publication time: the copy's report is
flagged, the original's says it came first and is not flagged as its copy is."""

import re

import pytest
from django.urls import reverse

from submissions.overlap import panel
from tests.overlap.test_overlap_admin import change_url, pair  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def summary(html):
    return re.search(r'<details class="entry-panel overlap-panel" id="overlap"([^>]*)>\s*<summary>(.*?)</summary>', html, re.S)


def test_the_later_entry_is_the_copy_and_flagged(client, editor, pair):  # noqa: F811
    source, copy = pair
    assert source.submitted_at < copy.submitted_at
    report = panel.report_for(copy, editor=True)
    assert [row["order"] for row in report["matches"]] == ["copy"]
    assert report["flagged"] and not report["original"]
    client.force_login(editor)
    html = client.get(change_url(copy)).content.decode()
    head = summary(html)
    assert "open" in head.group(1) and "overlap-flag" in head.group(2)
    assert "对方在先（原文），本作品在后（复制）" in html
    assert "本作品（复制）" in html and "对方文本（原文）" in html


def test_the_earlier_entry_is_the_original_and_not_flagged(client, editor, pair):  # noqa: F811
    source, _copy = pair
    report = panel.report_for(source, editor=True)
    assert report["percent"] >= report["threshold"]  # as high a share as its copy's
    assert [row["order"] for row in report["matches"]] == ["original"]
    assert report["original"] and not report["flagged"]
    client.force_login(editor)
    html = client.get(change_url(source)).content.decode()
    head = summary(html)
    assert "open" not in head.group(1) and "overlap-flag" not in head.group(2)
    assert "本作品在先（原文）" in head.group(2)
    assert "本作品在先（原文），对方在后（复制）" in html and "本作品（原文）" in html


def test_unknown_times_name_neither(pair):  # noqa: F811
    source, copy = pair
    assert panel._order(None, copy.submitted_at) == ""
    assert panel._order(source.submitted_at, None) == ""
    assert panel._order(source.submitted_at, copy.submitted_at) == "original"
    assert panel._order(copy.submitted_at, source.submitted_at) == "copy"


def test_the_reviewer_sees_the_order_too(client, pair):  # noqa: F811
    from submissions.models import Stage
    from tests.factories import assign, make_user

    _source, copy = pair
    expert = make_user("reviewer", username="order-expert")
    assign(copy, expert, Stage.FIRST)
    client.force_login(expert)
    html = client.get(reverse("admin:submissions_submission_score", args=[copy.pk, Stage.FIRST])).content.decode()
    assert "对方在先（原文），本作品在后（复制）" in html
