"""The admin fits a 1280 px screen: the entry list without sideways scrolling (long names, every
column), and the admin's index and sidebar in the order of the work."""

import os

import pytest

from submissions.models import Stage, Status
from submissions.review import scoring as reviews
from tests.browser.admin import login
from tests.factories import add_photo, assign, make_user, submission_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Status
ENTRIES = "/admin/submissions/submission/"
# The number of text lines in each matching cell (distinct tops of its text's boxes).
LINES = """selector => [...document.querySelectorAll(selector)].map(e => {
  const range = document.createRange(); range.selectNodeContents(e);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
})"""
# The number of lines of each matching element's own words (its text nodes only, not its boxes).
TEXT_LINES = """selector => [...document.querySelectorAll(selector)].map(e => {
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT), tops = new Set();
  while (walker.nextNode()) {
    if (!walker.currentNode.textContent.trim()) continue;
    const range = document.createRange(); range.selectNodeContents(walker.currentNode);
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
  }
  return tops.size;
})"""


def test_entry_list_fits_1280_px(desktop_page, live_server, tmp_path):
    page = desktop_page
    make_user("editor", username="editor", first_name="王编辑")
    expert = make_user("reviewer", username="fit-expert")
    for index, status in enumerate([S.FIRST_REVIEW, S.SECOND_REVIEW, S.RESUBMITTED, S.SHORTLISTED]):
        entry = submission_in(
            status,
            org_name=f"泉城示范高速公路股份有限公司东站第{index}收费站机关第三党支部",
            brand_name="服务零距离群众心连心",
            kind="experience",
        )
        add_photo(entry)
        assign(entry, expert, {S.SECOND_REVIEW: Stage.SECOND, S.SHORTLISTED: Stage.FINAL}.get(status, Stage.FIRST))
        if index == 0:
            reviews.save_review(entry, expert, Stage.FIRST, {c: 9 for c in entry.campaign.criteria.all()})
    login(page, live_server.url, "editor", ENTRIES)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    shot = os.environ.get("SCREENSHOT_DIR")
    page.screenshot(
        path=str((tmp_path if not shot else __import__("pathlib").Path(shot)) / "entry-list-1280.png"), full_page=True
    )
    print(f"entry list at 1280 px: scrollWidth {widths[0]} / clientWidth {widths[1]}")
    assert widths[0] <= widths[1], widths
    # The submitted time is on screen, not clipped by the list's own scrolling box (which a page
    # without a horizontal scrollbar can still hide it in), and references and statuses are not
    # broken mid-word.
    results = page.evaluate("(() => { const r = document.querySelector('.results'); return [r.scrollWidth, r.clientWidth]; })()")
    assert results[0] <= results[1], results
    last = page.locator("#result_list tbody tr").first.locator("td").last
    box, visible = last.bounding_box(), page.locator(".results").bounding_box()
    assert box["x"] + box["width"] <= min(1280, visible["x"] + visible["width"]) + 1, (box, visible)
    lines = page.evaluate(LINES, "#result_list tbody .field-reference, #result_list tbody .field-status")
    assert lines and set(lines) == {1}, lines
    # Each column heading on one line (not 加/权/平/均/分, one character a line).
    headings = page.evaluate(TEXT_LINES, "#result_list thead th .text")
    assert headings and max(headings) == 1, headings  # (the select-all column has no words)
    assert page.watch.errors == [], page.watch.errors


def test_index_in_the_order_of_the_work(desktop_page, live_server):
    page = desktop_page
    make_user("chief", username="chief", first_name="李签审")
    login(page, live_server.url, "chief", "/admin/")
    names = page.locator("#content-main .app-submissions th[scope=row] a").all_inner_texts()
    assert names == [
        "报送作品",
        "邮箱来稿",
        "推荐单位",
        "资格审查",
        "推荐记录",
        "评审分派",
        "评审意见",
        "评审专家回避信息",
        "网络投票设置",
        "投票记录",
        "公示",
        "异议",
        "融媒采访",
        "专家点评",
        "智库专家",
        "证书",
        "巡展文章",
        "视频",
        "读者评论",
        "征集活动",
        "地区",
        "站点设置",
        "通知模板",
        "发件箱",
        "导出任务",
    ]
    assert page.get_by_text("我的待办").is_visible()


def test_article_title_field_holds_a_34_character_headline(desktop_page, live_server):
    from tests.factories import ShowcaseFactory

    page = desktop_page
    make_user("editor", username="editor")
    article = ShowcaseFactory(title="优秀党建品牌巡展|泉城示范高速公司东站收费站打造“零距离”特色党建品牌")
    assert len(article.title) >= 34
    path = f"/admin/submissions/showcase/{article.pk}/change/"
    login(page, live_server.url, "editor", path)
    fits = page.evaluate("() => { const i = document.querySelector('#id_title'); return [i.scrollWidth, i.clientWidth]; }")
    assert fits[0] <= fits[1], fits  # the whole headline is visible
    summary = page.locator("#id_summary").bounding_box()
    assert summary["width"] >= 500
    assert page.watch.errors == [], page.watch.errors
