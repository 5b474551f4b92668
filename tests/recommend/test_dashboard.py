"""Screening on the editors' first pages: the dashboard's card of the bodies' progress (推荐单位进度),
the triage queue that leaves alone what a body or the eligibility check still holds, and the
editors' queue of entries to check (待资格审查), which leads to the screening workspace."""

import pytest
from django.urls import reverse

from submissions import workflow
from submissions.models import Status
from submissions.recommend import services
from submissions.review import queues
from tests.factories import CampaignFactory, RegionFactory, SubmissionFactory, make_user, submission_in
from tests.recommend.conftest import submitted

pytestmark = pytest.mark.django_db
S = Status
DASHBOARD = reverse("admin:dashboard")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def passed(entry, **failed):
    results = {item: (True, "") for item in entry.campaign.eligibility_items}
    results.update({item: (False, reason) for item, reason in failed.items()})
    return results


def refs(name, user):
    return sorted(obj.pk for obj in queues.BY_NAME[name].items(user))


def card(html, title):
    return html.split(f"推荐单位进度 · {title}", 1)[1].split("</section>", 1)[0]


def rows(html):
    """[[cell, …], …] of a card's body rows."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [cell.split(">", 1)[1].split("<", 1)[0] for cell in row.split("<td")[1:]] for row in body.split("</tr>") if "<td" in row
    ]


# --- the dashboard


def test_the_card_counts_each_bodys_received_checked_recommended_and_quota(
    client, editor, campaign, body, other_body, member, entry, other_entry, django_assert_max_num_queries
):
    services.check(entry, actor=member, results=passed(entry))
    services.recommend(entry, actor=member, opinion="同意推荐。")
    second = submitted(campaign, body.regions.get(), org_name="历城区示范社区党委", brand_name="红色家园")
    services.check(second, actor=member, results=passed(second, consent="未同意公开发表。"))  # checked, returned
    submitted(campaign, body.regions.get(), org_name="天桥区示范街道党工委", brand_name="桥头堡")  # received only
    withdrawn = submitted(campaign, body.regions.get(), org_name="槐荫区示范党支部", brand_name="槐花香")
    workflow.transition(withdrawn, S.WITHDRAWN, actor=workflow.SUBMITTER)  # no longer counted
    SubmissionFactory(campaign=campaign, region=body.regions.get(), org_name="草稿党支部")  # a draft: not received
    client.force_login(editor)
    client.get(DASHBOARD)
    with django_assert_max_num_queries(18):  # the dashboard's 16, and the two of this campaign's progress
        response = client.get(DASHBOARD)
    html = response.content.decode()
    assert rows(card(html, campaign.title)) == [["济南市委组织部", "3", "2", "1", "2"], ["青岛市委组织部", "1", "0", "0", "2"]]


def test_a_card_per_campaign_that_uses_recommendation_and_only_the_chosen_one(client, editor, campaign, body):
    other = CampaignFactory(slug="second-screened", title="第二届推荐活动", uses_recommendation=True)
    CampaignFactory(slug="plain", title="不设推荐的活动")
    client.force_login(editor)
    html = client.get(DASHBOARD).content.decode()
    assert f"推荐单位进度 · {campaign.title}" in html and "推荐单位进度 · 第二届推荐活动" in html
    assert "推荐单位进度 · 不设推荐的活动" not in html
    assert "尚未设置推荐单位" in card(html, "第二届推荐活动")
    html = client.get(DASHBOARD, {"campaign": other.pk}).content.decode()
    assert "推荐单位进度 · 第二届推荐活动" in html and f"推荐单位进度 · {campaign.title}" not in html


def test_no_card_and_no_query_without_a_campaign_that_uses_recommendation(client, editor):
    submission_in(S.SUBMITTED)
    client.force_login(editor)
    response = client.get(DASHBOARD)
    assert response.context["body_progress"] == [] and "推荐单位进度" not in response.content.decode()


# --- the queues


def test_triage_leaves_alone_what_a_body_holds(editor, campaign, member, entry, other_entry):
    plain = submission_in(S.SUBMITTED)
    resubmitted = submission_in(S.RESUBMITTED)
    eligible = submitted(campaign, entry.region, org_name="历城区示范社区党委", brand_name="红色家园")
    services.check(eligible, actor=member, results=passed(eligible))  # eligible: the body's to recommend
    recommended = submitted(campaign, entry.region, org_name="天桥区示范街道党工委", brand_name="桥头堡")
    services.check(recommended, actor=member, results=passed(recommended))
    services.recommend(recommended, actor=member, opinion="同意推荐。")
    nobody = submitted(campaign, RegionFactory(code="yantai", name="烟台"), org_name="芝罘区示范社区党委")
    assert nobody.body is None
    # Waiting on a body: sent (entry, other_entry) or eligible; recommended is the editors' again, and
    # one no body covers waits for an editor to give it one.
    assert refs("triage", editor) == sorted([plain.pk, resubmitted.pk, recommended.pk, nobody.pk])
    assert refs("eligibility", editor) == []  # the bodies check their own


def test_the_eligibility_queue_holds_what_the_editors_check(editor, chief, campaign, body, entry):
    campaign.uses_recommendation = False
    campaign.save()
    plain = submission_in(S.SUBMITTED)
    second = submitted(campaign, entry.region, org_name="历城区示范社区党委", brand_name="红色家园")
    checked = submitted(campaign, entry.region, org_name="天桥区示范街道党工委", brand_name="桥头堡")
    services.check(checked, actor=editor, results=passed(checked))  # eligible: ready for review, triage
    failed = submitted(campaign, entry.region, org_name="槐荫区示范党支部", brand_name="槐花香")
    services.check(failed, actor=editor, results=passed(failed, consent="未同意。"))
    workflow.transition(failed, S.RESUBMITTED, actor=workflow.SUBMITTER)  # put right: checked again
    assert refs("eligibility", editor) == sorted([entry.pk, second.pk, failed.pk])
    assert refs("triage", editor) == sorted([plain.pk, checked.pk])
    assert refs("eligibility", chief) == refs("eligibility", editor)


def test_who_sees_the_eligibility_queue(editor, chief, reviewer, member):
    assert "eligibility" in [q.name for q in queues.queues_for(editor)]
    assert "eligibility" in [q.name for q in queues.queues_for(chief)]
    assert "eligibility" not in [q.name for q in queues.queues_for(reviewer)]
    assert queues.BY_NAME["eligibility"].items(member).count() == 0  # a body works in its own workspace


def test_the_index_links_an_entry_to_check_to_the_workspace(client, editor, campaign, body, entry, django_assert_max_num_queries):
    campaign.uses_recommendation = False
    campaign.save()
    client.force_login(editor)
    client.get(reverse("admin:index"))
    with django_assert_max_num_queries(23):  # the first page's (tests/review/test_queues.py), and this queue's count and items
        html = client.get(reverse("admin:index")).content.decode()
    assert "待资格审查" in html
    link = reverse("recommend:entry", args=[entry.pk]) + "?queue=eligibility"
    assert f'href="{link}"' in html
    assert client.get(reverse("admin:queue", args=["eligibility"])).status_code == 200
    response = client.get(reverse("admin:queue_next", args=["eligibility"]), {"after": 0})
    assert response["Location"] == link
    workflow_editor = make_user("editor", username="another-editor")
    services.check(entry, actor=workflow_editor, results=passed(entry))
    response = client.get(reverse("admin:queue_next", args=["eligibility"]), {"after": entry.pk}, follow=True)
    assert "已全部处理完" in response.content.decode()


def test_an_entry_in_a_campaign_without_screening_is_triaged_as_before(editor):
    entry = submission_in(S.SUBMITTED)
    assert refs("triage", editor) == [entry.pk] and refs("eligibility", editor) == []
