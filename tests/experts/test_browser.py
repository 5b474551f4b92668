"""The expert's page in real Chromium at phone width (375 px): read the entry, write, save a draft,
submit; nothing wider than the screen, no script error."""

import pytest
from django.urls import reverse

from submissions.experts import links
from submissions.models import CommentaryStatus
from tests.experts.helpers import TEXT, requested

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_expert_writes_through_the_link_on_a_phone(phone_page, live_server):
    request = requested()
    page = phone_page
    page.goto(live_server.url + reverse("experts:write", args=[links.sign(request)]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.fill("#id_text", "先写一半")
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    assert "草稿已保存" in page.content() and page.input_value("#id_text") == "先写一半"
    page.fill("#id_text", TEXT)
    page.fill("#id_diagnosis", "建议量化成效。")
    with page.expect_navigation():
        page.get_by_role("button", name="提交点评").click()
    assert "点评已提交" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    request.refresh_from_db()
    assert request.status == CommentaryStatus.WRITTEN and request.text == TEXT
    assert [error for error in page.watch.errors if error.startswith("page error")] == [], page.watch.errors
