"""Issue 28's "done when": a whole campaign walked in real Chromium.

A submitter enters on a phone; the superior body checks eligibility and recommends the entry in
its workspace; editors and a reviewer take it through review in the admin; people vote on their
phones and a burst from one network is held until an editor decides; the 公示 is published, two
objections are filed through the public form (one upheld, one dismissed) and the notice closes;
an award is issued, rendered by the worker, downloaded, its signature checked and verified on the
public page. What the portal's own clock or worker does (the counter's minute, the notice's close
after its last working day, the worker rendering the PDF) is called where it happens.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from submissions import workflow
from submissions.models import Certificate, Objection, OutboxMessage, PublicNotice, Review, Submission, Vote
from submissions.notice import tasks as notice_tasks
from submissions.results import pdf, signing
from submissions.results import tasks as certificate_tasks
from submissions.vote import services as vote_services
from submissions.vote import sms
from submissions.workflow import public_notice
from tests.browser import campaign_steps as steps
from tests.browser.admin import login
from tests.browser.campaign_steps import S
from tests.browser.receipt import wait_for_receipt
from tests.browser.test_submit import fill_entry, photo_file
from tests.factories import RegionFactory, SubmissionFactory
from tests.notice.helpers import AFTER, DURING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ENTRIES = "/admin/submissions/submission/"
UPHELD = "经核查，该单位所列表彰文件不存在，异议成立。"
DISMISSED = "经核查，相关表彰文件属实，异议不成立。"


@pytest.fixture
def clock(monkeypatch):
    """The site's date for the notice (Beijing time): a Friday inside its period, in 2026, a year
    the working-day calendar knows; the test moves it on past the last working day."""
    today = {"date": DURING}
    monkeypatch.setattr(public_notice, "today", lambda: today["date"])
    return today


@pytest.fixture
def walk_settings(settings, live_server, signing, clock):
    """Forms posted at once are not too fast; texts kept in sms.outbox; a network's fourth vote in an
    hour is a burst; the certificate's QR code points at the live server."""
    settings.FORM_MIN_SECONDS = 0
    settings.SMS_BACKEND = "submissions.vote.sms.LocMemBackend"
    settings.VOTE_NETWORK_PER_HOUR = steps.VOTERS - 1
    settings.SITE_URL = live_server.url
    sms.outbox.clear()
    yield settings
    sms.outbox.clear()


def test_a_campaign_walked_from_entry_to_a_verified_certificate(
    browser, desktop_page, phone_page, live_server, walk_settings, clock
):
    base = live_server.url
    world = steps.campaign_world()
    campaign, body, editor = world["campaign"], world["body"], world["editor"]
    slug = campaign.slug
    elsewhere = SubmissionFactory(
        campaign=campaign, region=RegionFactory(code="qingdao"), org_name="青岛市某街道党工委", to=S.SUBMITTED
    )
    second = steps.second_entry(world)

    # 2. A submitter fills the public form on a phone and gets a receipt.
    person = phone_page
    person.goto(f"{base}/call/{slug}/submit/")
    fill_entry(person, phone="13812345678")
    for index in range(3):
        person.fill(f"#id_sections-{index}-heading", f"做法{index + 1}")
        person.fill(f"#id_sections-{index}-body", f"正文{index + 1}")
    person.set_input_files("#id_photos-0-image", files=[photo_file("a.jpg", (200, 30, 30))])
    person.fill("#id_photos-0-caption", "主题党日活动")
    person.check("#id_consent")
    person.click("button[value=submit]")
    wait_for_receipt(person)
    entry = Submission.objects.get(reference=person.locator("[data-reference]").inner_text())
    assert (entry.status, entry.body) == (S.SUBMITTED, body)  # its city's body has it
    assert person.evaluate("document.documentElement.scrollWidth") <= 375

    tracking = person.input_value("#tracking-url")

    # 3. The body checks eligibility and recommends it in its workspace; the 推荐表 is the entry's.
    form_text, form_url = steps.recommend_in_workspace(desktop_page, base, world, entry, elsewhere)
    assert entry.org_name in form_text and steps.OPINION in form_text
    assert entry.recommendation.scan.read().startswith(b"%PDF-")
    person.goto(tracking)  # the submitter sees who has the entry and what it decided
    screening = person.locator("[data-screening]").inner_text()
    assert steps.BODY in screening and "已推荐" in screening and steps.OPINION in screening

    # 4. The editor sends it to first review with the reviewer ticked; the reviewer scores it;
    # the editor takes it on to second review and the shortlist.
    admin = desktop_page
    login(admin, base, "editor", ENTRIES)
    steps.admin_entry(admin, base, entry)
    assert steps.OPINION in admin.locator(".entry-panel").filter(has_text="办理记录").inner_text()
    assert admin.locator(".wb-primary input[name=reviewers]:checked").count() == 1
    steps.press(admin, "办理为“初审中”")
    assert "初审中" in admin.locator(".entry-status").inner_text()
    assert "已分派给赵专家（初审）" in admin.locator(".messagelist").inner_text()

    login(admin, base, "reviewer", ENTRIES)
    assert admin.get_by_text("青岛市某街道党工委").count() == 0
    admin.get_by_role("link", name="下一篇未评作品").click()
    admin.wait_for_selector(".score-page")
    for index, criterion in enumerate(campaign.criteria.order_by("order")):
        admin.fill(f"#id_c{criterion.pk}", str(8 + index % 2))
    admin.fill("#id_comment", "品牌定位清晰，做法可复制。")
    steps.press(admin, "提交评分")
    assert "品牌定位清晰，做法可复制。" in admin.locator(".entry-panel").filter(has_text="评审意见").inner_text()
    assert Review.objects.get(submission=entry, reviewer=world["reviewer"]).total is not None

    login(admin, base, "editor", ENTRIES)
    steps.admin_entry(admin, base, entry)
    for box in admin.locator(".wb-primary input[name=reviewers]").all():
        box.uncheck()  # the first round's score is enough for this campaign
    steps.press(admin, "办理为“复审中”")
    steps.press(admin, "办理为“已入围”")
    assert "已入围" in admin.locator(".entry-status").inner_text()
    entry.refresh_from_db()

    # 5. The public vote: the usual votes, then four phones in a row from one network (a farm).
    steps.usual_votes(world, [entry, second], [2, 3])
    vote_services.refresh_tallies()  # the counter's minute
    person.goto(f"{base}/vote/{slug}/")
    assert "网络投票占最终得分的 30%" in person.locator("[data-vote-board]").inner_text()
    assert (steps.board_votes(person, entry), steps.board_votes(person, second)) == ("2 票", "3 票")
    voters, start = [], timezone.now()
    for n in range(steps.VOTERS):
        page, said = steps.confirm_and_vote(browser, base, slug, f"1390000{n:04d}", entry)
        voters.append(page)
        assert "投票成功，票数每分钟更新一次。" in said
    burst = Vote.objects.filter(entry=entry, created_at__gte=start)
    assert sorted(burst.values_list("state", flat=True)) == ["held"] * steps.VOTERS
    assert all("network" in reasons for reasons in burst.values_list("reasons", flat=True))
    vote_services.refresh_tallies()
    voters[-1].reload()
    assert steps.board_votes(voters[-1], entry) == "2 票"  # held votes are not counted

    admin.goto(f"{base}/admin/submissions/vote/?state=held")
    assert admin.get_by_text("同一网段投票过多").count() == steps.VOTERS
    said = steps.run_action(admin, "accept", burst.values_list("pk", flat=True))
    assert f"已通过 {steps.VOTERS} 票。" in said
    voters[-1].reload()
    assert steps.board_votes(voters[-1], entry) == f"{2 + steps.VOTERS} 票"
    admin.goto(f"{base}/admin/submissions/votesettings/{world['vote'].pk}/standings/")
    row = admin.locator(f"tr[data-entry='{entry.pk}']")
    assert (row.locator("[data-votes]").inner_text(), row.locator("[data-held]").inner_text()) == ("6", "0")
    entry.refresh_from_db()  # 70% the experts' score, 30% the vote share (6 of the most, 6: 100)
    assert row.locator("[data-combined]").inner_text() == str((entry.score * 7 / 10 + 30).quantize(Decimal("0.01")))
    for page in voters:
        assert page.watch.errors == [], page.watch.errors
        page.context.close()

    # 6. Accepted; the 公示 prepared and published in the admin; two objections on a phone.
    steps.admin_entry(admin, base, entry)
    steps.press(admin, "办理为“已采用”")
    assert "已采用" in admin.locator(".entry-status").inner_text()
    workflow.transition(second, S.ACCEPTED, actor=editor)
    admin.goto(f"{base}/admin/submissions/publicnotice/add/")
    admin.select_option("#id_campaign", str(campaign.pk))
    admin.fill("#id_title", "2026年度全省优秀党建品牌拟入选名单公示")
    admin.fill("#id_contact", "电话：0531-12345678")
    admin.fill("#id_starts_on", "2026-09-30")
    admin.fill("#id_workdays", "5")
    admin.locator("input[name=_continue]").click()
    admin.wait_for_selector("input[name=entries]")
    admin.locator(f"input[name=entries][value='{entry.pk}']").check()
    admin.locator(f"input[name=entries][value='{second.pk}']").check()
    admin.locator("input[name=_continue]").click()
    admin.wait_for_load_state()
    notice = PublicNotice.objects.get(campaign=campaign)
    admin.goto(f"{base}/admin/submissions/publicnotice/")
    assert "公示至 2026-10-12" in steps.run_action(admin, "publish", [notice.pk])

    person.goto(f"{base}/notice/{slug}/")
    listed = person.locator("[data-listed]").inner_text()
    assert entry.org_name in listed and second.org_name in listed
    assert "2026年10月12日 24 时前以真实姓名提出" in person.locator("[data-notice]").inner_text()
    facts = "该单位所列获奖情况与事实不符，相关表彰文件可查，请核实。"
    receipt = steps.object_to(person, base, slug, second, facts, "李四")
    assert "我们将于 2026年10月22日 前核查并答复" in receipt and "李四" in receipt
    upheld_receipt = person.url
    receipt = steps.object_to(person, base, slug, entry, "该党支部报送的活动照片疑似为其他单位的活动。", "王五")
    assert "王五" in receipt and entry.org_name in receipt
    against_second, against_entry = Objection.objects.order_by("received_at", "pk")
    assert against_second.evidence.get().content_type == "image/png"

    assert "已答复" in steps.answer_objection(admin, base, against_second, "异议成立（作品撤出名单）", UPHELD)
    assert "已答复" in steps.answer_objection(admin, base, against_entry, "异议不成立", DISMISSED)
    person.goto(upheld_receipt)  # the objector's own link shows the answer
    assert UPHELD in person.locator("main").inner_text()
    assert set(OutboxMessage.objects.values_list("event", flat=True)) >= {"objection_upheld", "objection_dismissed"}
    person.goto(f"{base}/notice/{slug}/")
    assert second.org_name not in person.locator("[data-listed]").inner_text()
    assert UPHELD in person.locator("[data-removed]").inner_text()

    clock["date"] = AFTER  # the day after its last working day: the periodic close's run
    assert notice_tasks.close_notices() == (1, 1)  # closed, and final (both objections answered)
    person.reload()
    # 7. The result: the selected organization on the final list.
    assert "结果已于" in person.locator("[data-state=final]").inner_text()
    assert person.locator("[data-listed]").inner_text().count(entry.org_name) == 1

    # The award issued from the entries' list; the worker renders and signs it; downloaded, checked, verified.
    walk_settings.TASKS_EAGER = False  # the web process only queues the rendering, as in production
    admin.goto(f"{base}{ENTRIES}?status__exact=accepted")
    number = f"DZRB-{timezone.now().year}-0001"
    assert f"已颁发 1 份荣誉证书：{number}" in steps.run_action(admin, "issue_awards", [entry.pk])
    walk_settings.TASKS_EAGER = True
    certificate = Certificate.objects.get(submission=entry)
    admin.goto(f"{base}/admin/submissions/certificate/")
    assert "生成中" in admin.locator(f"tr:has-text('{number}')").inner_text()
    steps.off_the_loop(certificate_tasks.render_certificate, certificate.pk)  # the worker
    admin.reload()
    with admin.expect_download() as download:
        admin.locator(f"tr:has-text('{number}')").get_by_role("link", name="下载 PDF").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF-") and steps.off_the_loop(signing.validate, data)
    altered = bytearray(data)
    altered[data.index(b"/Producer") + 12] ^= 0x01
    assert not steps.off_the_loop(signing.validate, bytes(altered))
    printed = re.search(r"扫码或访问以下网址验证：(\S+?)</div>", pdf.html(certificate, issuer="大众日报社")).group(1)
    assert printed == f"{base}/verify/{number}/"
    person.goto(printed)  # what the QR code opens
    verified = person.locator("[data-verify=issued]").inner_text()
    assert "该证书真实有效。" in verified and entry.org_name in verified and campaign.title in verified
    # The campaign's results page: the selected organization with its award's number, which verifies.
    person.get_by_role("link", name="评选结果").click()
    results = person.locator("[data-listed]").inner_text()
    assert entry.org_name in results and f"证书编号 {number}" in results and second.org_name not in results
    person.get_by_role("link", name=f"证书编号 {number}").click()
    assert "该证书真实有效。" in person.locator("[data-verify=issued]").inner_text()

    # The history records each step, each by the role that made it.
    assert steps.history(entry) == [
        ("draft", "submitted", "submitter"),
        ("submitted", "eligible", "recommender"),
        ("eligible", "recommended", "recommender"),
        ("recommended", "first_review", "editor"),
        ("first_review", "second_review", "editor"),
        ("second_review", "shortlisted", "editor"),
        ("shortlisted", "accepted", "editor"),
    ]
    answered = Objection.objects.order_by("received_at", "pk")
    assert [(o.status, [s.actor_role for s in o.history.all()]) for o in answered] == [
        ("upheld", ["editor", "editor"]),
        ("dismissed", ["editor", "editor"]),
    ]
    assert list(certificate.history.values_list("from_status", "to_status", "actor_role")) == [("draft", "issued", "editor")]
    assert list(notice.history.values_list("from_status", "to_status", "actor_role")) == [
        ("draft", "published", "editor"),
        ("published", "closed", "system"),
        ("closed", "final", "system"),
    ]
    assert person.watch.errors == [], person.watch.errors
    # A download is a navigation Chromium ends itself (net::ERR_ABORTED): the files arrived, checked above.
    downloads = {f"failed: {url} net::ERR_ABORTED" for url in (form_url, download.value.url)}
    assert [e for e in admin.watch.errors if e not in downloads] == [], admin.watch.errors
