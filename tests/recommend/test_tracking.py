"""The submitter's tracking page in a campaign that screens: which body has the entry, the eligibility
result (passed, or each failed item with its reason) and the body's decision (recommended with its
opinion, not recommended with its reason, or still to come), for each outcome."""

import pytest
from django.urls import reverse

from submissions import workflow
from submissions.models import EligibilityItem, Status
from submissions.recommend import services
from tests.factories import CampaignFactory, RegionFactory, make_user
from tests.recommend.conftest import submitted

pytestmark = pytest.mark.django_db
S = Status
LABELS = dict(EligibilityItem.choices)


def passed(entry, **failed):
    results = {item: (True, "") for item in entry.campaign.eligibility_items}
    results.update({item: (False, reason) for item, reason in failed.items()})
    return results


def section(client, entry):
    """The page's screening section (empty when it has none), and the whole page."""
    response = client.get(reverse("track:detail", args=[entry.tracking_token]))
    assert response.status_code == 200
    html = response.content.decode()
    if "data-screening" not in html:
        return "", html
    return html.split("data-screening", 1)[1].split("</section>", 1)[0], html


def test_just_sent_the_body_has_it_and_both_steps_are_to_come(client, entry):
    html, _page = section(client, entry)
    assert "推荐单位" in html and "济南市委组织部" in html
    assert 'data-eligibility="pending"' in html and "审查中" in html
    assert 'data-decision="pending"' in html and "待推荐单位推荐" in html


def test_a_failed_check_tells_each_failed_item_with_its_reason(client, member, entry):
    services.check(entry, actor=member, results=passed(entry, consent="未勾选同意公开发表。", kind="报送类别不在本次范围。"))
    html, _page = section(client, entry)
    assert 'data-eligibility="failed"' in html and "未通过" in html
    for item, reason in (("consent", "未勾选同意公开发表。"), ("kind", "报送类别不在本次范围。")):
        assert f"{LABELS[item]}：{reason}" in html
    assert str(LABELS["complete"]) not in html  # a passed item is not listed
    assert 'data-decision="pending"' in html  # returned to be put right: the body decides later


def test_put_right_and_sent_again_it_is_checked_again(client, member, entry):
    services.check(entry, actor=member, results=passed(entry, consent="未勾选同意公开发表。"))
    workflow.transition(entry, S.RESUBMITTED, actor=workflow.SUBMITTER)
    html, _page = section(client, entry)
    assert 'data-eligibility="pending"' in html and "未勾选同意公开发表。" not in html


def test_eligible_and_waiting_for_the_body(client, member, entry):
    services.check(entry, actor=member, results=passed(entry))
    html, page = section(client, entry)
    assert 'data-eligibility="passed"' in html and "已通过" in html
    assert 'data-decision="pending"' in html
    assert "资格审查通过" in page  # the timeline's label of the new status


def test_recommended_with_the_bodys_opinion(client, member, entry):
    services.check(entry, actor=member, results=passed(entry))
    services.recommend(entry, actor=member, opinion="品牌特色鲜明，同意推荐。")
    html, _page = section(client, entry)
    assert 'data-decision="recommended"' in html and "已推荐" in html and "品牌特色鲜明，同意推荐。" in html
    workflow.transition(entry, S.FIRST_REVIEW, actor=make_user("editor", username="track-editor"))
    html, _page = section(client, entry)  # in review: the recommendation still reads
    assert 'data-decision="recommended"' in html and 'data-eligibility="passed"' in html


def test_not_recommended_with_the_bodys_reason(client, member, entry):
    services.check(entry, actor=member, results=passed(entry))
    services.decline(entry, actor=member, reason="本单位名额已用于其他品牌。")
    html, _page = section(client, entry)
    assert 'data-decision="refused"' in html and "不予推荐" in html and "本单位名额已用于其他品牌。" in html
    assert "不予推荐：不予推荐" not in html


def test_declined_at_the_check_has_no_decision_to_wait_for(client, member, entry):
    services.check(entry, actor=member, results=passed(entry, not_duplicate="该品牌去年已发表。"), outcome=services.DECLINE)
    html, _page = section(client, entry)
    assert 'data-eligibility="failed"' in html and "该品牌去年已发表。" in html
    assert "data-decision" not in html


def test_no_body_covers_it_yet(client, campaign, body):
    elsewhere = submitted(campaign, RegionFactory(code="yantai", name="烟台"), org_name="芝罘区示范社区党委")
    assert elsewhere.body is None
    html, _page = section(client, elsewhere)
    assert "待编辑部确定" in html


def test_an_eligibility_campaign_tells_the_check_only(client, campaign, entry):
    campaign.uses_recommendation = False
    campaign.save()
    html, _page = section(client, entry)
    assert 'data-eligibility="pending"' in html
    assert "推荐单位" not in html and "data-decision" not in html


def test_a_campaign_that_does_not_screen_shows_nothing_of_it(client):
    entry = submitted(CampaignFactory(slug="plain"), RegionFactory())
    html, page = section(client, entry)
    assert html == "" and "资格审查" not in page and "推荐单位" not in page


@pytest.mark.parametrize("rounds", [1, 4])
def test_the_page_stays_within_five_queries(client, member, entry, rounds, django_assert_max_num_queries):
    for _ in range(rounds):
        services.check(entry, actor=member, results=passed(entry, consent="未同意。"))
        workflow.transition(entry, S.RESUBMITTED, actor=workflow.SUBMITTER)
    services.check(entry, actor=member, results=passed(entry))
    services.recommend(entry, actor=member, opinion="同意推荐。")
    client.get(reverse("track:detail", args=[entry.tracking_token]))
    with django_assert_max_num_queries(5):  # 3 without screening (tests/intake/test_track.py), its check and recommendation
        html, _page = section(client, entry)
    assert 'data-decision="recommended"' in html
