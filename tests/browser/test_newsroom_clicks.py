"""The newsroom's day, counted (issue 12, item 8): one submitted entry goes through two review
rounds with two reviewers each to a published article, in real Chromium at desktop width, and
every click and form submission each person makes is counted, from the admin's first page (the
queues) after login. Typing into a field is not counted; choosing an option or ticking a box is.

Limits: editor at most 12, each reviewer at most 4 for the entry, the chief editor at most 3."""

import re

import pytest

from submissions.models import CommentaryStatus, InterviewStatus, Review, ReviewAssignment, Showcase, Stage, Status
from tests.browser.after_shortlist_steps import (
    CountedPage,
    accept_commentary,
    another_phone,
    move_entry,
    next_year,
    people,
    pick_date,
    plan_interview,
    request_commentary,
    write_commentary,
)
from tests.factories import make_user, submission_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Status
another_phone = another_phone  # the fixture: another person's phone
DATES = (next_year(3, 10, 9, 30), next_year(3, 11, 14), next_year(3, 12, 10))


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


def test_a_day_with_an_interview_and_a_commentary(desktop_page, another_phone, live_server):
    """Issue 29, item 7: the same count for the work after the shortlist. The editor, from the admin's
    first page, opens the shortlisted entry from its queue (已入围、尚未安排采访), plans an interview from
    the entry's page (saving the plan leads back to it), requests a commentary, and later accepts the
    written commentary from the 专家点评待审 queue. The contact confirms a date on the tracking page
    (phone); the expert writes through the signed link (phone, no account).

    Limits (measured: editor 11, of which 9 to plan and request; contact 2; expert 1): the editor at
    most 11 for the day, the contact at most 2, the expert at most 1 (typing is not counted)."""
    base = live_server.url
    reporter, photographer, expert = people()
    entry = submission_in(S.SHORTLISTED, org_name="海滨示范渔港社区党支部", brand_name="渔港灯塔")
    person = CountedPage(desktop_page, base)

    person.login("editor")
    person.click(person.queue_item("to_interview", entry.reference))
    interview = plan_interview(
        person, entry, reporter=reporter, photographer=photographer, dates=DATES, place="海滨渔港党员活动室"
    )
    request_commentary(person, expert, due=next_year(1, 20, 18), brief="请从可复制推广的角度点评。")
    planned = person.counts["editor"]

    contact = CountedPage(another_phone(), base, who="contact")
    pick_date(contact, entry)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CONFIRMED and interview.chosen_at == DATES[0]

    writer = CountedPage(another_phone(), base, who="expert")
    write_commentary(writer, expert)

    person.login("editor")
    assert accept_commentary(person, expert).status == CommentaryStatus.ACCEPTED

    counts = {**person.counts, **contact.counts, **writer.counts}
    print(f"\nclicks after the shortlist (editor planning {planned}): {counts}", flush=True)
    assert planned <= 9, counts
    assert counts["editor"] <= 11, counts
    assert counts["contact"] <= 2, counts
    assert counts["expert"] <= 1, counts
    for page in (desktop_page, contact.page, writer.page):
        assert page.watch.errors == [], page.watch.errors
