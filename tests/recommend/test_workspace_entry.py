"""One entry in the workspace: what a body reads of it (never a reviewer's score, review or
assignment), the eligibility form (validated next to each field, nothing typed lost), the
recommendation within the quota, the decline, and the history each step leaves."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions import workflow
from submissions.models import EligibilityCheck, Photo, Recommendation, Stage, Status
from submissions.platform import images
from submissions.recommend import services
from tests.factories import add_attachment, add_photo, assign, jpeg_upload, make_user, review
from tests.recommend.conftest import all_passed, submitted

pytestmark = pytest.mark.django_db


def url(name, entry):
    return reverse(f"recommend:{name}", args=[entry.pk])


def passed(entry):
    return {item: (True, "") for item in entry.campaign.eligibility_items}


def text(response):
    return response.content.decode()


def test_the_entry_reads_whole_with_its_photos_served_to_the_body(client, member, entry, other_entry):
    add_attachment(entry, name="申报材料.pdf")
    client.force_login(member)
    page = text(client.get(url("entry", entry)))
    for shown in ("历下区示范街道党工委", "示范公司党委", "泉城先锋", "服务零距离", "张三", "13800138000", "党员与群众心连心。", "做法1",
                  "先后获得全省先进基层党组织称号。", "走访群众", "申报材料.pdf", "济南市委组织部"):  # fmt: skip
        assert shown in page, shown
    photo = entry.photos.get()
    assert photo.thumbnail.url in page
    assert client.get(photo.thumbnail.url).status_code == 200  # the protected media view lets the body see it
    assert client.get(entry.attachments.get().file.url).status_code == 200
    # Not another area's files, by their stored names.
    assert client.get(other_entry.photos.get().thumbnail.url).status_code == 404
    other_file = add_attachment(other_entry, name="青岛材料.pdf")
    assert client.get(other_file.file.url).status_code == 404


def test_a_body_never_sees_reviewers_scores_reviews_or_assignments(client, member, entry, reviewer):
    services.check(entry, actor=member, results=passed(entry))
    services.recommend(entry, actor=member, opinion="同意推荐。")
    workflow.transition(entry, Status.FIRST_REVIEW, actor=make_user("editor", username="ws-editor"))
    assign(entry, reviewer, Stage.FIRST)
    review(entry, reviewer, scores={"创新性": 7, "实效性": 9, "示范性": 6, "可推广性": 7}, comment="评语：机密的专家意见甲乙丙")
    entry.refresh_from_db()
    assert entry.score is not None
    client.force_login(member)
    pages = [client.get(url("entry", entry)), client.get(reverse("recommend:index")), client.get(url("form", entry))]
    for response in pages:
        assert response.status_code == 200
    html = text(pages[0]) + text(pages[1])
    for secret in (
        "机密的专家意见甲乙丙",
        "创新性",
        "实效性",
        "示范性",
        "可推广性",
        str(entry.score),
        reviewer.username,
        "评分",
        "专家",
    ):
        assert secret not in html, secret
    assert "初审中" in html  # its status, and nothing of its review
    assert "机密的专家意见甲乙丙".encode() not in pages[2].content


def test_the_eligibility_form_is_preselected_from_the_automatic_check(client, member, campaign, jinan, body):
    no_consent = submitted(campaign, jinan, org_name="槐荫区党支部", brand_name="未同意", consent=False)
    client.force_login(member)
    page = text(client.get(url("entry", no_consent)))
    assert "报送单位未同意公开发表。" in page  # the suggestion's reason, shown and put in the reason field
    assert 'name="passed_consent" value="no" class="form-check-input" id="id_passed_consent_1" required checked' in page
    assert 'name="passed_kind" value="yes" class="form-check-input" id="id_passed_kind_0" required checked' in page


def test_a_failed_item_without_a_reason_is_refused_next_to_it_and_nothing_typed_is_lost(client, member, entry):
    client.force_login(member)
    data = {**all_passed(entry), "passed_complete": "no", "reason_complete": "", "passed_consent": "no",
            "reason_consent": "盖章的同意书未上传", "outcome": "return"}  # fmt: skip
    response = client.post(url("check", entry), data)
    assert response.status_code == 400
    page = text(response)
    assert "“申报材料齐全”未通过，请写明原因。" in page
    at = page.index('id="id_reason_complete"')
    assert "is-invalid" in page[page.rindex("<textarea", 0, at) : at]  # the message is next to its field
    assert "盖章的同意书未上传" in page  # what was typed is kept
    assert 'name="passed_complete" value="no" class="form-check-input" id="id_passed_complete_1" required checked' in page
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED and not EligibilityCheck.objects.exists()


def test_a_failure_needs_an_outcome(client, member, entry):
    client.force_login(member)
    data = {**all_passed(entry), "passed_consent": "no", "reason_consent": "未同意"}
    response = client.post(url("check", entry), data)
    assert response.status_code == 400 and "请选择退回修改或不予采用" in text(response)
    assert not EligibilityCheck.objects.exists()


def test_bad_values_are_refused_on_the_form_never_a_server_error(client, member, entry):
    client.force_login(member)
    for data in ({}, {"passed_kind": "maybe"}, {**all_passed(entry), "outcome": "explode"},
                 {**all_passed(entry), "passed_consent": "no", "reason_consent": "x" * 501, "outcome": "return"}):  # fmt: skip
        assert client.post(url("check", entry), data).status_code == 400, data
    assert not EligibilityCheck.objects.exists()


def test_all_passed_makes_it_eligible_recorded_as_the_bodys_step(client, member, entry):
    client.force_login(member)
    response = client.post(url("check", entry), all_passed(entry))
    assert response.status_code == 302 and response["Location"] == url("entry", entry)
    entry.refresh_from_db()
    assert entry.status == Status.ELIGIBLE
    step = entry.history.latest("created_at")
    assert (step.to_status, step.actor_id, step.actor_role) == (Status.ELIGIBLE, member.pk, "recommender")
    page = text(client.get(url("entry", entry)))
    assert "资格审查已通过" in page and "data-check-panel" not in page and "data-recommend-form" in page


@pytest.mark.parametrize(("outcome", "status"), [("return", Status.RETURNED), ("decline", Status.DECLINED)])
def test_a_failed_check_returns_or_declines_with_each_reason_for_the_submitter(client, member, entry, outcome, status):
    client.force_login(member)
    data = {**all_passed(entry), "passed_complete": "no", "reason_complete": "缺少近三年工作数据", "outcome": outcome}
    assert client.post(url("check", entry), data).status_code == 302
    entry.refresh_from_db()
    assert entry.status == status
    step = entry.history.latest("created_at")
    assert step.actor_role == "recommender" and "申报材料齐全：缺少近三年工作数据" in step.message
    page = text(client.get(url("entry", entry)))
    assert "缺少近三年工作数据" in page and "data-failure" in page  # in its history of checks


def test_recommending_within_the_quota_and_the_refusal_when_it_is_used_up(client, member, campaign, jinan, body, entry):
    body.quota = 1
    body.save()
    client.force_login(member)
    services.check(entry, actor=member, results=passed(entry))
    page = text(client.get(url("entry", entry)))
    assert "已推荐 0 / 名额 1" in page
    assert client.post(url("recommend", entry), {"opinion": ""}).status_code == 400
    too_long = client.post(url("recommend", entry), {"opinion": "长" * 1001})
    assert too_long.status_code == 400 and "长" * 1001 in text(too_long)
    assert client.post(url("recommend", entry), {"opinion": "该品牌特色鲜明，同意推荐。"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.RECOMMENDED
    assert Recommendation.objects.get().opinion == "该品牌特色鲜明，同意推荐。"
    step = entry.history.latest("created_at")
    assert (step.actor_role, step.message) == ("recommender", "该品牌特色鲜明，同意推荐。")
    second = submitted(campaign, jinan, org_name="章丘区党委", brand_name="第二件")
    services.check(second, actor=member, results=passed(second))
    page = text(client.get(url("entry", second)))
    assert "已推荐 1 / 名额 1" in page and "推荐名额（1 个）已用完" in page and "data-quota-refused" in page
    refused = client.post(url("recommend", second), {"opinion": "也想推荐这一件。"})
    assert refused.status_code == 400
    assert "推荐名额（1 个）已用完" in text(refused) and "也想推荐这一件。" in text(refused)
    second.refresh_from_db()
    assert second.status == Status.ELIGIBLE and Recommendation.objects.count() == 1


def test_declining_to_recommend_needs_its_reason(client, member, entry):
    services.check(entry, actor=member, results=passed(entry))
    client.force_login(member)
    assert "data-decline-form" in text(client.get(url("entry", entry)))
    empty = client.post(url("decline", entry), {"reason": "  "})
    assert empty.status_code == 400 and "请写明不予推荐的原因" in text(empty)
    assert client.post(url("decline", entry), {"reason": "与往年品牌重复度较高"}).status_code == 302
    entry.refresh_from_db()
    step = entry.history.latest("created_at")
    assert entry.status == Status.DECLINED and step.actor_role == "recommender" and "与往年品牌重复度较高" in step.message


def test_a_form_posted_from_an_out_of_date_page_is_told_so(client, member, entry):
    client.force_login(member)
    services.check(entry, actor=member, results=passed(entry))  # someone else checked it meanwhile
    response = client.post(url("check", entry), all_passed(entry), follow=True)
    assert "状态已经变化" in text(response) and EligibilityCheck.objects.count() == 1


def test_an_editor_checks_but_does_not_recommend(client, entry):
    editor = make_user("editor", username="ws-editor")
    client.force_login(editor)
    assert "data-check-form" in text(client.get(url("entry", entry)))
    assert client.post(url("check", entry), all_passed(entry)).status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.ELIGIBLE and entry.history.latest("created_at").actor_role == "editor"
    page = text(client.get(url("entry", entry)))
    assert "data-recommend-form" not in page and "data-decline-form" not in page
    assert client.post(url("recommend", entry), {"opinion": "编辑代为推荐"}, follow=True).status_code == 200
    assert not Recommendation.objects.exists()


def test_the_entry_page_costs_the_same_queries_however_much_it_holds(client, member, entry):
    client.force_login(member)
    client.get(url("entry", entry))  # the site's settings, cached once for every page
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("entry", entry)).status_code == 200
    for n in range(4):
        add_photo(entry, caption=f"照片{n}", order=n + 1)
        add_attachment(entry, name=f"材料{n}.pdf")
    for n in range(3):  # returned, resubmitted, checked again: a history of checks
        data = {
            item: (item != "consent", "" if item != "consent" else f"第{n}次未同意") for item in entry.campaign.eligibility_items
        }
        services.check(entry, actor=member, results=data)
        entry.refresh_from_db()
        workflow.transition(entry, Status.RESUBMITTED, actor=workflow.SUBMITTER)
        entry.refresh_from_db()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("entry", entry))
    assert "第2次未同意" in text(page)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert len(many) <= 30


def test_a_photo_staged_on_the_form_stays_the_editors_only(client, member, entry):
    """A photo of no entry yet (staged while its form is corrected): the permission of the kind, which a
    body's account holds too, must not open it."""
    staged = Photo(upload_key="staged-key", caption="暂存")
    images.save_photo(staged, jpeg_upload())
    staged.save()
    client.force_login(member)
    assert client.get(staged.thumbnail.url).status_code == 404
    client.force_login(make_user("editor", username="ws-editor"))
    assert client.get(staged.thumbnail.url).status_code == 200
