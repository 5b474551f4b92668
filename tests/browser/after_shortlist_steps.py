"""The people's steps after the shortlist (issue 29), in real Chromium, each through the person's own
pages: the editor plans an interview and requests a commentary from the entry page, the contact picks a
date on the tracking page, the expert writes through the signed link mailed to them, the editor accepts
the commentary from the admin's first page, the reporter closes the interview and uploads a clip.

Every step takes a CountedPage (the clicks, ticks, choices and key presses of whoever is logged in are
counted; typing is not), so the click-count test and the walk share them."""

import re
from collections import Counter
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from submissions.experts import services as experts
from submissions.models import CommentaryRequest, Expert, Interview, OutboxMessage, Showcase
from submissions.workflow import roles
from tests.browser.admin import login
from tests.conftest import PageWatch
from tests.factories import make_user

BEIJING = ZoneInfo("Asia/Shanghai")
LINK = re.compile(r"https?://\S+")
COMMENTARY = "该品牌扎根渔港一线，党员先锋岗与渔船安全互助机制清晰，可复制可推广，是党建与业务深度融合的范例。"
DIAGNOSIS = "定位清晰、特色鲜明；建议提炼量化成效指标，形成可推广的工作手册。"
NOTES = "走访渔港党员先锋岗，记录渔船安全互助队出海前的检查流程。"


@pytest.fixture
def another_phone(browser, live_server):
    """Pages at phone width, each in a browser context of its own (another person's phone)."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.watch = PageWatch(page)
        return page

    yield make
    for context in contexts:
        context.close()


def people():
    """The editor, the chief, a reporter and a photographer (staff), and an expert of the panel (no account)."""
    make_user(roles.EDITOR, username="editor", first_name="王编辑", email="editor@example.com")
    make_user(roles.CHIEF, username="chief", first_name="李签审", email="chief@example.com")
    reporter = make_user(roles.EDITOR, username="reporter", email="reporter@example.com", last_name="王", first_name="晓")
    photographer = make_user(roles.EDITOR, username="photographer", email="photo@example.com", last_name="刘", first_name="洋")
    expert = experts.save_expert(
        Expert(slug="chen-ming", name="陈明", title="教授", affiliation="中共山东省委党校", email="chen-ming@example.com")
    )
    return reporter, photographer, expert


class CountedPage:
    """The page as the person at it uses it: every click, tick, choice and key press goes through
    here and is counted for whoever is logged in now (or `who`, for a person without an account). Typing (fill) is
    not an action."""

    def __init__(self, page, base, who=None):
        self.page, self.base = page, base
        self.counts = Counter()
        self.who = who

    def login(self, username):
        """Log in (not counted); the person starts from the admin's first page, the queues."""
        self.who = username
        self.settle()
        login(self.page, self.base, username)

    def settle(self):
        """Let the current page finish loading (its favicon too) before leaving it, as a person does."""
        self.page.wait_for_load_state("networkidle")

    def click(self, locator):
        self.counts[self.who] += 1
        self.settle()
        locator.click()
        self.page.wait_for_load_state()

    def check(self, locator):
        self.counts[self.who] += 1
        locator.check()

    def select(self, locator, value):
        self.counts[self.who] += 1
        locator.select_option(value)

    def press(self, locator, key):
        self.counts[self.who] += 1
        locator.press(key)
        self.page.wait_for_load_state()

    def fill(self, selector, text):  # typing: not counted
        self.page.fill(selector, text)

    def queue_item(self, queue, text):
        """The link to an item in one of the first page's queues."""
        return self.page.locator(f"#queue-{queue} .queue-items a", has_text=text)

    def button(self, name):
        return self.page.get_by_role("button", name=name, exact=True)

    def link(self, name):
        return self.page.get_by_role("link", name=name, exact=True)


def next_year(month, day, hour, minute=0):
    return datetime(timezone.now().year + 1, month, day, hour, minute, tzinfo=BEIJING)


def local_input(moment):
    """A datetime-local input's value (Beijing time, the site's)."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M")


def mailed_link(to, event, contains):
    """The path of the link containing `contains` in the newest outbox mail of `event` to `to` (the
    mail's links are the site's address; the test's server is elsewhere)."""
    message = OutboxMessage.objects.filter(to=to, event=event).order_by("-pk").first()
    assert message is not None, (to, event, list(OutboxMessage.objects.values_list("to", "event")))
    found = [link for link in LINK.findall(message.body) if contains in link]
    assert found, message.body
    parts = urlsplit(found[0].rstrip("。，）)"))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def move_entry(person, label):
    person.click(person.button(f"办理为“{label}”"))
    person.page.wait_for_selector(".messagelist .success")
    assert label in person.page.locator(".entry-status").inner_text()


def find_entry(person, entry):
    """From an admin page: the entries' list, searched by the entry's number, then the entry."""
    page = person.page
    person.click(page.locator("#nav-sidebar, #content-main").get_by_role("link", name="报送作品", exact=True).first)
    person.fill("#searchbar", entry.reference)
    person.press(page.locator("#searchbar"), "Enter")
    person.click(page.locator("#result_list").get_by_role("link", name=entry.reference))
    page.wait_for_selector(".workbench")


def plan_interview(person, entry, *, reporter, photographer, dates, place):
    """On the entry page: 安排融媒采访, the plan (reporter moved into the chosen box, the photographer
    chosen, the dates and place typed), saved."""
    page = person.page
    person.click(person.link("安排融媒采访"))
    page.wait_for_selector("#id_reporters_from")
    person.select(page.locator("#id_reporters_from"), str(reporter.pk))
    person.click(page.locator("#id_reporters_add"))
    person.select(page.locator("#id_photographer"), str(photographer.pk))
    for number, moment in enumerate(dates, start=1):
        person.fill(f"#id_date_{number}", local_input(moment))
    person.fill("#id_place", place)
    person.click(page.locator("input[name=_save]"))
    assert page.locator(".messagelist .success").count() == 1, page.locator("#content").inner_text()[:2000]
    page.wait_for_selector(".workbench")  # back on the entry's page, where the next step is
    return Interview.objects.get(submission=entry)


def pick_date(contact, entry, number=0):
    """The contact, on the tracking page the proposal mail links to: picks a date and confirms it."""
    page = contact.page
    tracking = mailed_link(entry.contact_email, "interview_proposed", "/track/")
    page.goto(contact.base + tracking)
    section = page.locator("[data-interviews]")
    assert "编辑部建议了以下采访时间" in section.inner_text()
    contact.check(section.locator("[data-pick] input[type=radio]").nth(number))
    contact.click(contact.button("确认这个时间"))
    page.wait_for_selector("[data-interview-status=confirmed]")
    assert "已确定" in page.locator("[data-interviews]").inner_text()
    return tracking


def request_commentary(person, expert, *, due, brief):
    """On the entry page: 请专家点评, the expert chosen, the due date and brief typed, saved."""
    page = person.page
    person.click(person.link("请专家点评"))
    person.select(page.locator("#id_expert"), str(expert.pk))
    person.fill("#id_due_at", local_input(due))
    person.fill("#id_brief", brief)
    person.click(page.locator("input[name=_save]"))
    page.wait_for_selector("[data-status]")
    assert "约稿已发出" in page.locator(".messagelist").inner_text()


def write_commentary(writer, expert):
    """The expert, through the signed link of the request mail: writes, adds a 品牌诊断, submits."""
    page = writer.page
    page.goto(writer.base + mailed_link(expert.email, "commentary_requested", "/experts/write/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    writer.fill("#id_text", COMMENTARY)
    writer.fill("#id_diagnosis", DIAGNOSIS)
    writer.click(writer.button("提交点评"))
    assert "点评已提交" in page.content()


def accept_commentary(person, expert):
    """From the admin's first page: the 专家点评待审 queue, the request's page, 采用点评."""
    page = person.page
    person.click(person.queue_item("commentary_written", expert.name))
    assert COMMENTARY in page.locator("[data-text]").inner_text()
    person.click(person.button("采用点评"))
    assert page.locator("[data-status]").inner_text() == "已采用"
    return CommentaryRequest.objects.get(expert=expert)


def close_interview(person, interview):
    """The reporter, from the first page's interview queue: the interview's act page, notes, saved."""
    page = person.page
    person.click(page.locator("[id^=queue-interview] .queue-items a").first)
    if "/act/" not in page.url:
        person.click(page.get_by_role("link", name="办理…"))
    person.fill("#id_report-notes", NOTES)
    person.click(person.button("保存并完成采访"))
    assert page.locator("[data-status]").inner_text() == "已完成"


def upload_video(person, entry, clip, *, caption):
    """On the entry page: 上传视频, the caption typed, the file chosen, uploaded (converted eagerly)."""
    page = person.page
    person.click(person.link("上传视频"))
    assert page.input_value("#id_submission") == entry.reference
    person.fill("#id_caption", caption)
    person.click(page.locator("#id_file"))  # choosing the file: one action (the chooser opens)
    page.set_input_files("#id_file", str(clip))
    person.click(person.button("上传"))
    assert "视频已上传" in page.locator(".messagelist").inner_text()


def make_article(person, *, short_name):
    """On the accepted entry's page: 生成巡展文章, the short name and reporters typed, the draft made."""
    page = person.page
    person.click(person.link("生成巡展文章"))
    person.fill("#id_short_name", short_name)
    person.fill("#id_reporters", "王晓 刘洋")
    person.click(person.button("生成文章初稿"))
    page.wait_for_url(re.compile(r"/admin/submissions/showcase/\d+/change/"))
    return Showcase.objects.get(pk=int(re.search(r"/showcase/(\d+)/change/", page.url).group(1)))


def ask_signoff(person):
    person.click(person.button("提交签审"))
    assert "待签审" in person.page.locator(".showcase-workflow").inner_text()


def sign_off_and_publish(person, article):
    """The chief: the sign-off queue opens the article's preview; sign off and publish there."""
    page = person.page
    person.click(person.queue_item("signoff", article.title[-12:]))
    person.click(person.button("签审通过"))
    person.click(person.button("立即发布"))
    assert "已发布" in page.locator(".showcase-workflow").inner_text()
