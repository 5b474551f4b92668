"""The workspace's list: a body's progress and its own area's entries (never another's), the editors'
list of entries awaiting an eligibility check, the status filter (bounded: anything unknown is
ignored), pages, and a query count that does not grow with the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions import workflow
from submissions.models import RecommendingBody, Status
from submissions.recommend import services
from tests.factories import CampaignFactory, SubmissionFactory, make_user
from tests.recommend.conftest import body_account, submitted

pytestmark = pytest.mark.django_db

INDEX = reverse("recommend:index")


def passed(entry):
    return {item: (True, "") for item in entry.campaign.eligibility_items}


def progress_numbers(page):
    """The body's four numbers as the page shows them (received, checked, recommended / quota, left)."""
    html = page.content.decode()
    found = []
    for marker in ("data-received>", "data-checked>", "data-recommended>", "data-left>"):
        start = html.index(marker) + len(marker)
        found.append(html[start : html.index("<", start)])
    return found


def test_a_body_sees_its_progress_and_its_own_entries_only(client, member, campaign, jinan, entry, other_entry):
    checked = submitted(campaign, jinan, org_name="天桥区工人新村党委", brand_name="红色引擎")
    services.check(checked, actor=member, results=passed(checked))
    services.recommend(checked, actor=member, opinion="同意推荐。")
    client.force_login(member)
    page = client.get(INDEX)
    html = page.content.decode()
    assert page.status_code == 200
    assert "济南市委组织部" in html and "青岛市委组织部" not in html
    assert progress_numbers(page) == ["2", "1", "1 / 2", "1"]
    assert "历下区示范街道党工委" in html and "天桥区工人新村党委" in html
    assert "崂山区海岸社区党委" not in html and reverse("recommend:entry", args=[other_entry.pk]) not in html


def test_an_account_acting_for_two_bodies_sees_both(client, body, other_body, entry, other_entry):
    both = body_account("both-account", body, other_body)
    client.force_login(both)
    html = client.get(INDEX).content.decode()
    assert "济南市委组织部" in html and "青岛市委组织部" in html
    assert "历下区示范街道党工委" in html and "崂山区海岸社区党委" in html


def test_the_status_filter_takes_known_statuses_and_ignores_anything_else(client, member, entry, campaign, jinan):
    eligible = submitted(campaign, jinan, org_name="市中区民生党支部", brand_name="民生驿站")
    services.check(eligible, actor=member, results=passed(eligible))
    client.force_login(member)
    only = client.get(INDEX, {"status": "eligible"}).content.decode()
    assert "市中区民生党支部" in only and "历下区示范街道党工委" not in only
    for junk in ("nonsense", "draft", "withdrawn", "'; DROP TABLE x; --", "x" * 5000, "eligible\x01"):
        page = client.get(INDEX, {"status": junk})
        assert page.status_code == 200, junk
        html = page.content.decode()
        assert "市中区民生党支部" in html and "历下区示范街道党工委" in html, junk
    # Pages past the end or not numbers: the nearest page, never an error.
    for number in ("999999", "-1", "abc", "1" * 400):
        assert client.get(INDEX, {"page": number}).status_code == 200, number


def test_withdrawn_entries_are_not_listed(client, member, entry):
    workflow.transition(entry, Status.WITHDRAWN, actor=workflow.SUBMITTER)
    client.force_login(member)
    assert "历下区示范街道党工委" not in client.get(INDEX).content.decode()
    assert client.get(reverse("recommend:entry", args=[entry.pk])).status_code == 404


def test_the_list_is_paginated(client, member, campaign, jinan, monkeypatch):
    from submissions.recommend import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    for n in range(5):
        submitted(campaign, jinan, org_name=f"分页测试第{n}党支部", brand_name=f"分页{n}")
    client.force_login(member)
    first = client.get(INDEX).content.decode()
    assert first.count("data-entry=") == 2 and "第 1 / 3 页" in first
    last = client.get(INDEX, {"page": 3}).content.decode()
    assert last.count("data-entry=") == 1


def test_the_bodys_list_costs_the_same_queries_however_long(client, member, campaign, jinan, django_assert_max_num_queries):
    client.force_login(member)
    for n in range(2):
        submitted(campaign, jinan, org_name=f"计数第{n}党支部", brand_name=f"计数{n}")
    client.get(INDEX)  # the site's settings, cached once for every page
    with CaptureQueriesContext(connection) as few:
        assert client.get(INDEX).status_code == 200
    for n in range(2, 8):
        made = submitted(campaign, jinan, org_name=f"计数第{n}党支部", brand_name=f"计数{n}")
        if n % 2:
            services.check(made, actor=member, results=passed(made))
    with CaptureQueriesContext(connection) as many:
        assert client.get(INDEX).status_code == 200
    assert len(many) == len(few)
    with django_assert_max_num_queries(10):  # session, user, permissions (2), bodies, progress (2), count, page, settings
        client.get(INDEX, {"status": "submitted"})


def test_editors_see_every_screening_campaigns_entries_awaiting_a_check(client, entry, other_entry, campaign, jinan):
    editor = make_user("editor", username="ws-editor")
    checked = submitted(campaign, jinan, org_name="已审查党支部", brand_name="已审查")
    services.check(checked, actor=editor, results=passed(checked))
    plain = CampaignFactory(slug="plain-campaign", title="不设审查的征集")
    unscreened = SubmissionFactory(campaign=plain, region=jinan, to=Status.SUBMITTED, org_name="普通征集党支部")
    client.force_login(editor)
    html = client.get(INDEX).content.decode()
    assert "待资格审查的作品" in html
    assert "历下区示范街道党工委" in html and "崂山区海岸社区党委" in html
    assert "已审查党支部" not in html  # eligible now: not waiting for a check
    assert unscreened.org_name not in html  # its campaign does not screen
    # A campaign with a checklist and no recommendation screens too.
    checklist_only = CampaignFactory(slug="checklist-only", eligibility_items=["consent"])
    SubmissionFactory(campaign=checklist_only, region=jinan, to=Status.SUBMITTED, org_name="只审查党支部")
    assert "只审查党支部" in client.get(INDEX).content.decode()
    # The editors' filter offers the two waiting statuses; any other is ignored.
    assert "已审查党支部" not in client.get(INDEX, {"status": "eligible"}).content.decode()


def test_the_editors_list_costs_a_bounded_number_of_queries(client, campaign, jinan, body, django_assert_max_num_queries):
    for n in range(6):
        submitted(campaign, jinan, org_name=f"编辑列表第{n}党支部", brand_name=f"编辑{n}")
    client.force_login(make_user("editor", username="ws-editor"))
    client.get(INDEX)  # the site's settings, cached once for every page
    with django_assert_max_num_queries(9):  # session, user, permissions (2), campaigns, count, page, settings
        assert client.get(INDEX).status_code == 200


def test_an_entry_moved_on_to_review_stays_in_the_bodys_list(client, member, entry):
    services.check(entry, actor=member, results=passed(entry))
    services.recommend(entry, actor=member, opinion="同意推荐。")
    workflow.transition(entry, Status.FIRST_REVIEW, actor=make_user("editor", username="ws-editor"))
    client.force_login(member)
    page = client.get(INDEX, {"status": "first_review"}).content.decode()
    assert "历下区示范街道党工委" in page and "已推荐" in page


def test_a_body_without_entries_and_an_account_without_a_body(client, campaign):
    lonely = RecommendingBody.objects.create(campaign=campaign, name="德州市委组织部", quota=1)
    client.force_login(body_account("dz-account", lonely))
    page = client.get(INDEX).content.decode()
    assert "德州市委组织部" in page and "没有符合条件的作品" in page
    client.force_login(body_account("nobody-account"))
    assert "还没有关联推荐单位" in client.get(INDEX).content.decode()
