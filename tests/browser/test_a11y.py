"""Pages everyone can use, in real Chromium: axe-core finds no serious or critical violation on
the public pages (phone width) and the main admin pages (phone and desktop width); the public
pages do not shift their layout while loading (CLS < 0.1)."""

import pytest

from submissions.models import ShowcaseSection, Stage, Status
from tests.browser.a11y import CLS_OBSERVER, axe_violations, layout_shift
from tests.browser.admin import login
from tests.factories import add_photo, assign, make_user, published_showcase, submission_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(live_server):
    """A published article with sections and a photo, and an entry with a tracking link."""
    entry = submission_in(Status.SUBMITTED, brand_name="零距离")
    photo = add_photo(entry, caption="主题党日")
    article = published_showcase()
    ShowcaseSection.objects.create(showcase=article, order=1, heading="思想与理念零距离", body="第一段。\n第二段。")
    article.photos.create(photo=photo, caption="主题党日活动")
    return {"entry": entry, "article": article}


def public_paths(content):
    article, entry = content["article"], content["entry"]
    campaign = entry.campaign
    return {
        "home": "/",
        "call": f"/call/{campaign.slug}/",
        "entry form": f"/call/{campaign.slug}/submit/",
        "tracking lookup": "/track/",
        "tracking detail": f"/track/{entry.tracking_token}/",
        "column list": "/showcase/",
        "column search": "/showcase/?q=党建",
        "article": article.get_absolute_url(),
        "404": "/no-such-page/",
    }


def checked_page(browser, width, height):
    """A page whose CSP lets axe-core's injected script run (the site's own pages are unchanged)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_public_pages_have_no_serious_violations_and_do_not_shift(browser, live_server, content):
    context, page = checked_page(browser, 375, 740)
    page.add_init_script(CLS_OBSERVER)
    found, shifts = {}, {}
    for name, path in public_paths(content).items():
        page.goto(live_server.url + path)
        shifts[name] = layout_shift(page)
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    context.close()
    assert found == {}, found
    assert {name: value for name, value in shifts.items() if value >= 0.1} == {}, shifts


@pytest.mark.parametrize("width", [375, 1280])
def test_main_admin_pages_have_no_serious_violations(browser, live_server, content, width):
    context, page = checked_page(browser, width, 900)
    entry, article = content["entry"], content["article"]
    make_user("editor", username="editor")
    reviewer = make_user("reviewer", username="reviewer")
    scored = submission_in(Status.FIRST_REVIEW, brand_name="安全先锋")
    assign(scored, reviewer, Stage.FIRST)
    found = {}
    login(page, live_server.url, "editor")
    for name, path in {
        "index": "/admin/",
        "entry list": "/admin/submissions/submission/",
        "entry page": f"/admin/submissions/submission/{entry.pk}/change/",
        "article page": f"/admin/submissions/showcase/{article.pk}/change/",
        # The newsroom's day (issue 29): the article's preview with its sign-off buttons, an entry
        # in review with scores missing (the warning, the remind button), the queue of those entries.
        "article preview": f"/admin/submissions/showcase/{article.pk}/preview/",
        "entry in review": f"/admin/submissions/submission/{scored.pk}/change/",
        "queue waiting on reviewers": "/admin/queue/reviews/",
    }.items():
        page.goto(live_server.url + path)
        if violations := axe_violations(page):
            found[name] = violations
    login(page, live_server.url, "reviewer", "/admin/submissions/submission/")
    page.get_by_role("link", name="下一篇未评作品").click()
    page.wait_for_selector(".score-page")
    if violations := axe_violations(page):
        found["scoring page"] = violations
    context.close()
    assert found == {}, found
