"""The submission form in real Chromium at phone width: the whole form, a mistake corrected
without uploading again, the receipt and the tracking page; and what is typed surviving a reload."""

import pytest

from submissions.models import Status, Submission
from tests.browser.receipt import wait_for_receipt
from tests.factories import CampaignFactory, RegionFactory
from tests.submit_data import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_file(name, color):
    return {"name": name, "mimeType": "image/jpeg", "buffer": image_bytes(size=(900, 600), color=color)}


def fill_entry(page, phone):
    page.fill("#id_org_name", "山东高速股份有限公司济南收费站党支部")
    page.fill("#id_org_parent", "山东高速股份有限公司党委")
    page.select_option("#id_org_type", "branch")
    page.select_option("#id_sector", "state_enterprise")
    page.select_option("#id_region", label="济南")
    page.fill("#id_contact_name", "张三")
    page.fill("#id_contact_phone", phone)
    page.fill("#id_contact_email", "zhangsan@example.com")
    page.check("#id_kind_0")
    page.fill("#id_brand_name", "零距离")
    page.fill("#id_brand_slogan", "服务零距离")
    page.fill("#id_brand_idea", "党员与群众心连心。")
    page.fill("#id_introduction", "近年来，该党支部坚持党建引领。")
    page.fill("#id_results", "先后获得全省先进基层党组织称号。")


def test_phone_fills_the_whole_form_corrects_a_mistake_without_reuploading_and_gets_a_receipt(phone_page, live_server, settings):
    settings.FORM_MIN_SECONDS = 0
    RegionFactory()
    campaign = CampaignFactory()
    page = phone_page
    page.goto(f"{live_server.url}/call/{campaign.slug}/submit/")
    fill_entry(page, phone="1381234567")  # ten digits: wrong
    # The live counter follows the typing.
    assert page.locator("[data-counter-of='brand_name']").inner_text() == "3 / 20"

    sections = page.locator("[data-formset=sections] [data-item]:visible")
    assert sections.count() == 3
    for index in range(3):
        page.fill(f"#id_sections-{index}-heading", f"做法{index + 1}")
        page.fill(f"#id_sections-{index}-body", f"正文{index + 1}")
    page.click("[data-formset=sections] [data-add]")
    assert sections.count() == 4
    page.fill("#id_sections-3-heading", "做法4")
    page.fill("#id_sections-3-body", "正文4")
    sections.nth(3).locator("[data-move='-1']").click()  # 做法4 becomes the third section
    dialogs = []
    page.once("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.accept())
    sections.nth(1).locator("[data-remove]").click()  # 做法2 goes, after a confirmation
    assert dialogs == ["删除第 2 个章节吗？"]
    assert sections.count() == 3
    assert [sections.nth(i).locator("[data-number]").inner_text() for i in range(3)] == ["1", "2", "3"]

    page.set_input_files("#id_photos-0-image", files=[photo_file("a.jpg", (200, 30, 30))])
    page.fill("#id_photos-0-caption", "主题党日活动")
    page.set_input_files("#id_photos-1-image", files=[photo_file("b.jpg", (30, 200, 30))])
    page.fill("#id_photos-1-caption", "志愿服务")
    page.click("[data-formset=photos] [data-add]")
    page.set_input_files("#id_photos-3-image", files=[photo_file("c.jpg", (30, 30, 200))])
    page.fill("#id_photos-3-caption", "荣誉墙")
    page.check("#id_consent")
    page.click("button[value=submit]")

    # Refused, with the message next to the phone field; everything else came back.
    page.wait_for_selector("[data-error-summary]")
    phone = page.locator("#id_contact_phone")
    assert "is-invalid" in phone.get_attribute("class")
    assert "11位" in page.locator("#div_id_contact_phone").inner_text()
    assert page.input_value("#id_brand_name") == "零距离"
    uploaded = page.locator("img[data-uploaded]")
    assert uploaded.count() == 3
    for index in range(3):  # the thumbnails really load from the server
        uploaded.nth(index).scroll_into_view_if_needed()
        for _attempt in range(50):
            if uploaded.nth(index).evaluate("img => img.complete && img.naturalWidth > 0"):
                break
            page.wait_for_timeout(100)
        assert uploaded.nth(index).evaluate("img => img.naturalWidth") > 0
    assert Submission.objects.count() == 0

    page.fill("#id_contact_phone", "13812345678")
    page.click("button[value=submit]")
    wait_for_receipt(page)
    entry = Submission.objects.get()
    assert page.locator("[data-reference]").inner_text() == entry.reference
    assert entry.status == Status.SUBMITTED
    assert [s.heading for s in entry.sections.all()] == ["做法1", "做法4", "做法3"]
    assert [p.caption for p in entry.photos.all()] == ["主题党日活动", "志愿服务", "荣誉墙"]
    assert entry.tracking_token in page.input_value("#tracking-url")

    page.click("[data-tracking-link]")
    page.wait_for_selector("[data-status]")
    assert page.locator("[data-status]").inner_text() == "已报送"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.watch.errors == [], page.watch.errors


def test_typing_survives_a_reload(phone_page, live_server):
    RegionFactory()
    campaign = CampaignFactory()
    page = phone_page
    url = f"{live_server.url}/call/{campaign.slug}/submit/"
    page.goto(url)
    page.fill("#id_org_name", "某某社区党委")
    page.select_option("#id_org_type", "committee")
    page.click("[data-formset=sections] [data-add]")
    page.fill("#id_sections-3-heading", "第四节")
    page.fill("#id_introduction", "一段很长的介绍。")
    page.wait_for_timeout(600)  # the page keeps what is typed after a short pause
    page.reload()
    assert page.locator("[data-restored]").is_visible()
    assert page.input_value("#id_org_name") == "某某社区党委"
    assert page.input_value("#id_org_type") == "committee"
    assert page.input_value("#id_introduction") == "一段很长的介绍。"
    assert page.input_value("#id_sections-3-heading") == "第四节"
    assert page.watch.errors == [], page.watch.errors
