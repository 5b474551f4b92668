"""The comment form of a cached article page in real Chromium: the page carries no reader's token,
so the form fetches one when the reader writes; without script, nothing typed is lost."""

import pytest

from submissions.models import Comment
from tests.factories import published_showcase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _send(page):
    with page.expect_navigation():  # the script may fetch the token first, then send
        page.get_by_role("button", name="提交评论").click()


def _write(page, body):
    page.fill("#id_name", "渔民老张")
    page.fill("#id_body", body)
    _send(page)


def test_a_reader_without_script_sends_twice_and_keeps_the_text(phone_page_without_script, live_server, settings):
    page = phone_page_without_script
    settings.FORM_MIN_SECONDS = 0
    article = published_showcase()
    page.goto(live_server.url + article.get_absolute_url())
    _write(page, "没有脚本也能留言。")
    assert "请再点一次“提交评论”" in page.content() and not Comment.objects.exists()
    assert page.input_value("#id_body") == "没有脚本也能留言。" and page.input_value("#id_name") == "渔民老张"
    _send(page)
    assert "审核通过后将显示" in page.content()
    assert Comment.objects.get().body == "没有脚本也能留言。"


def test_a_reader_whose_token_does_not_arrive_keeps_the_text(phone_page, live_server, settings):
    settings.FORM_MIN_SECONDS = 0
    article = published_showcase()
    page = phone_page
    page.route("**/form-token/", lambda route: route.abort())  # the network drops the token request
    page.goto(live_server.url + article.get_absolute_url())
    _write(page, "网络断了也不丢。")
    assert "请再点一次“提交评论”" in page.content() and page.input_value("#id_body") == "网络断了也不丢。"
    page.unroute("**/form-token/")
    _send(page)
    assert "审核通过后将显示" in page.content() and Comment.objects.get().body == "网络断了也不丢。"
    # Only the dropped requests and the 403 that gave the form back; no script error.
    assert [error for error in page.watch.errors if error.startswith("page error")] == [], page.watch.errors
