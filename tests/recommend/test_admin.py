"""Screening in the newsroom's admin: the campaign's fieldset, the bodies' list and form, the entry's
panel (资格审查与推荐) for editors and chief editors, the editors' correction of an entry's body, and
what reviewers and a body's account do not get there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions import workflow
from submissions.models import EligibilityItem, RecommendingBody, Stage, Status
from submissions.recommend import services
from tests.browser.a11y import axe_violations
from tests.browser.admin import login
from tests.factories import CampaignFactory, assign, body_account, make_user, screening_campaign
from tests.recommend.conftest import submitted

pytestmark = pytest.mark.django_db
S = Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def change_url(entry):
    return reverse("admin:submissions_submission_change", args=[entry.pk])


def passed(entry, **failed):
    results = {item: (True, "") for item in entry.campaign.eligibility_items}
    results.update({item: (False, reason) for item, reason in failed.items()})
    return results


def panel(html):
    """The screening panel's HTML (empty when the page has none)."""
    if 'id="screening"' not in html:
        return ""
    return html.split('id="screening"', 1)[1].split("</section>", 1)[0]


def page(client, entry):
    response = client.get(change_url(entry))
    assert response.status_code == 200
    return response.content.decode()


# --- the campaign and the bodies


def test_the_campaign_page_has_its_screening_fieldset_beside_every_other_field(client, editor, campaign):
    client.force_login(editor)
    response = client.get(reverse("admin:submissions_campaign_change", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    fieldset = html.split("资格审查与推荐", 1)[1]
    for name in ("eligibility_items", "eligible_org_types", "uses_recommendation"):
        assert f'name="{name}"' in fieldset, name
    for name in ("title", "slug", "call_text", "opens_at_0", "mailbox", "blind_review", "conflict_same_city"):
        assert f'name="{name}"' in html.split("资格审查与推荐", 1)[0], name


def test_the_bodies_list_shows_each_bodys_progress_in_bounded_queries(client, editor, campaign, body, other_body, member, entry):
    services.check(entry, actor=member, results=passed(entry))
    services.recommend(entry, actor=member, opinion="同意推荐。")
    submitted(campaign, body.regions.get(), org_name="历城区示范社区党委", brand_name="红色家园")
    client.force_login(editor)
    url = reverse("admin:submissions_recommendingbody_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    html = response.content.decode()
    row = html.split("济南市委组织部", 1)[1].split("</tr>", 1)[0]
    cells = [cell.split(">", 1)[1].split("<", 1)[0] for cell in row.split("<td")[1:]]
    assert cells[-4:] == ["2", "2", "1", "1"]  # quota 2, received 2, checked 1, recommended 1
    other_row = html.split("青岛市委组织部", 1)[1].split("</tr>", 1)[0]
    assert [cell.split(">", 1)[1].split("<", 1)[0] for cell in other_row.split("<td")[1:]][-4:] == ["2", "0", "0", "0"]
    for number in range(8):  # more bodies of the same campaign: not one more query
        RecommendingBody.objects.create(campaign=campaign, name=f"省直示范单位{number}", quota=1)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_bodys_accounts_are_chosen_among_the_body_role(client, editor, body, member):
    client.force_login(editor)
    html = client.get(reverse("admin:submissions_recommendingbody_change", args=[body.pk])).content.decode()
    members = html.split('name="members"', 1)[1].split("</select>", 1)[0]
    offered = {int(value.split('"', 1)[0]) for value in members.split('value="')[1:]}
    assert offered == {member.pk}  # not the editor, nor any other account without the role
    assert 'id="id_regions"' in html and "SelectFilter" in html  # filter_horizontal


def test_checks_and_recommendations_read_only_for_editors_and_hidden_from_reviewers(client, editor, reviewer, member, entry):
    failed = services.check(entry, actor=member, results=passed(entry, consent="未同意公开发表。"))
    workflow.transition(entry, S.RESUBMITTED, actor=workflow.SUBMITTER)
    services.check(entry, actor=member, results=passed(entry))
    recommendation = services.recommend(entry, actor=member, opinion="同意推荐，特色鲜明。")
    services.attach_scan(
        recommendation, SimpleUploadedFile("推荐表.pdf", b"%PDF-1.4\n% stamped\n", content_type="application/pdf")
    )
    for name, obj, shown in (
        ("eligibilitycheck", failed, "未同意公开发表。"),
        ("recommendation", recommendation, "同意推荐，特色鲜明。"),
    ):
        client.force_login(editor)
        response = client.get(reverse(f"admin:submissions_{name}_changelist"))
        assert response.status_code == 200 and entry.reference in response.content.decode()
        assert reverse(f"admin:submissions_{name}_add") not in response.content.decode()
        detail = client.get(reverse(f"admin:submissions_{name}_change", args=[obj.pk])).content.decode()
        assert shown in detail and 'name="_save"' not in detail
        client.force_login(reviewer)
        assert client.get(reverse(f"admin:submissions_{name}_changelist")).status_code == 403
    client.force_login(editor)
    detail = client.get(reverse("admin:submissions_recommendation_change", args=[recommendation.pk])).content.decode()
    assert reverse("recommend:scan", args=[entry.pk]) in detail and recommendation.scan.name not in detail  # never the media path


# --- the entry's panel


@pytest.mark.parametrize("who", ["editor", "chief"])
def test_a_submitted_entry_shows_its_body_and_the_way_to_its_check(client, who, request, entry):
    client.force_login(request.getfixturevalue(who))
    html = panel(page(client, entry))
    assert "济南市委组织部" in html and "尚未审查" in html and "待推荐" in html
    assert f'href="{reverse("recommend:entry", args=[entry.pk])}"' in html  # 资格审查, in the workspace
    assert reverse("admin:submissions_submission_body", args=[entry.pk]) in html  # the body may be corrected


def test_a_failed_check_shows_each_failed_item_with_its_reason_and_the_earlier_checks(client, editor, member, entry):
    services.check(entry, actor=member, results=passed(entry, consent="报送单位未勾选同意公开发表。"))
    entry.refresh_from_db()
    assert entry.status == S.RETURNED
    client.force_login(editor)
    html = panel(page(client, entry))
    assert "未通过" in html and "同意公开发表" in html and "报送单位未勾选同意公开发表。" in html
    assert str(member) in html  # who checked it
    assert 'href="/recommend/' not in html  # back with the submitter: nothing to check now


def test_a_recommended_entry_shows_the_opinion_who_when_and_the_stamped_form(client, editor, chief, member, entry):
    services.check(entry, actor=member, results=passed(entry))
    recommendation = services.recommend(entry, actor=member, opinion="该品牌特色鲜明，同意推荐。")
    client.force_login(chief)
    html = panel(page(client, entry))
    assert "已推荐" in html and "该品牌特色鲜明，同意推荐。" in html and str(member) in html and "通过" in html
    assert "盖章推荐表尚未上传" in html and reverse("recommend:scan", args=[entry.pk]) not in html
    assert reverse("admin:submissions_submission_body", args=[entry.pk]) not in html  # recommended: the body stays
    services.attach_scan(
        recommendation, SimpleUploadedFile("推荐表.pdf", b"%PDF-1.4\n% stamped\n", content_type="application/pdf")
    )
    client.force_login(editor)
    html = panel(page(client, entry))
    assert f'href="{reverse("recommend:scan", args=[entry.pk])}"' in html


def test_a_body_that_refuses_shows_its_reason(client, editor, member, entry):
    services.check(entry, actor=member, results=passed(entry))
    services.decline(entry, actor=member, reason="名额已优先推荐其他品牌。")
    client.force_login(editor)
    html = panel(page(client, entry))
    assert "不予推荐" in html and "名额已优先推荐其他品牌。" in html


def test_no_panel_where_the_campaign_does_not_screen(client, editor, campaign, entry):
    campaign.eligibility_items, campaign.uses_recommendation = [], False
    campaign.save()
    client.force_login(editor)
    assert panel(page(client, entry)) == ""


def test_an_eligibility_campaign_shows_the_check_without_a_body(client, editor, campaign, entry):
    campaign.uses_recommendation = False
    campaign.save()
    client.force_login(editor)
    html = panel(page(client, entry))
    assert "资格审查" in html and "推荐单位" not in html and "待推荐" not in html
    assert f'href="{reverse("recommend:entry", args=[entry.pk])}"' in html


def test_the_panel_costs_at_most_four_queries(client, editor, member, entry, campaign):
    services.check(entry, actor=member, results=passed(entry, kind="类别不符。"), outcome=services.DECLINE)
    client.force_login(editor)
    page(client, entry)  # warm the caches every page shares

    def counted():
        with CaptureQueriesContext(connection) as queries:
            html = page(client, entry)
        return len(queries), html

    with_panel, html = counted()
    assert "类别不符。" in panel(html)
    campaign.eligibility_items, campaign.uses_recommendation = [], False
    campaign.save()
    without, html = counted()
    assert panel(html) == ""
    assert with_panel - without <= 4 and with_panel <= 45  # 45: any entry's page (tests/review/test_admin_entries.py)


# --- the editors' correction of the body


def test_an_editor_puts_the_entry_with_another_body(client, editor, entry, other_body):
    client.force_login(editor)
    url = reverse("admin:submissions_submission_body", args=[entry.pk])
    response = client.post(url, {"body": other_body.pk}, follow=True)
    entry.refresh_from_db()
    assert entry.body == other_body and "青岛市委组织部" in response.content.decode()
    client.post(url, {"body": ""})
    entry.refresh_from_db()
    assert entry.body is None
    assert "没有对应的推荐单位" in panel(page(client, entry))


@pytest.mark.parametrize("value", ["abc", "999999", "1 OR 1=1", "x" * 5000])
def test_a_hostile_body_is_refused_with_a_message_and_nothing_changes(client, editor, entry, body, value):
    client.force_login(editor)
    response = client.post(reverse("admin:submissions_submission_body", args=[entry.pk]), {"body": value}, follow=True)
    assert response.status_code == 200 and "请从列表中选择推荐单位" in response.content.decode()
    entry.refresh_from_db()
    assert entry.body == body


def test_another_campaigns_body_and_a_recommended_entry_are_refused(client, editor, member, entry, body):
    elsewhere = RecommendingBody.objects.create(campaign=CampaignFactory(slug="elsewhere"), name="外省示范单位")
    client.force_login(editor)
    url = reverse("admin:submissions_submission_body", args=[entry.pk])
    client.post(url, {"body": elsewhere.pk})
    entry.refresh_from_db()
    assert entry.body == body
    services.check(entry, actor=member, results=passed(entry))
    services.recommend(entry, actor=member, opinion="同意推荐。")
    response = client.post(url, {"body": ""}, follow=True)
    entry.refresh_from_db()
    assert entry.body == body and "已被推荐" in response.content.decode()


def test_only_who_runs_the_workflow_corrects_the_body(client, reviewer, member, entry, other_body):
    url = reverse("admin:submissions_submission_body", args=[entry.pk])
    client.force_login(reviewer)
    assert client.post(url, {"body": other_body.pk}).status_code == 403
    client.force_login(member)  # a body's account: not staff, to the admin's login
    response = client.post(url, {"body": other_body.pk})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    entry.refresh_from_db()
    assert entry.body.name == "济南市委组织部"


# --- who does not get the panel


def test_a_reviewer_sees_none_of_it(client, reviewer, member, entry):
    services.check(entry, actor=member, results=passed(entry))
    services.recommend(entry, actor=member, opinion="机密的推荐意见甲乙丙。")
    workflow.transition(entry, S.FIRST_REVIEW, actor=make_user("editor", username="panel-editor"))
    assign(entry, reviewer, Stage.FIRST)
    client.force_login(reviewer)
    response = client.get(change_url(entry), follow=True)
    assert response.status_code == 200 and "score-page" in response.content.decode()
    html = response.content.decode()
    for hidden in ("资格审查与推荐", "机密的推荐意见甲乙丙。", "济南市委组织部", str(member), 'id="screening"'):
        assert hidden not in html, hidden


def test_a_bodys_account_cannot_enter_the_admin(client, member, entry):
    assert not member.is_staff
    client.force_login(member)
    for url in (reverse("admin:index"), change_url(entry), reverse("admin:submissions_recommendingbody_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), url


def test_the_checklist_labels_come_from_the_catalogue(client, editor, member, entry):
    services.check(entry, actor=member, results=passed(entry, not_duplicate="去年已发表。"))
    client.force_login(editor)
    html = panel(page(client, entry))
    assert str(dict(EligibilityItem.choices)[EligibilityItem.NOT_DUPLICATE]) in html and "去年已发表。" in html


# --- in real Chromium


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1280])
def test_the_panel_the_card_and_the_tracking_page_have_no_serious_violations(browser, live_server, width):
    campaign = screening_campaign()
    member = body_account()
    entry = submitted(campaign, RecommendingBody.objects.get(campaign=campaign).regions.get(), brand_name="泉城先锋")
    services.check(entry, actor=member, results=passed(entry, consent="未同意公开发表。"))
    workflow.transition(entry, S.RESUBMITTED, actor=workflow.SUBMITTER)
    services.check(entry, actor=member, results=passed(entry))
    services.recommend(entry, actor=member, opinion="特色鲜明，同意推荐。")
    waiting = submitted(campaign, entry.region, org_name="历城区示范社区党委", brand_name="红色家园")
    make_user("editor", username="editor")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    found = {}
    pages = {
        "tracking": f"/track/{entry.tracking_token}/",
        "entry (recommended)": f"/admin/submissions/submission/{entry.pk}/change/",
        "entry (waiting, body form)": f"/admin/submissions/submission/{waiting.pk}/change/",
        "dashboard": "/admin/dashboard/",
        "bodies": "/admin/submissions/recommendingbody/",
    }
    login(page, live_server.url, "editor")
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert page.locator("#screening, [data-screening], .body-progress, #result_list").count() >= 1, name
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    context.close()
    assert found == {}, found
