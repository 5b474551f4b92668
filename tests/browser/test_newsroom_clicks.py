"""The newsroom's day, counted (issue 12, item 8): one submitted entry goes through two review
rounds with two reviewers each to a published article, in real Chromium at desktop width, and
every click and form submission each person makes is counted, from the admin's first page (the
queues) after login. Typing into a field is not counted; choosing an option or ticking a box is.

Limits: editor at most 12, each reviewer at most 4 for the entry, the chief editor at most 3."""

import re
from collections import Counter

import pytest

from submissions.models import Review, ReviewAssignment, Showcase, Stage, Status
from tests.browser.admin import login
from tests.factories import make_user, submission_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Status


class CountedPage:
    """The page as the person at it uses it: every click, tick, choice and key press goes through
    here and is counted for whoever is logged in now. Typing (fill) is not an action."""

    def __init__(self, page, base):
        self.page, self.base = page, base
        self.counts = Counter()
        self.who = None

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


def score(person, username, entry, stage, marks):
    """A reviewer opens the entry from their queue and submits a score: two actions."""
    person.login(username)
    person.click(person.queue_item("score", entry.reference))
    person.page.wait_for_selector(".score-page")
    for criterion, mark in zip(entry.campaign.criteria.all(), marks, strict=True):
        person.fill(f"#id_c{criterion.pk}", str(mark))
    person.fill("#id_comment", f"{username}：做法扎实，可复制可推广。")
    person.click(person.button("提交评分"))
    assert Review.objects.filter(submission=entry, reviewer__username=username, stage=stage).exists()


def move_entry(person, label):
    person.click(person.button(f"办理为“{label}”"))
    person.page.wait_for_selector(".messagelist .success")
    assert label in person.page.locator(".entry-status").inner_text()


def test_submitted_to_published_in_a_dozen_actions(desktop_page, phone_page, live_server):
    base = live_server.url
    make_user("editor", username="editor", first_name="王编辑")
    make_user("chief", username="chief", first_name="李签审")
    experts = {"expert1", "expert2"}  # the two reviewers, who score both rounds
    for name, display in [("expert1", "赵专家"), ("expert2", "钱专家")]:
        make_user("reviewer", username=name, first_name=display)
    entry = submission_in(S.SUBMITTED, org_name="海滨示范渔港社区党支部", brand_name="渔港灯塔")
    person = CountedPage(desktop_page, base)
    page = desktop_page

    # The editor: from the triage queue into 初审, the same form ticking two reviewers (balanced).
    person.login("editor")
    person.click(person.queue_item("triage", entry.reference))
    assert page.locator(".wb-primary input[name=reviewers]:checked").count() == 2
    move_entry(person, "初审中")
    first = set(ReviewAssignment.objects.filter(submission=entry, stage=Stage.FIRST).values_list("reviewer__username", flat=True))
    assert first == experts, first

    for index, username in enumerate(sorted(first)):
        score(person, username, entry, Stage.FIRST, [8, 9, 8, 7 + index])

    # The editor: the scores are in; into 复审, the same form ticking the round's two reviewers.
    person.login("editor")
    person.click(person.queue_item("decide", entry.reference))
    assert page.locator(".wb-primary input[name=reviewers]:checked").count() == 2
    move_entry(person, "复审中")
    second = set(
        ReviewAssignment.objects.filter(submission=entry, stage=Stage.SECOND).values_list("reviewer__username", flat=True)
    )
    assert second == experts, second

    for index, username in enumerate(sorted(second)):
        score(person, username, entry, Stage.SECOND, [9, 9, 8, 8 + index])

    # The editor: shortlist, accept, make the article, request sign-off.
    person.login("editor")
    person.click(person.queue_item("decide", entry.reference))
    move_entry(person, "已入围")
    move_entry(person, "已采用")
    person.click(page.get_by_role("link", name="生成巡展文章"))
    person.fill("#id_short_name", "渔港社区")
    person.fill("#id_reporters", "王晓 刘洋")
    person.click(person.button("生成文章初稿"))
    page.wait_for_url(re.compile(r"/admin/submissions/showcase/\d+/change/"))
    person.click(person.button("提交签审"))
    assert "待签审" in page.locator(".showcase-workflow").inner_text()
    article = Showcase.objects.get(submission=entry)

    # The chief editor: the sign-off queue is the first on his first page and opens the article as
    # readers will see it, with the buttons above it: sign off and publish on that one page.
    person.login("chief")
    assert page.locator(".queue").first.get_attribute("id") == "queue-signoff"
    person.click(person.queue_item("signoff", article.title[-12:]))
    assert page.locator(".preview-signoff").is_visible() and page.locator(".article-wrap").is_visible()
    person.click(person.button("签审通过"))
    assert page.locator(".preview-signoff").is_visible()  # still on the article as it reads
    person.click(person.button("立即发布"))
    assert "已发布" in page.locator(".showcase-workflow").inner_text()
    assert "/preview/" in page.url

    counts = dict(person.counts)
    print(f"\nnewsroom clicks and submissions, submitted → published: {counts}", flush=True)
    assert counts["editor"] <= 12, counts
    for username in experts:
        assert counts[username] <= 4, (username, counts)
    assert counts["chief"] <= 3, counts

    entry.refresh_from_db()
    assert entry.status == S.PUBLISHED and entry.get_status_display() == "已发表"
    article.refresh_from_db()
    reader = phone_page  # an anonymous reader, in a browser context of their own
    response = reader.goto(f"{base}{article.get_absolute_url()}")
    assert response.status == 200
    assert "渔港社区打造“渔港灯塔”特色党建品牌" in reader.locator("article").inner_text()
    assert page.watch.errors == [], page.watch.errors
    assert reader.watch.errors == [], reader.watch.errors
