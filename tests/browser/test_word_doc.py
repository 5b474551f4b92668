"""从 Word 导入 of an old .doc in real Chromium at phone width: the page shows the conversion's
progress while the worker converts it, then the filled form (what was typed meanwhile kept);
the submitter completes it and lands on the receipt."""

import pytest

from submissions.intake import tasks as intake_tasks
from submissions.models import Status, Submission
from tests import doc_samples
from tests import docx_corpus as corpus
from tests.browser import campaign_steps as steps
from tests.browser import word_steps
from tests.factories import CampaignFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE = next(c for c in corpus.CASES if c["name"] == "photos-captions-footnote")


def test_phone_imports_an_old_doc_through_the_worker_and_submits(phone_page, live_server, settings):
    settings.FORM_MIN_SECONDS = 0
    settings.TASKS_EAGER = False  # the web process only queues the conversion, as in production
    RegionFactory()
    campaign = CampaignFactory()
    page = phone_page
    page.goto(f"{live_server.url}/call/{campaign.slug}/submit/")
    assert ".doc" in page.get_attribute("#id_import-document", "accept")
    page.fill("#id_contact_name", "李四")  # typed before the import: kept
    document = {
        "name": "三元朱村党建品牌.doc",
        "mimeType": "application/msword",
        "buffer": doc_samples.to_doc(corpus.build(CASE)),
    }
    page.set_input_files("#id_import-document", files=[document])
    page.click("[data-import-button]")
    page.wait_for_selector("[data-word-job]")
    assert "正在把旧版 Word 文档" in page.locator("[data-word-job-text]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.fill("#id_contact_phone", "13812345678")  # typed while it converts: kept
    key = page.input_value("input[name=import_job]")

    assert steps.off_the_loop(intake_tasks.convert_word_document, key) == "done"  # the worker
    page.wait_for_selector("[data-import-done]", timeout=30000)  # the page's script saw it done and posted
    assert page.locator("[data-word-job]").count() == 0
    assert page.input_value("#id_org_name") == "潍坊市寿光市三元朱村党支部"
    assert page.input_value("#id_brand_name") == "菜乡先锋"
    assert page.input_value("#id_contact_name") == "李四"
    assert page.input_value("#id_contact_phone") == "13812345678"
    assert page.input_value("#id_sections-1-heading") == "党员示范带群众"
    assert page.locator("img[data-uploaded]").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    word_steps.complete_and_submit(page)
    entry = Submission.objects.get()
    assert entry.status == Status.SUBMITTED
    assert entry.org_name == "潍坊市寿光市三元朱村党支部"
    assert entry.contact_phone == "13812345678"
    assert [s.heading for s in entry.sections.all()] == ["支部带头闯新路", "党员示范带群众", "合作共富奔小康", "乡风文明树新风"]
    assert entry.photos.count() == 4
    assert page.watch.errors == [], page.watch.errors


def test_a_doc_that_fails_to_convert_says_so_under_the_field_without_javascript(phone_page_without_script, live_server, settings):
    page = phone_page_without_script
    settings.FORM_MIN_SECONDS = 0
    RegionFactory()
    campaign = CampaignFactory()
    page.goto(f"{live_server.url}/call/{campaign.slug}/submit/")
    page.fill("#id_org_name", "我填的单位")
    fake = {"name": "做法.doc", "mimeType": "application/msword", "buffer": b"{\\rtf1\\ansi hello}"}
    page.set_input_files("#id_import-document", files=[fake])
    page.click("[data-import-button]")
    page.wait_for_selector("#id_import-document.is-invalid")
    assert "这是 RTF 格式的文件" in page.locator("#word-import").inner_text()
    assert page.input_value("#id_org_name") == "我填的单位"
