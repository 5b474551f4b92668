"""从 Word 导入 in real Chromium at phone width: upload a document, see the form filled, correct a
field, submit, land on the receipt; the entry's sections are the document's."""

import pytest

from submissions.models import Status, Submission
from tests import docx_corpus as corpus
from tests.browser import word_steps
from tests.factories import CampaignFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE = next(c for c in corpus.CASES if c["name"] == "photos-captions-footnote")


def test_phone_imports_a_word_document_corrects_it_and_submits(phone_page, live_server, settings):
    settings.FORM_MIN_SECONDS = 0
    RegionFactory()
    campaign = CampaignFactory()
    page = phone_page
    page.goto(f"{live_server.url}/call/{campaign.slug}/submit/")
    page.fill("#id_contact_name", "李四")  # typed before the import: kept
    document = {
        "name": "三元朱村党建品牌.docx",
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "buffer": corpus.build(CASE),
    }
    page.set_input_files("#id_import-document", files=[document])
    page.click("[data-import-button]")
    page.wait_for_selector("[data-import-done]")
    assert page.input_value("#id_org_name") == "潍坊市寿光市三元朱村党支部"
    assert page.input_value("#id_brand_name") == "菜乡先锋"
    assert page.input_value("#id_contact_name") == "李四"
    assert page.input_value("#id_sections-1-heading") == "党员示范带群众"
    assert page.input_value("#id_sections-3-body") == "开展“好婆婆”“好媳妇”评选，村风民风持续向好。"
    assert page.locator("img[data-uploaded]").count() == 4
    assert page.input_value("#id_photos-2-caption") == "党员先锋岗"
    assert "文档中未找到" in page.locator("[data-import-done]").inner_text()
    assert page.locator("#id_brand_idea.import-missing").count() == 1
    assert Submission.objects.count() == 0  # nothing is submitted by the import
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.fill("#id_brand_slogan", "党建强村，蔬菜富民，共同富裕")  # the submitter corrects one field
    page.fill("#id_contact_phone", "13812345678")
    word_steps.complete_and_submit(page)
    entry = Submission.objects.get()
    assert entry.status == Status.SUBMITTED
    assert entry.brand_slogan == "党建强村，蔬菜富民，共同富裕"
    assert entry.org_name == "潍坊市寿光市三元朱村党支部"
    # (a browser sends a textarea's line breaks as CRLF, as for any typed text)
    assert [(s.heading, s.body.replace("\r\n", "\n")) for s in entry.sections.all()] == [
        ("支部带头闯新路", "支部书记带领党员率先试种冬暖式大棚。"),
        ("党员示范带群众", "每名党员联系5户群众，手把手传授技术。\n一是技术帮带；二是销售帮带。"),
        ("合作共富奔小康", "成立蔬菜合作社，统一品种、统一标准、统一销售。"),
        ("乡风文明树新风", "开展“好婆婆”“好媳妇”评选，村风民风持续向好。"),
    ]
    assert [p.caption for p in entry.photos.all()] == [
        "图为党员志愿者为群众服务",
        "支部开展主题党日活动",  # the caption's ▲ and 图3： markers are not part of it
        "党员先锋岗",
        "支部书记讲党课",
    ]
    assert page.watch.errors == [], page.watch.errors


def test_import_works_without_javascript(phone_page_without_script, live_server, settings):
    page = phone_page_without_script
    settings.FORM_MIN_SECONDS = 0
    RegionFactory()
    campaign = CampaignFactory()
    page.goto(f"{live_server.url}/call/{campaign.slug}/submit/")
    page.set_input_files(
        "#id_import-document",
        files=[{"name": "a.docx", "mimeType": "application/octet-stream", "buffer": corpus.build(corpus.CASES[2])}],
    )
    page.click("[data-import-button]")
    page.wait_for_selector("[data-import-done]")
    assert page.input_value("#id_org_name") == "潍坊市寿光市三元朱村党支部"
    assert page.input_value("#id_sections-0-heading") == "支部带头闯新路"
