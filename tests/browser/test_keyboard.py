"""The entry form with the keyboard only, in real Chromium at phone width: Tab reaches every
control and each shows a focus ring; a failed submit puts focus on the error summary; sections
are added, moved and removed with Enter, the buttons say which section they act on, a move is
announced in the form's one live region, and focus stays in the list when a section goes."""

import pytest

from tests.factories import CampaignFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none";
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name") || "",
          label: el.getAttribute("aria-label") || "", ring: ring, text: (el.textContent || "").trim().slice(0, 40)};
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def test_keyboard_only_journey_through_the_entry_form(phone_page, live_server, settings):
    settings.FORM_MIN_SECONDS = 0
    RegionFactory()
    campaign = CampaignFactory()
    page = phone_page
    page.goto(f"{live_server.url}/call/{campaign.slug}/submit/")

    # The first Tab reaches the skip link; it leads to the main content.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "跳到正文" and first["ring"], first
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # Tab through the whole page: every control it stops on shows a focus ring.
    seen, without_ring = [], []
    for _step in range(200):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == "body":
            break
        seen.append(now["id"] or now["name"] or now["text"])
        if not now["ring"]:
            without_ring.append(now)
        if now["tag"] == "button" and now["name"] == "action" and "草稿" in now["text"]:
            break
    assert without_ring == [], without_ring
    for control in ["id_org_name", "id_contact_phone", "id_sections-0-heading", "id_sections-0-body", "id_consent"]:
        assert control in seen, (control, seen)

    # The item buttons are numbered for screen readers.
    sections = page.locator("[data-formset=sections] [data-item]:visible")
    labels = [
        sections.nth(1).locator(selector).get_attribute("aria-label")
        for selector in ["[data-move='-1']", "[data-move='1']", "[data-remove]"]
    ]
    assert labels == ["上移第2节", "下移第2节", "删除第2节"]

    # Add a section with the keyboard: focus goes to its heading.
    page.focus("[data-formset=sections] [data-add]")
    page.keyboard.press("Enter")
    assert sections.count() == 4
    assert page.evaluate("() => document.activeElement.id") == "id_sections-3-heading"
    page.keyboard.type("做法4")

    # Move it up with the keyboard: the move is announced once, focus stays on the moved section's button.
    page.focus("#id_sections-3-heading")
    page.locator("[data-formset=sections] [data-item]:visible").nth(3).locator("[data-move='-1']").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-announce]').textContent === '已移到第3节'")
    assert focused(page)["label"] == "上移第3节"
    assert page.locator("[aria-live]").count() == 1 + page.locator(".article-tools-status").count()
    assert page.locator("[data-counter-of][aria-live]").count() == 0

    # Remove the (empty) second section: focus moves to the next section's delete button, now numbered 2.
    sections.nth(1).locator("[data-remove]").focus()
    page.keyboard.press("Enter")
    assert sections.count() == 3
    assert focused(page)["label"] == "删除第2节"
    page.wait_for_function("() => document.querySelector('[data-announce]').textContent === '已删除，还有3节'")

    # Submit with errors (nothing filled in): focus lands on the error summary at the top.
    page.focus("button[value=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-error-summary]")
    page.wait_for_load_state("load")
    assert focused(page)["id"] == "error-summary", (focused(page), page.watch.errors)
    # And no photo preview is an <img> without a src.
    assert page.locator("img:not([src])").count() == 0
    assert page.watch.errors == [], page.watch.errors
