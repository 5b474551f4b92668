"""The article's share and read features in real Chromium: the reading beacon counts a phone
reader once (and a headless browser never), and 分享海报 / 打印 / 复制链接 work as plain links."""

import pytest
from playwright.sync_api import expect

from submissions.column import viewcounts
from submissions.models import ShowcaseViews
from tests.conftest import PageWatch
from tests.factories import published_showcase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WECHAT = (
    "Mozilla/5.0 (Linux; Android 13; V2145A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47"
)


def _context(browser, **options):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.watch = PageWatch(page)
    return context, page


def test_a_phone_reader_is_counted_once_and_sees_the_count(browser, live_server):
    article = published_showcase()
    context, page = _context(browser, user_agent=WECHAT)
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("[data-views]")).to_have_text("1")  # the beacon's answer (no string eval: the CSP forbids it)
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-views]")).to_have_text("1")  # a reload is not counted again
    assert viewcounts.flush() == 1 and ShowcaseViews.objects.get(showcase=article).count == 1
    assert page.watch.errors == []
    context.close()


def test_a_headless_browser_is_not_counted(phone_page, live_server):
    article = published_showcase()
    phone_page.goto(live_server.url + article.get_absolute_url())
    phone_page.wait_for_load_state("networkidle")
    assert viewcounts.flush() == 0 and phone_page.watch.errors == []


def test_share_print_and_copy_work_without_script(browser, live_server, settings):
    article = published_showcase()
    url = live_server.url + article.get_absolute_url()
    context, page = _context(browser, java_script_enabled=False, user_agent=WECHAT)
    page.goto(url)
    # Each page is left only when nothing is in flight (the poster's bytes): leaving sooner
    # aborts the request, which the watch counts.
    page.wait_for_load_state("networkidle")
    with page.expect_response("**/poster.jpg") as poster:
        page.get_by_role("link", name="分享海报").click()
    assert poster.value.status == 200 and poster.value.headers["content-type"] == "image/jpeg"
    assert "长按图片保存" in page.content()
    page.wait_for_load_state("networkidle")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="打印").click()
    page.wait_for_url("**/print/")
    assert "便于打印的版式" in page.content() and article.title in page.content()
    page.wait_for_load_state("networkidle")
    page.goto(url)
    assert page.get_by_role("link", name="复制链接").get_attribute("href") == f"{settings.SITE_URL}{article.get_absolute_url()}"
    assert page.watch.errors == []
    context.close()
