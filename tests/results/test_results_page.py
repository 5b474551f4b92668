"""A campaign's results page (/results/<campaign>/): the selected organizations once the result is final,
each with its award's number (verifiable) and its article; nothing before; cached, and stale when a
certificate is issued or revoked."""

import pytest
from django.urls import reverse

from submissions.models import Status
from submissions.notice import services as notice_services
from submissions.results import services as results
from submissions.workflow import public_notice, roles
from tests.factories import CampaignFactory, make_user, submission_in
from tests.notice.helpers import AFTER, DURING, notice_of, objection_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user(roles.EDITOR, username="results-editor")


def page(client, slug):
    response = client.get(f"/results/{slug}/")
    return response.status_code, response.content.decode()


def test_no_such_campaign_is_a_404(client):
    assert page(client, "no-such-campaign")[0] == 404


def test_nothing_is_announced_before_the_notice_is_final(client, monkeypatch):
    notice = notice_of(2, slug="results-pending")
    names = [item.submission.org_name for item in notice.items.all()]
    status, html = page(client, "results-pending")
    assert status == 200
    assert "评选结果将在公示期满、异议核查完毕后公布" in html
    assert not any(name in html for name in names)


def test_the_final_list_without_the_entry_an_upheld_objection_took_off(client, editor, monkeypatch, committed):
    notice = notice_of(3, slug="results-final")
    items = list(notice.items.order_by("position"))
    objection = notice_services.raise_objection(notice, items[1], objection_data(notice), [], today=DURING)
    notice_services.take(objection, editor)
    notice_services.answer(objection, editor, upheld=True, reason="获奖情况不实。")
    monkeypatch.setattr(public_notice, "today", lambda: AFTER)
    assert notice_services.close_due(AFTER) == (1, 1)
    award = committed(results.issue_award, items[0].submission, actor=editor)
    status, html = page(client, "results-final")
    assert status == 200
    assert items[0].submission.org_name in html and items[2].submission.org_name in html
    assert items[1].submission.org_name not in html  # taken off by the upheld objection
    assert f"证书编号 {award.number}" in html
    assert reverse("results:verify", args=[award.number]) in html
    assert html.index(items[0].submission.org_name) < html.index(items[2].submission.org_name)  # the notice's order


def test_without_a_notice_the_awards_in_force_are_the_results(client, editor, committed, django_assert_max_num_queries):
    campaign = CampaignFactory(slug="results-awards")
    first, second, unawarded = (submission_in(Status.ACCEPTED, campaign=campaign) for _ in range(3))
    kept = committed(results.issue_award, first, actor=editor)
    revoked = committed(results.issue_award, second, actor=editor)
    chief = make_user(roles.CHIEF, username="results-chief")
    committed(results.revoke, revoked, actor=chief, reason="重复颁发。")
    with django_assert_max_num_queries(12):
        status, html = page(client, "results-awards")
    assert status == 200
    assert first.org_name in html and kept.number in html
    assert second.org_name not in html and revoked.number not in html
    assert unawarded.org_name not in html


def test_an_award_issued_later_shows_at_once_on_the_cached_page(client, editor, committed):
    campaign = CampaignFactory(slug="results-cache")
    entry = submission_in(Status.ACCEPTED, campaign=campaign)
    assert "评选结果尚未公布" in page(client, "results-cache")[1]
    award = committed(results.issue_award, entry, actor=editor)
    assert award.number in page(client, "results-cache")[1]  # the certificate's move made the page stale
    committed(results.revoke, award, actor=make_user(roles.CHIEF, username="results-chief"), reason="撤销。")
    assert award.number not in page(client, "results-cache")[1]


def test_the_final_notice_and_the_verification_page_lead_to_the_results(client, editor, monkeypatch, committed):
    notice = notice_of(1, slug="results-links")
    monkeypatch.setattr(public_notice, "today", lambda: AFTER)
    notice_services.close_due(AFTER)
    award = committed(results.issue_award, notice.items.get().submission, actor=editor)
    link = reverse("results:campaign", args=["results-links"])
    assert link in client.get(reverse("notice:detail", args=["results-links"])).content.decode()
    assert link in client.get(reverse("results:verify", args=[award.number])).content.decode()
