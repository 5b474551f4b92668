"""Issue 29's "done when", in real Chromium: an entry goes from the shortlist through an interview
confirmed on the tracking page, a commentary written through a signed link, a video converted and
played, to a published article with both on the brand's page. Each person through their own pages
and browser: the editor, the reporter and the chief in the admin at desktop width; the contact, the
expert (no account: the link mailed to them) and a reader on phones (375 px). Links in mails are
taken from the outbox; tasks run eagerly (the clip converts once its upload commits)."""

import pytest

from submissions.models import CommentaryStatus, InterviewStatus, Showcase, Status, Video
from tests.browser import after_shortlist_steps as steps
from tests.browser.after_shortlist_steps import CountedPage, another_phone, next_year, people
from tests.factories import submission_in
from tests.video import clips

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
clip = clips.clip  # the fixture: a phone's H.264/AAC clip made with ffmpeg
another_phone = another_phone  # the fixture: another person's phone
DATES = (next_year(3, 10, 9, 30), next_year(3, 11, 14), next_year(3, 12, 10))


def play(page):
    """Play the article's first video muted from script (the autoplay policy) and see its time advance."""
    return page.evaluate(
        """async () => {
            const video = document.querySelector("figure.article-video video");
            video.muted = true;
            await video.play();
            const started = video.currentTime;
            await new Promise(done => setTimeout(done, 800));
            return {readyState: video.readyState, started, now: video.currentTime, error: video.error && video.error.code};
        }"""
    )


def test_from_the_shortlist_to_the_brand_page(desktop_page, phone_page, another_phone, live_server, clip):
    base = live_server.url
    reporter, photographer, expert = people()
    entry = submission_in(Status.SHORTLISTED, org_name="海滨示范渔港社区党支部", brand_name="渔港灯塔")
    person = CountedPage(desktop_page, base)
    admin = desktop_page

    # The editor plans the interview from the entry's page.
    person.login("editor")
    steps.find_entry(person, entry)
    interview = steps.plan_interview(
        person, entry, reporter=reporter, photographer=photographer, dates=DATES, place="海滨渔港党员活动室"
    )
    assert interview.status == InterviewStatus.PROPOSED and interview.dates.count() == 3

    # The contact, on a phone: the tracking link of the proposal mail, a date picked, 已确定.
    contact = CountedPage(phone_page, base, who="contact")
    steps.pick_date(contact, entry, number=1)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CONFIRMED and interview.chosen_at == DATES[1]
    # The reporter's confirmation mail links the appointment's calendar file.
    ics = admin.request.get(base + steps.mailed_link(reporter.email, "interview_confirmed", "/interview/"))
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar"), ics.status
    assert "BEGIN:VEVENT" in ics.text() and DATES[1].strftime("%Y%m%d") in ics.text()

    # The editor asks the expert for a commentary, from the entry's page.
    steps.find_entry(person, entry)
    steps.request_commentary(person, expert, due=next_year(1, 20, 18), brief="请从可复制推广的角度点评。")

    # The expert (no account), on their phone: the link of the request mail.
    writer = CountedPage(another_phone(), base, who="expert")
    steps.write_commentary(writer, expert)

    # The editor accepts it from the 专家点评待审 queue on the admin's first page.
    person.login("editor")
    commentary = steps.accept_commentary(person, expert)
    assert commentary.status == CommentaryStatus.ACCEPTED

    # The reporter closes the interview with notes, then uploads a clip from the entry's page.
    person.login("reporter")
    steps.close_interview(person, interview)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DONE and interview.report == steps.NOTES
    steps.find_entry(person, entry)
    steps.upload_video(person, entry, clip, caption="渔港党员先锋岗的一天")
    video = Video.objects.get(submission=entry)
    assert video.state == Video.State.READY, (video.state, video.error)

    # The editor accepts the entry, makes the article (the clip uploaded before it joins it), asks for sign-off.
    person.login("editor")
    steps.find_entry(person, entry)
    steps.move_entry(person, "已采用")
    article = steps.make_article(person, short_name="渔港社区")
    video.refresh_from_db()
    assert video.showcase_id == article.pk
    steps.ask_signoff(person)

    # The chief signs off and publishes, on the preview.
    person.login("chief")
    steps.sign_off_and_publish(person, article)
    entry.refresh_from_db()
    article.refresh_from_db()
    assert entry.status == Status.PUBLISHED and article.state == Showcase.State.PUBLISHED
    assert admin.watch.errors == [], admin.watch.errors

    # A reader, on a phone: the credited commentary, the video plays, the brand's page has both.
    reader = another_phone()
    assert reader.goto(base + article.get_absolute_url()).status == 200
    credit = reader.locator("aside.article-expert")
    assert steps.COMMENTARY in credit.inner_text()
    signature = credit.locator(".article-expert-name a")
    assert all(part in signature.inner_text() for part in ("陈明", "教授", "中共山东省委党校")), signature.inner_text()
    assert signature.get_attribute("href") == expert.get_absolute_url()
    assert reader.locator("figure.article-video figcaption").inner_text() == "渔港党员先锋岗的一天"
    played = play(reader)
    assert played["error"] is None and played["readyState"] >= 2, played
    assert played["now"] > played["started"] + 0.2, played
    reader.get_by_role("link", name="品牌档案").click()
    reader.wait_for_load_state("networkidle")
    brand_page = reader.locator("main").inner_text()
    assert "渔港灯塔" in brand_page and article.title in brand_page, brand_page[:1500]
    assert steps.COMMENTARY[:20] in brand_page and "陈明" in brand_page, brand_page[:1500]
    assert reader.locator("video").count() >= 1
    assert reader.evaluate("document.documentElement.scrollWidth") <= 375
    assert reader.watch.errors == [], reader.watch.errors

    # The contact's tracking page shows the expert's 品牌诊断.
    phone_page.goto(base + steps.mailed_link(entry.contact_email, "interview_proposed", "/track/"))
    assert steps.DIAGNOSIS in phone_page.locator("[data-diagnoses]").inner_text()
    assert "陈明" in phone_page.locator("[data-diagnoses]").inner_text()
    assert phone_page.watch.errors == [], phone_page.watch.errors
