"""The chief editor signs off on the article as it will appear (issue 29, item 5): the sign-off queue
opens the preview, the preview carries the workflow's buttons and a press stays on it; chief
editors see their own queue first on the admin's first page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from submissions.admin import queues as admin_queues
from submissions.models import Showcase
from tests.factories import article_in
from tests.review import queue_names

A = Showcase.State
pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def _preview(article):
    return reverse("admin:submissions_showcase_preview", args=[article.pk])


def test_the_signoff_queue_opens_the_preview(chief):
    article = article_in(A.AWAITING_SIGNOFF)
    html = _as(chief).get(INDEX).content.decode()
    link = re.search(r'id="queue-signoff".*?class="queue-items"><li><a href="([^"]+)">', html, re.S)
    assert link and link.group(1) == f"{_preview(article)}?queue=signoff", link and link.group(1)


def test_chief_sees_the_signoff_queue_first_editor_the_entries(chief, editor):
    article_in(A.AWAITING_SIGNOFF)
    chief_names = [row["queue"].name for row in admin_queues.summary(chief)]
    assert chief_names[:2] == ["signoff", "scheduled"], chief_names
    assert set(chief_names[2:]) == set(queue_names.CHIEF) - {"signoff", "scheduled"}
    html = _as(chief).get(INDEX).content.decode()
    assert html.index('id="queue-signoff"') < html.index('id="queue-triage"')
    editor_names = [row["queue"].name for row in admin_queues.summary(editor)]
    assert editor_names == queue_names.EDITOR


def test_preview_carries_the_signoff_buttons_and_stays_there(chief):
    article = article_in(A.AWAITING_SIGNOFF)
    client = _as(chief)
    html = client.get(_preview(article), {"queue": "signoff"}).content.decode()
    assert 'class="preview-signoff' in html and article.title in html
    assert 'value="signed_off"' in html and 'value="draft"' in html  # sign off, or send back with a note
    assert 'name="back" value="preview"' in html and 'name="queue" value="signoff"' in html
    move = reverse("admin:submissions_showcase_move", args=[article.pk])
    response = client.post(move, {"to": A.SIGNED_OFF, "back": "preview", "queue": "signoff"})
    assert response.status_code == 302 and response["Location"] == f"{_preview(article)}?queue=signoff"
    article.refresh_from_db()
    assert article.state == A.SIGNED_OFF and article.signed_off_by == chief
    html = client.get(response["Location"]).content.decode()
    assert "文章状态已变为“已签审”" in html and 'value="published"' in html  # publish from the same page


def test_send_back_from_the_preview_needs_its_note(chief):
    article = article_in(A.AWAITING_SIGNOFF)
    client = _as(chief)
    move = reverse("admin:submissions_showcase_move", args=[article.pk])
    response = client.post(move, {"to": A.DRAFT, "back": "preview", "message": ""}, follow=True)
    article.refresh_from_db()
    assert article.state == A.AWAITING_SIGNOFF
    assert response.redirect_chain[-1][0] == _preview(article)
    response = client.post(move, {"to": A.DRAFT, "back": "preview", "message": "第二节数据需核实。"}, follow=True)
    article.refresh_from_db()
    assert article.state == A.DRAFT
    assert "第二节数据需核实。" in response.content.decode()  # the note shows above the article


def test_preview_without_rights_shows_no_buttons(editor):
    article = article_in(A.AWAITING_SIGNOFF, responsible_editor=editor)
    html = _as(editor).get(_preview(article)).content.decode()
    assert 'value="signed_off"' not in html and "等待另一位签审编辑签审" in html
    assert "<script>alert" not in html


def test_a_bad_queue_name_is_not_carried(chief):
    article = article_in(A.AWAITING_SIGNOFF)
    html = _as(chief).get(_preview(article), {"queue": '"><script>alert(1)</script>'}).content.decode()
    assert 'name="queue"' not in html and "<script>alert(1)" not in html
