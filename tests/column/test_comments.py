"""Readers' comments: submitted, held for moderation, guarded against bots and floods, always escaped."""

import re

import pytest
from django.urls import reverse

from submissions.models import Comment
from submissions.newsroom import publishing
from tests.factories import published_showcase

pytestmark = pytest.mark.django_db
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def article():
    return published_showcase()


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.FORM_MIN_SECONDS = 0


def _form_fields(client, article):
    """The comment form's guard fields as this reader gets them: on the page when it is their own,
    else from /form-token/, as static/js/article.js asks for them when the reader starts to write."""
    html = client.get(article.get_absolute_url()).content.decode()
    on_page = re.search(r'name="started" value="([^"]+)"', html)
    started = on_page.group(1) if on_page else client.get("/form-token/").json()["started"]
    return {"started": started, "website": ""}


def test_comment_is_held_until_approved(client, article, editor):
    url = reverse("showcase:comment", args=[article.slug])
    response = client.post(url, {"name": "张读者", "body": "学习了，很有启发。", **_form_fields(client, article)}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"{article.get_absolute_url()}#comments")
    html = response.content.decode()
    assert "评论已提交，审核通过后将显示。" in html and "学习了，很有启发。" not in html
    comment = Comment.objects.get()
    assert comment.state == Comment.State.PENDING and comment.showcase == article and len(comment.ip_hash) == 64
    assert "127.0.0.1" not in comment.ip_hash
    publishing.moderate(Comment.objects.all(), Comment.State.APPROVED, editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "学习了，很有启发。" in html and "张读者" in html and "评论（1）" in html


def test_comment_text_is_escaped(client, article, editor):
    url = reverse("showcase:comment", args=[article.slug])
    client.post(url, {"name": PAYLOAD[:30], "body": PAYLOAD, **_form_fields(client, article)})
    publishing.moderate(Comment.objects.all(), Comment.State.APPROVED, editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_missing_fields_are_explained_and_typed_text_kept(client, article):
    url = reverse("showcase:comment", args=[article.slug])
    response = client.post(url, {"name": "  ", "body": "我写了很长的一段评论", **_form_fields(client, article)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写昵称。" in html and "我写了很长的一段评论" in html
    assert not Comment.objects.exists()
    too_long = client.post(url, {"name": "甲", "body": "字" * 1001, **_form_fields(client, article)})
    assert "1000" in too_long.content.decode() and not Comment.objects.exists()


def test_honeypot_and_minimum_time(client, article, settings):
    url = reverse("showcase:comment", args=[article.slug])
    fields = _form_fields(client, article)
    response = client.post(url, {"name": "bot", "body": "spam", **fields, "website": "http://spam.example"})
    assert "提交未成功" in response.content.decode()
    settings.FORM_MIN_SECONDS = 60
    response = client.post(url, {"name": "快手", "body": "太快", **_form_fields(client, article)})
    assert "提交太快了" in response.content.decode() and "太快" in response.content.decode()
    expired = client.post(url, {"name": "甲", "body": "乙", "started": "forged"})
    assert "页面已过期" in expired.content.decode()
    assert not Comment.objects.exists()


def test_rate_limit_per_ip(client, article):
    url = reverse("showcase:comment", args=[article.slug])
    for index in range(5):
        response = client.post(url, {"name": f"读者{index}", "body": "评论", **_form_fields(client, article)})
        assert response.status_code == 302
    response = client.post(url, {"name": "读者6", "body": "第六条", **_form_fields(client, article)})
    assert response.status_code == 200 and "提交过于频繁" in response.content.decode() and "第六条" in response.content.decode()
    assert Comment.objects.count() == 5
    other = client.post(url, {"name": "别人", "body": "另一个地址", **_form_fields(client, article)}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_pending_comments_do_not_flush_the_cache(client, article):
    from submissions.platform import pagecache

    client.get(article.get_absolute_url())
    before = pagecache.version()
    Comment.objects.create(showcase=article, name="甲", body="乙")
    assert pagecache.version() == before
