"""Issue 27 items 5 and 6 in real Chromium at 375 px: an empty submit lands on the error summary,
which counts the fields and whose links move focus to them; the receipt's 复制链接 copies the link."""

import pytest
from django.urls import reverse

from submissions.models import Status
from tests.factories import CampaignFactory, RegionFactory, submission_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_an_empty_submit_focuses_the_summary_and_its_links_focus_the_fields(phone_page, live_server, settings):
    settings.FORM_MIN_SECONDS = 0
    RegionFactory()
    campaign = CampaignFactory()
    page = phone_page
    page.goto(f"{live_server.url}/call/{campaign.slug}/submit/")
    page.click("button[value=submit]")
    page.wait_for_selector("[data-error-summary]")
    page.wait_for_load_state("load")
    assert focused_id(page) == "error-summary", page.watch.errors
    # 报送类别 comes checked (the entry's default kind): the 14 places.
    assert "有 14 处需要修改" in page.locator("#error-summary-title").inner_text()
    targets = page.eval_on_selector_all("[data-error-link]", "els => els.map(e => e.dataset.errorLink)")
    assert targets == [
        "id_org_name", "id_org_type", "id_sector", "id_region", "id_contact_name", "id_contact_phone",
        "id_contact_email", "id_brand_name", "id_brand_idea", "id_introduction", "sections-errors",
        "id_results", "photos-errors", "id_consent",
    ]  # fmt: skip

    page.get_by_role("link", name="请填写联系人姓名。").click()
    assert focused_id(page) == "id_contact_name"
    page.wait_for_function(  # scrolled into view (smoothly, where the reader has not asked for less motion)
        "() => { const r = document.getElementById('id_contact_name').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    page.locator("[data-error-link='id_region']").click()
    assert focused_id(page) == "id_region"
    # "At least one section": focus goes to the first section's first field.
    page.locator("[data-error-link='sections-errors']").click()
    assert focused_id(page) == "id_sections-0-heading"
    page.locator("[data-error-link='photos-errors']").click()
    assert focused_id(page) == "id_photos-0-image"
    page.locator("[data-error-link='id_consent']").click()
    assert focused_id(page) == "id_consent"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.watch.errors == [], page.watch.errors


def test_the_receipt_copies_the_tracking_link(phone_page, live_server):
    entry = submission_in(Status.SUBMITTED)
    page = phone_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + reverse("track:receipt", args=[entry.tracking_token]))
    button = page.get_by_role("button", name="复制链接")
    assert button.is_visible()
    button.click()
    page.wait_for_function("() => document.querySelector('[data-copy-status]').textContent.includes('已复制')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.input_value("#tracking-url") and entry.tracking_token in copied
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.watch.errors == [], page.watch.errors


def test_without_the_clipboard_the_link_is_selected_for_copying(phone_page, live_server):
    entry = submission_in(Status.SUBMITTED)
    page = phone_page
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', { value: undefined });")
    page.goto(live_server.url + reverse("track:receipt", args=[entry.tracking_token]))
    page.get_by_role("button", name="复制链接").click()
    page.wait_for_function("() => document.querySelector('[data-copy-status]').textContent !== ''")
    selected = page.evaluate(
        "() => { const el = document.getElementById('tracking-url'); return el.value.slice(el.selectionStart, el.selectionEnd); }"
    )
    assert entry.tracking_token in selected
    assert page.watch.errors == [], page.watch.errors
