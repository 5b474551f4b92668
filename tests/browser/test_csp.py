"""Every page, public and admin, in real Chromium under the strict CSP: no violation, no console error.

To cover a new page, add one line to PUBLIC_PAGES or ADMIN_PAGES. URLs are formatted with the
objects made by `world()` (e.g. "{entry.tracking_token}", "{article.slug}"); the number is the
status the page itself is expected to answer with.
"""

import pytest

from submissions.models import Status
from tests.factories import UserFactory, add_photo, published_showcase, submission_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    ("/", 200),
    ("/call/", 200),  # redirects to the current call
    ("/call/{campaign.slug}/", 200),
    ("/submit/", 200),  # redirected to the open call's entry form
    ("/track/", 200),
    ("/track/{entry.tracking_token}/", 200),
    ("/track/{entry.tracking_token}/receipt/", 200),
    ("/showcase/", 200),
    ("/showcase/{article.slug}/", 200),
    ("/no-such-page/", 404),
]

ADMIN_PAGES = [
    ("/admin/", 200),
    ("/admin/submissions/submission/", 200),
    ("/admin/submissions/submission/{entry.pk}/change/", 200),
    ("/admin/submissions/campaign/{campaign.pk}/change/", 200),  # date pickers, prepopulated slug
    ("/admin/submissions/showcase/", 200),
    ("/admin/submissions/showcase/{article.pk}/change/", 200),  # inlines, raw id widgets
    ("/admin/submissions/outboxmessage/", 200),  # filters
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
    article = published_showcase()
    photo = add_photo(article.submission)
    article.photos.create(photo=photo, caption="活动照片")
    return {"entry": entry, "article": article, "campaign": article.campaign}


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


def test_admin_works_under_the_csp(desktop_page, live_server):
    objects = world()
    UserFactory(username="root", is_superuser=True, is_staff=True)
    page = desktop_page
    assert visit(page, live_server.url, [("/admin/login/", 200)], objects) == {}
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-Test-12345")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    assert visit(page, live_server.url, ADMIN_PAGES, objects) == {}
    # The admin's own scripts really run: the date picker of the campaign form opens.
    page.goto(live_server.url + "/admin/submissions/campaign/{}/change/".format(objects["campaign"].pk))
    page.locator(".datetimeshortcuts a").first.click()  # "今天" / "现在"
    assert page.evaluate("window.__csp") == []
    assert page.watch.errors == [], page.watch.errors
