"""The brand's page and the index in real Chromium at phone width: no horizontal scrolling, no console
error (CSP included), the article reached from the brand and the brand from the article."""

import pytest

from submissions.models import Brand
from tests.brands.helpers import article_of, campaign_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_ORG = "示范省港口集团有限公司第一集装箱码头装卸作业区联合党支部委员会第二党小组"


def test_the_brand_page_fits_375_px_and_links_both_ways(phone_page, live_server):
    older = article_of(
        campaign_of(2024, title="2024年度优秀党建品牌征集展示活动（第一季）"), org_name=LONG_ORG, brand_name="码头先锋红帆领航"
    )
    article_of(campaign_of(2025), org_name=LONG_ORG, brand_name="码头先锋红帆领航", brand_idea="党员" * 300)
    brand = Brand.objects.get()
    page = phone_page
    for path in (brand.get_absolute_url(), "/brands/"):
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    page.goto(live_server.url + older.get_absolute_url())
    page.get_by_role("link", name="品牌档案").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(brand.get_absolute_url())
    page.get_by_role("link", name=older.title).click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(older.get_absolute_url())
    assert page.watch.errors == [], page.watch.errors
