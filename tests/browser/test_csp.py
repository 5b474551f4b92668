"""Every page, public and admin, in real Chromium under the strict CSP: no violation, no console error.

To cover a new page, add one line to PUBLIC_PAGES or ADMIN_PAGES. URLs are formatted with the
objects made by `world()` (e.g. "{entry.tracking_token}", "{article.slug}"); the number is the
status the page itself is expected to answer with.
"""

import pytest

from submissions.models import Comment, Status
from submissions.newsroom import publishing
from tests.browser.admin import login
from tests.factories import (
    UserFactory,
    add_attachment,
    add_photo,
    assign,
    make_user,
    publish_again,
    published_showcase,
    submission_in,
)
from tests.submit_data import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    ("/", 200),
    ("/call/", 200),  # redirects to the current call
    ("/call/{campaign.slug}/", 200),
    ("/submit/", 200),  # redirects to the current call's form
    ("/track/", 200),
    ("/track/{entry.tracking_token}/", 200),
    ("/track/{entry.tracking_token}/receipt/", 200),
    ("/track/{entry.tracking_token}/withdraw/", 200),
    ("/track/{returned.tracking_token}/", 200),  # the editors' message
    ("/track/{returned.tracking_token}/edit/", 200),  # the revision form, with its photos
    ("/showcase/", 200),
    ("/showcase/?q=党建&kind={article.submission.kind}&region={article.submission.region.code}", 200),
    ("/showcase/{article.slug}/", 200),  # photos and an approved comment
    ("/showcase/{article.slug}/poster/", 200),  # the share poster
    ("/showcase/{article.slug}/print/", 200),  # the article laid out for paper
    ("/showcase/feed/", 200),
    ("/no-such-page/", 404),
]

ADMIN_PAGES = [
    ("/admin/", 200),
    ("/admin/dashboard/", 200),  # the charts
    ("/admin/queue/triage/", 200),  # a queue of entries (我的待办)
    ("/admin/queue/signoff/", 200),  # a queue of articles
    ("/admin/intake/", 200),  # the entry form in the admin's look
    ("/admin/submissions/submission/", 200),
    ("/admin/submissions/submission/?status=first_review&q=党", 200),
    ("/admin/submissions/submission/{entry.pk}/change/", 200),  # workflow buttons, reviews, inlines
    ("/admin/submissions/submission/{entry.pk}/history/", 200),
    ("/admin/submissions/showcase/from-entry/", 200),
    ("/admin/submissions/showcase/{article.pk}/revisions/", 200),  # the diff
    ("/admin/submissions/showcase/{article.pk}/preview/", 200),
    ("/admin/submissions/campaign/{campaign.pk}/change/", 200),  # date pickers, prepopulated slug
    ("/admin/submissions/showcase/", 200),
    ("/admin/submissions/showcase/{article.pk}/change/", 200),  # inlines, raw id widgets
    ("/admin/submissions/outboxmessage/", 200),  # filters
    ("/admin/submissions/mailboxmessage/", 200),  # the campaign mailbox's entries
]

# Registered before any page script runs: every CSP violation is kept for the test to read.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def world():
    entry = submission_in(Status.FIRST_REVIEW)
    add_photo(entry)
    add_attachment(entry)
    returned = submission_in(Status.RETURNED)
    add_photo(returned)
    article = published_showcase()
    for order in range(2):
        photo = add_photo(article.submission, order=order)
        article.photos.create(photo=photo, caption=f"活动照片{order}")
    comment = Comment.objects.create(showcase=article, name="读者", body="很好")
    editor = make_user("editor", username="csp-editor")
    publishing.moderate(Comment.objects.filter(pk=comment.pk), Comment.State.APPROVED, editor)
    for note in ("新建", "修改"):
        publishing.edited(article, editor, note=note)
    publish_again(article)  # the photos added: a new sign-off, published again
    return {"entry": entry, "returned": returned, "article": article, "campaign": article.campaign}


def visit(page, base, pages, objects):
    """Open each page; the problems found, per URL."""
    page.add_init_script(CSP_LISTENER)
    problems = {}
    for template, status in pages:
        url = base + template.format(**objects)
        page.watch.errors.clear()
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        found = [f"status {response.status}, expected {status}"] if response.status != status else []
        found += [f"CSP: {v}" for v in page.evaluate("window.__csp")]
        errors = list(page.watch.errors)
        if status >= 400:  # the page's own expected status (and Chromium's console line about it) is no problem
            errors.remove(f"HTTP {status}: {response.url}")
            errors.remove(f"console: Failed to load resource: the server responded with a status of {status} (Not Found)")
        found += errors
        if found:
            problems[url] = found
    return problems


def test_public_pages_keep_the_csp_and_log_no_error(desktop_page, live_server):
    objects = world()
    assert visit(desktop_page, live_server.url, PUBLIC_PAGES, objects) == {}


def test_the_entry_form_scripts_run_under_the_csp(desktop_page, live_server, settings):
    """submit.js really works: a section added, a photo chosen (its preview shown), the draft kept."""
    objects = world()
    page = desktop_page
    assert visit(page, live_server.url, [("/call/{campaign.slug}/submit/", 200)], objects) == {}
    sections = page.locator("[data-formset=sections] [data-item]:visible")
    before = sections.count()
    page.click("[data-formset=sections] [data-add]")
    assert sections.count() == before + 1
    page.fill(f"#id_sections-{before}-heading", "新增做法")
    page.fill("#id_brand_name", "零距离")  # kept in the browser while typing
    photo = {"name": "a.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(600, 400))}
    page.set_input_files("#id_photos-0-image", files=[photo])
    page.click("[data-formset=photos] [data-add]")
    page.wait_for_load_state("networkidle")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    assert page.watch.errors == [], page.watch.errors


def test_admin_works_under_the_csp(desktop_page, live_server):
    objects = world()
    UserFactory(username="root", is_superuser=True, is_staff=True)
    page = desktop_page
    assert visit(page, live_server.url, [("/admin/login/", 200)], objects) == {}
    login(page, live_server.url, "root")
    assert visit(page, live_server.url, ADMIN_PAGES, objects) == {}
    # The admin's own scripts really run: the date picker of the campaign form opens.
    page.goto(live_server.url + "/admin/submissions/campaign/{}/change/".format(objects["campaign"].pk))
    page.locator(".datetimeshortcuts a").first.click()  # "今天" / "现在"
    assert page.evaluate("window.__csp") == []
    assert page.watch.errors == [], page.watch.errors


def test_reviewer_scoring_page_works_under_the_csp(desktop_page, live_server):
    objects = world()
    reviewer = UserFactory(username="csp-reviewer", role="reviewer")
    assign(objects["entry"], reviewer)
    page = desktop_page
    assert visit(page, live_server.url, [("/admin/login/", 200)], objects) == {}
    login(page, live_server.url, "csp-reviewer")
    pages = [("/admin/submissions/submission/", 200), ("/admin/submissions/submission/{entry.pk}/score/first/", 200)]
    assert visit(page, live_server.url, pages, objects) == {}
