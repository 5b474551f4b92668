"""The whole publishing loop in real Chromium: an editor makes the article from an accepted entry,
a chief editor signs it off and publishes it, a reader on a phone finds it, reads it and comments,
and the comment appears once an editor approves it."""

import re

import pytest

from submissions.models import Comment, Showcase, Status
from tests.browser.admin import login
from tests.factories import add_photo, make_user, submission_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_entry_to_reader_comment(desktop_page, phone_page, live_server, settings):
    settings.FORM_MIN_SECONDS = 0
    base = live_server.url
    make_user("editor", username="editor", first_name="王编辑")
    make_user("chief", username="chief", first_name="李签审")
    entry = submission_in(Status.ACCEPTED, org_name="海滨示范渔港社区党支部", brand_name="渔港灯塔")
    add_photo(entry, caption="党员志愿者走访渔户")

    # The editor makes the article from the accepted entry.
    admin = desktop_page
    login(admin, base, "editor")
    admin.goto(f"{base}/admin/submissions/showcase/")
    admin.get_by_role("link", name="从采用作品创建文章").click()
    admin.locator("tr", has_text=entry.org_name).get_by_role("link", name="生成文章").click()
    assert admin.input_value("#id_short_name") == "海滨示范渔港社区"
    admin.fill("#id_short_name", "渔港社区")
    admin.fill("#id_reporters", "王晓 刘洋")
    admin.fill("#id_correspondents", "周明")
    admin.get_by_role("button", name="生成文章初稿").click()
    admin.wait_for_url(re.compile(r"/admin/submissions/showcase/\d+/change/$"))
    assert admin.input_value("#id_title") == "优秀党建品牌巡展|渔港社区打造“渔港灯塔”特色党建品牌"
    admin.fill("#id_expert_commentary", "扎根渔港，服务渔民，值得推广。")
    admin.locator("input[name=_continue]").click()
    admin.wait_for_load_state()
    admin.get_by_role("button", name="提交签审").click()
    admin.wait_for_load_state()
    assert "已提交签审，等待另一位签审编辑签审" in admin.content()
    article = Showcase.objects.get(submission=entry)

    # The chief editor signs it off and publishes it.
    login(admin, base, "chief")
    admin.goto(f"{base}/admin/submissions/showcase/{article.pk}/change/")
    admin.get_by_role("button", name="签审通过").click()
    admin.wait_for_load_state()
    admin.get_by_role("button", name="立即发布").click()
    admin.wait_for_load_state()
    assert "已发布" in admin.locator(".showcase-workflow").inner_text()
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED

    # A reader on a phone finds it in the column, reads it and comments.
    reader = phone_page
    reader.goto(f"{base}/showcase/")
    reader.fill("#id_q", "渔港灯塔")
    reader.get_by_role("button", name="筛选").click()
    reader.get_by_role("link", name=re.compile("渔港社区打造")).click()
    reader.wait_for_load_state("networkidle")
    body = reader.locator("article").inner_text()
    for part in [
        "大众日报记者 王晓 刘洋",
        "编者按",
        "专家点评",
        "党员志愿者走访渔户",
        "责任编辑: 王编辑",
        "签审: 李签审",
        "通讯员 周明",
    ]:
        assert part in body, part
    assert reader.locator(".article-figure img").evaluate("img => img.naturalWidth") > 0
    assert reader.evaluate("document.documentElement.scrollWidth") <= 375
    trap = reader.locator("div.portal-trap").bounding_box()  # the honeypot is out of a reader's sight
    assert trap is None or trap["x"] + trap["width"] <= 0
    # The page is the one every reader shares: the form fetches this reader's token when they write.
    assert reader.locator("form[data-form-token] input[name=csrfmiddlewaretoken]").input_value() == ""
    reader.fill("#id_name", "渔民老张")
    reader.fill("#id_body", "灯塔亮了，心里也亮了。")
    reader.get_by_role("button", name="提交评论").click()
    reader.wait_for_load_state()
    assert "审核通过后将显示" in reader.content()
    assert "灯塔亮了" not in reader.locator("#comments").inner_text()

    # An editor approves it; the reader sees it on reload.
    admin.goto(f"{base}/admin/submissions/comment/")
    admin.locator("input[name=_selected_action]").first.check()
    admin.select_option("select[name=action]", "approve")
    admin.locator("button[name=index]").click()
    admin.wait_for_load_state()
    assert Comment.objects.get().state == Comment.State.APPROVED
    reader.reload()
    assert "灯塔亮了，心里也亮了。" in reader.locator("#comments").inner_text()
    assert admin.watch.errors == [], admin.watch.errors
    assert reader.watch.errors == [], reader.watch.errors
