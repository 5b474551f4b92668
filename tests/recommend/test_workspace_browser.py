"""The bodies' workspace in real Chromium at phone width (375 px): log in, list, check an entry item
by item (one refusal on the way: the message next to the field, the choices kept), recommend it,
download the 推荐表 and upload the stamped scan; no page scrolls sideways, none logs an error."""

import io

import pytest
from docx import Document

from submissions.models import Status
from tests.factories import PASSWORD
from tests.recommend.test_recommendation_files import SCANNED_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], page.url


def test_a_body_screens_and_recommends_an_entry_on_a_phone(phone_page, live_server, member, entry, tmp_path):
    page, base = phone_page, live_server.url
    page.goto(f"{base}/recommend/")
    page.wait_for_url(f"{base}/recommend/login/?next=/recommend/")
    fits(page)
    page.fill("#id_username", "jn-account")
    page.fill("#id_password", PASSWORD)
    page.click("[data-login-form] button[type=submit]")
    page.wait_for_url(f"{base}/recommend/")
    assert page.locator("[data-received]").inner_text() == "1"
    fits(page)
    page.click(f"[data-entry='{entry.pk}'] a")
    page.wait_for_url(f"{base}/recommend/{entry.pk}/")
    fits(page)
    # One item failed without a reason: refused next to it, the choice kept.
    page.check("#id_passed_consent_1")
    page.click("[data-check-form] button[type=submit]")
    feedback = page.locator("#div_id_reason_consent .invalid-feedback")
    assert "请写明原因" in feedback.inner_text()
    assert page.is_checked("#id_passed_consent_1")
    fits(page)
    page.check("#id_passed_consent_0")
    page.click("[data-check-form] button[type=submit]")
    assert "资格审查已通过" in page.locator(".alert-success").inner_text()
    page.fill("#id_opinion", "该品牌特色鲜明，同意推荐。")
    page.click("[data-recommend-form] button[type=submit]")
    assert page.locator("[data-status]").inner_text() == "已推荐"
    fits(page)
    with page.expect_download() as download:
        page.click("[data-form-download]")
    saved = tmp_path / "form.docx"
    download.value.save_as(saved)
    assert Document(io.BytesIO(saved.read_bytes())).tables[0].rows[0].cells[1].text == "历下区示范街道党工委"
    scan = tmp_path / "盖章推荐表.pdf"
    scan.write_bytes(SCANNED_PDF)
    page.set_input_files("#id_scan", str(scan))
    page.click("[data-scan-form] button[type=submit]")
    assert "盖章推荐表已上传" in page.locator("[data-scan-present]").inner_text()
    fits(page)
    # The refused check answered 400 (its page, with the messages), and a download leaves its page's request aborted.
    expected = ("/check/", "status of 400", "form.docx net::ERR_ABORTED")
    assert [error for error in page.watch.errors if not any(part in error for part in expected)] == []
    entry.refresh_from_db()
    assert entry.status == Status.RECOMMENDED and entry.recommendation.scan
