"""The editors' day in real Chromium: triage, return with a message, shortlist; a reviewer scores."""

import pytest

from submissions.models import Review, Stage, Status, Submission
from tests.browser.admin import login
from tests.factories import add_photo, assign, make_user, submission_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Status
ENTRIES = "/admin/submissions/submission/"


def open_entry(page, entry):
    page.get_by_role("link", name=entry.reference).click()
    page.wait_for_selector(".entry-workflow")


def test_editor_triages_returns_and_shortlists(desktop_page, live_server):
    page = desktop_page
    make_user("editor", username="editor")
    fresh = submission_in(S.SUBMITTED, brand_name="零距离")
    add_photo(fresh, caption="主题党日")
    to_return = submission_in(S.FIRST_REVIEW, brand_name="红帆领航")
    to_shortlist = submission_in(S.SECOND_REVIEW, brand_name="田埂课堂")
    login(page, live_server.url, "editor", ENTRIES)
    assert page.locator("img.entry-thumb").count() == 1

    open_entry(page, fresh)
    assert page.get_by_text("主题党日").first.is_visible()
    page.get_by_role("button", name="办理为“初审中”").click()
    page.wait_for_selector(".messagelist .success")
    assert "初审中" in page.locator(".entry-status").inner_text()

    page.goto(f"{live_server.url}/admin/submissions/submission/")
    open_entry(page, to_return)
    page.get_by_text("退回修改…").click()  # a secondary step: its message box opens on demand
    page.fill(f"#msg-{S.RETURNED}", "请补充近三年的具体数据和活动照片。")
    page.get_by_role("button", name="确认办理为“退回修改”").click()
    page.wait_for_selector(".messagelist .success")
    assert "请补充近三年的具体数据和活动照片。" in page.locator(".entry-panel").filter(has_text="办理记录").inner_text()

    page.goto(f"{live_server.url}/admin/submissions/submission/")
    page.locator(f"input[name=_selected_action][value='{to_shortlist.pk}']").check()
    page.select_option("select[name=action]", "shortlist")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    assert "已将 1 件作品办理为“已入围”" in page.locator(".messagelist").inner_text()

    states = dict(Submission.objects.values_list("pk", "status"))
    assert states == {fresh.pk: S.FIRST_REVIEW, to_return.pk: S.RETURNED, to_shortlist.pk: S.SHORTLISTED}
    assert page.watch.errors == [], page.watch.errors


def test_reviewer_scores_an_assigned_entry(desktop_page, live_server):
    page = desktop_page
    reviewer = make_user("reviewer", username="reviewer")
    mine = submission_in(S.FIRST_REVIEW, brand_name="安全先锋")
    submission_in(S.FIRST_REVIEW, brand_name="别人的作品")
    assign(mine, reviewer, Stage.FIRST)
    login(page, live_server.url, "reviewer", ENTRIES)
    assert page.get_by_text("别人的作品").count() == 0
    page.get_by_role("link", name="下一篇未评作品").click()
    page.wait_for_selector(".score-page")
    for index, criterion in enumerate(mine.campaign.criteria.all()):
        page.fill(f"#id_c{criterion.pk}", str(7 + index % 3))
    page.fill("#id_comment", "做法扎实，具有推广价值。")
    page.get_by_role("button", name="提交评分").click()
    page.wait_for_selector(".messagelist .success")
    assert "做法扎实，具有推广价值。" in page.locator(".entry-panel").filter(has_text="评审意见").inner_text()
    review = Review.objects.get(submission=mine, reviewer=reviewer, stage=Stage.FIRST)
    assert review.total is not None and review.scores.count() == 4
    mine.refresh_from_db()
    assert mine.review_count == 1 and mine.score == review.total
    assert page.watch.errors == [], page.watch.errors
