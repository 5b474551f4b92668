"""The world and the repeated browser steps of the campaign walk (tests/browser/test_campaign_walk.py).

The world is made the way the portal makes it (factories through the domain functions); the
steps a person takes are driven in Chromium. What the portal's own clock or worker does (the
counter's minute, the notice's close) is called by the test where it happens.
"""

import io
import re
import threading
from datetime import timedelta

from django.db import connections
from django.utils import timezone
from docx import Document
from PIL import Image

from submissions import workflow
from submissions.models import EligibilityItem, RecommendingBody, Status, VoteSettings
from submissions.recommend import services as screening
from submissions.vote import services as votes
from submissions.vote import sms
from submissions.workflow import roles
from tests.conftest import PageWatch
from tests.factories import PASSWORD, CampaignFactory, RegionFactory, SubmissionFactory, add_photo, assign, make_user, review
from tests.vote.helpers import fingerprint, voter

S = Status
BODY = "济南市委组织部"
OPINION = "该党支部党建品牌特色鲜明、成效显著，同意推荐。"
VOTERS = 4  # phones confirmed in the browser, all from the live server's one network


def campaign_world():
    """The campaign (all five eligibility items, recommendation, a vote weighted 30%), its body with
    one account (not staff), an editor, a reviewer, and the regions 济南 and 青岛."""
    jinan = RegionFactory()
    RegionFactory(code="qingdao", name="青岛")
    campaign = CampaignFactory(
        slug="brand-2026",
        title="2026年度全省优秀党建品牌征集",
        eligibility_items=list(EligibilityItem.values),
        uses_recommendation=True,
    )
    body = RecommendingBody.objects.create(campaign=campaign, name=BODY, quota=2)
    body.regions.add(jinan)
    account = make_user(roles.RECOMMENDER, username="jinan-zzb", first_name="济南市委组织部联络员")
    assert not account.is_staff  # the body's workspace only, never the admin
    body.members.add(account)
    now = timezone.now()
    vote = VoteSettings.objects.create(
        campaign=campaign,
        enabled=True,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
        weight=30,
        daily_cap=10,
    )
    return {
        "campaign": campaign,
        "body": body,
        "account": account,
        "vote": vote,
        "editor": make_user(roles.EDITOR, username="editor", first_name="王编辑"),
        "reviewer": make_user(roles.REVIEWER, username="reviewer", first_name="赵专家"),
    }


def second_entry(world):
    """Another 济南 entry, screened, recommended and reviewed through the domain functions up to the
    shortlist (the one an objection will take off the notice)."""
    campaign, account, editor, reviewer = (world[k] for k in ("campaign", "account", "editor", "reviewer"))
    entry = SubmissionFactory(campaign=campaign, org_name="济南市槐荫区某社区党委", brand_name="红色管家", to=S.SUBMITTED)
    add_photo(entry)
    entry.refresh_from_db()
    screening.check(entry, actor=account, results={item: (True, "") for item in campaign.eligibility_items})
    screening.recommend(entry, actor=account, opinion="同意推荐。")
    workflow.transition(entry, S.FIRST_REVIEW, actor=editor)
    assign(entry, reviewer)
    review(entry, reviewer, scores={criterion.name: 7 for criterion in campaign.criteria.all()})
    for step in (S.SECOND_REVIEW, S.SHORTLISTED):
        workflow.transition(entry, step, actor=editor)
    return entry


def usual_votes(world, entries, counts):
    """The usual before the burst: people from networks of their own, two hours ago (counted)."""
    earlier = timezone.now() - timedelta(hours=2)
    n = 0
    for entry, count in zip(entries, counts, strict=True):
        for _ in range(count):
            n += 1
            votes.cast(world["campaign"], entry, voter(9000 + n), fingerprint(f"203.0.{n}.9"), at=earlier)


def recommend_in_workspace(page, base, world, entry, elsewhere):
    """The body's account logs in to its workspace, checks the entry's eligibility (all passed) and
    recommends it; downloads the 推荐表 and uploads the stamped scan. Returns the .docx's text."""
    body = world["body"]
    page.context.clear_cookies()
    page.goto(f"{base}/recommend/")
    page.wait_for_selector("[data-login-form]")
    page.fill("#id_username", world["account"].username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/recommend/")
    progress = page.locator(f"section[data-body='{body.pk}']")
    seen = [progress.locator(f"[data-{part}]").inner_text() for part in ("received", "checked", "recommended", "left")]
    assert seen == ["2", "1", "1 / 2", "1"]  # the second entry was recommended earlier
    assert elsewhere.org_name not in page.locator("main").inner_text()  # another area's entry
    assert page.request.get(f"{base}/recommend/{elsewhere.pk}/").status == 404
    page.locator(f"li[data-entry='{entry.pk}']").get_by_role("link").click()
    page.wait_for_selector("[data-check-form]")
    assert page.locator("[data-check-form] fieldset[data-item]").count() == len(EligibilityItem.values)
    assert page.locator("[data-check-form] input[value=yes]:checked").count() == len(EligibilityItem.values)
    page.get_by_role("button", name="提交资格审查结果").click()
    page.wait_for_selector("[data-recommend-form]")
    assert "资格审查已通过。" in page.locator("main").inner_text()
    assert page.locator("[data-status]").inner_text() == "资格审查通过"
    page.fill("[data-recommend-form] #id_opinion", OPINION)
    page.locator("[data-recommend-form]").get_by_role("button", name="推荐").click()
    page.wait_for_selector("[data-recommendation]")
    assert "已推荐。请下载推荐表，盖章后扫描上传。" in page.locator("main").inner_text()
    assert page.locator("[data-status]").inner_text() == "已推荐"
    assert page.locator("[data-opinion]").inner_text() == OPINION
    with page.expect_download() as download:
        page.locator("[data-form-download]").click()
    form = Document(download.value.path())
    text = "\n".join([p.text for p in form.paragraphs] + [c.text for t in form.tables for r in t.rows for c in r.cells])
    page.set_input_files("#id_scan", files=[scan_pdf()])
    page.locator("[data-scan-form]").get_by_role("button", name="上传").click()
    page.wait_for_selector("[data-scan-present]")
    assert "盖章推荐表已上传。" in page.locator("main").inner_text()
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(f"{base}/recommend/login/")
    return text, download.value.url


def scan_pdf():
    """The printed form, stamped and scanned: a one-page PDF of an image."""
    buffer = io.BytesIO()
    Image.new("RGB", (620, 877), (250, 250, 245)).save(buffer, "PDF", resolution=75.0)
    return {"name": "推荐表（盖章）.pdf", "mimeType": "application/pdf", "buffer": buffer.getvalue()}


def off_the_loop(func, *args):
    """Call `func` in a thread of its own, as the worker process would: the browser's event loop runs
    in this thread, and the PDF's signing and validation run their own. The thread opens its own
    connection (the test database, in-memory SQLite's shared cache included) and closes it."""
    outcome = {}

    def run():
        try:
            outcome["value"] = func(*args)
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def history(entry):
    """The entry's steps as (from, to, the actor's role)."""
    return list(entry.history.order_by("created_at", "pk").values_list("from_status", "to_status", "actor_role"))


def admin_entry(page, base, entry):
    page.goto(f"{base}/admin/submissions/submission/{entry.pk}/change/")
    page.wait_for_selector(".entry-workflow")


def press(page, name):
    """Press a button of an admin page and wait for the page it leads to."""
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def run_action(page, action, values):
    """Tick the rows `values` of an admin list, run `action` and return the messages."""
    for value in values:
        page.locator(f"input[name=_selected_action][value='{value}']").check()
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    return page.locator(".messagelist").inner_text()


def confirm_and_vote(browser, base, slug, phone, entry):
    """One person on a phone: confirms the number by the code texted to it, votes for `entry`;
    returns what the board then says to them, and their page (closed by the caller)."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.watch = PageWatch(page)
    page.goto(f"{base}/vote/{slug}/")
    page.get_by_role("link", name="验证手机号后投票").click()
    page.fill("#id_phone", phone)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_selector("[data-vote-code]")
    text = next(message.text for message in reversed(sms.outbox) if message.phone == phone)
    page.fill("[data-vote-code] #id_code", re.search(r"\d{6}", text).group())
    page.get_by_role("button", name="验证", exact=True).click()
    page.wait_for_url(f"{base}/vote/{slug}/")
    assert f"已验证手机号：尾号 {phone[-4:]}" in page.locator("[data-state=voter]").inner_text()
    page.locator(f"li[data-entry='{entry.pk}']").get_by_role("button", name="投票").click()
    page.wait_for_url(f"{base}/vote/{slug}/")
    return page, page.locator("main").inner_text()


def board_votes(page, entry):
    return page.locator(f"li[data-entry='{entry.pk}'] [data-votes]").inner_text()


def png_file(name="证据截图.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (180, 40, 40)).save(buffer, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buffer.getvalue()}


def object_to(page, base, slug, entry, facts, name):
    """A person objects through the public form, with an evidence image; returns the receipt's text."""
    page.goto(f"{base}/notice/{slug}/")
    page.get_by_role("link", name="在线提出异议").click()
    page.wait_for_selector("[data-objection-form]")
    label = page.locator("#id_item option", has_text=entry.org_name).inner_text()
    page.select_option("#id_item", label=label)
    page.fill("#id_name", name)
    page.fill("#id_unit", "某市某区机关工委")
    page.fill("#id_phone", "13900001111")
    page.fill("#id_email", "objector@example.com")
    page.fill("#id_facts", facts)
    page.set_input_files("#id_evidence", files=[png_file()])
    page.check("#id_pledge")
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_selector("[data-receipt]")
    return page.locator("main").inner_text()


def answer_objection(page, base, objection, action, reason):
    """The editor takes the objection from the admin and answers it (`action`: the button's name)."""
    page.goto(f"{base}/admin/submissions/objection/{objection.pk}/change/")
    page.get_by_role("link", name="办理…").click()
    press(page, "接办并开始核查")
    assert "已接办" in page.locator(".messagelist").inner_text()
    page.fill("#id_reason", reason)
    press(page, action)
    return page.locator(".messagelist").inner_text()
