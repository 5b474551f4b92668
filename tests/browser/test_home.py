"""The home page in real Chromium, at phone and desktop width."""

import pytest

from tests.factories import add_photo, published_showcase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_home_renders_in_chinese_with_every_static_file(request, page_fixture, live_server):
    article = published_showcase()
    photo = add_photo(article.submission)
    article.photos.create(photo=photo, caption="活动照片")
    page = request.getfixturevalue(page_fixture)
    loaded = []
    page.on("response", lambda res: loaded.append((res.url, res.status)))
    response = page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    nav = page.locator("nav.portal-nav")
    for label in ["征集启事", "我要报送", "进度查询", "品牌巡展"]:
        assert nav.get_by_role("link", name=label).is_visible()
    statics = [(url, status) for url, status in loaded if "/static/" in url]
    assert len(statics) >= 4, statics
    assert all(status == 200 for _url, status in statics), statics
    # Bootstrap's CSS really applied: the container is centred and the nav laid out.
    assert page.evaluate("getComputedStyle(document.body).fontFamily").find("PingFang SC") >= 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "no horizontal scrolling"
    assert page.watch.errors == [], page.watch.errors
