"""The 公示 page: its list, its dates in working days, its cache, its close and its final result."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions import workflow
from submissions.models import PublicNotice, Status
from submissions.notice import services
from submissions.platform import tasks
from tests.factories import submission_in
from tests.notice.helpers import AFTER, DURING, notice_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def during(monkeypatch):
    monkeypatch.setattr(services, "current_date", lambda: DURING)


def test_the_last_day_is_counted_in_working_days_when_the_notice_is_saved():
    notice = notice_of()
    assert notice.ends_on == date(2026, 10, 12)
    assert notice.workdays == 5
    assert notice.published_at is not None


def test_the_page_lists_the_entries_and_says_how_to_object_and_by_when(client, during):
    notice = notice_of()
    names = [f"{item.submission.org_name}{item.submission.brand_display}" for item in notice.items.all()]
    page = client.get(reverse("notice:detail", args=["notice-2026"])).content.decode()
    assert all(name in page for name in names)
    assert "公示期为 5 个工作日：2026年9月30日至2026年10月12日" in page
    assert "请于 2026年10月12日 24 时前以真实姓名提出" in page
    assert 'data-state="open"' in page


def test_an_unpublished_notice_has_no_page(client):
    notice_of(publish=False)
    assert client.get(reverse("notice:detail", args=["notice-2026"])).status_code == 404
    assert client.get(reverse("notice:objection", args=["notice-2026"])).status_code == 404


def _data_queries(captured):
    """The queries that read the portal's tables (the shared cache's table aside)."""
    return [q["sql"] for q in captured.captured_queries if "submissions_" in q["sql"]]


def test_the_page_costs_the_same_queries_for_a_longer_list_and_none_once_cached(client, during):
    notice_of(1, slug="warm")
    notice_of(2, slug="short")
    notice_of(6, slug="long")
    client.get(reverse("notice:detail", args=["warm"]))  # the site's settings, read once per process and cached
    with CaptureQueriesContext(connection) as short:
        client.get(reverse("notice:detail", args=["short"]))
    with CaptureQueriesContext(connection) as long:
        client.get(reverse("notice:detail", args=["long"]))
    assert len(_data_queries(short)) == len(_data_queries(long)) == 2  # the notice, its list with the entries
    with CaptureQueriesContext(connection) as again:
        assert client.get(reverse("notice:detail", args=["long"])).status_code == 200
    assert len(again) == 0


def test_only_the_campaigns_accepted_or_published_entries_may_be_listed():
    notice = notice_of(publish=False)
    in_review = submission_in(Status.FIRST_REVIEW, campaign=notice.campaign)
    with pytest.raises(services.NoticeError, match="已采用或已发表"):
        services.set_entries(notice, [in_review])


def test_a_published_list_does_not_change_and_an_empty_one_is_not_published(editor):
    notice = notice_of()
    with pytest.raises(services.NoticeError, match="名单不能再改"):
        services.set_entries(notice, [])
    empty = notice_of(0, slug="empty", publish=False)
    with pytest.raises(workflow.TransitionError, match="名单是空的"):  # the machine's rule
        services.publish(empty, editor)


def test_the_notice_closes_by_itself_after_its_last_day_and_its_result_becomes_final(client, monkeypatch):
    notice = notice_of()
    assert services.close_due(today=date(2026, 10, 12)) == (0, 0)  # its last day: still open
    assert services.close_due(today=AFTER) == (1, 1)
    notice.refresh_from_db()
    assert notice.closed_at is not None and notice.final_at is not None
    monkeypatch.setattr(services, "current_date", lambda: AFTER)
    page = client.get(reverse("notice:detail", args=["notice-2026"])).content.decode()
    assert 'data-state="final"' in page and 'data-state="open"' not in page
    assert client.get(reverse("notice:objection", args=["notice-2026"])).status_code == 403


def test_the_close_is_a_periodic_task_of_the_notice_area():
    entry = tasks.PERIODIC[tasks.SCHEDULE_PREFIX + "close_notices"]
    assert entry.minutes == 10
    assert entry.func == "submissions.notice.tasks.close_notices"


def test_a_notice_not_yet_started_takes_no_objection(client, monkeypatch):
    notice_of()
    monkeypatch.setattr(services, "current_date", lambda: date(2026, 9, 29))
    page = client.get(reverse("notice:detail", args=["notice-2026"])).content.decode()
    assert 'data-state="not-started"' in page
    assert client.get(reverse("notice:objection", args=["notice-2026"])).status_code == 403
    assert PublicNotice.objects.count() == 1
