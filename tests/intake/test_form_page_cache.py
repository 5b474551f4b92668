"""The empty entry form is rendered once and reused (issue 17, item 3): the reader gets the same
HTML as a fresh render, with their own CSRF token and a form stamp made now."""

import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from submissions.models import Submission
from submissions.platform import abuse, pagecache
from tests.submit_data import entry_data

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STAMP = re.compile(r'name="started" value="([^"]+)"')


def _normalised(html):
    return STAMP.sub('name="started" value="S"', TOKEN.sub('name="csrfmiddlewaretoken" value="T"', html))


def test_the_reused_form_is_the_page_a_fresh_render_gives(campaign, django_assert_max_num_queries):
    url = reverse("calls:submit", args=[campaign.slug])
    own = Client()
    own.cookies["sessionid"] = "x"  # a reader with a session: rendered for them, as before
    fresh = own.get(url).content.decode()
    reader = Client(enforce_csrf_checks=True)
    reader.get(url)
    with django_assert_max_num_queries(1) as captured:  # the shared cache's one read, nothing else
        reused = reader.get(url)
    assert reused.status_code == 200 and "no-cache" in reused["Cache-Control"]
    html = reused.content.decode()
    assert _normalised(html) == _normalised(fresh)
    assert "csrf-token-" not in html and "form-stamp-" not in html
    assert TOKEN.search(html).group(1) and reader.cookies["csrftoken"].value
    assert abs(signing.loads(STAMP.search(html).group(1), salt=abuse._SALT) - time.time()) < 5  # made now
    assert [q for q in captured.captured_queries if "portal_cache" not in q["sql"]] == []


def test_a_reader_posts_the_reused_form(campaign, region, settings):
    settings.FORM_MIN_SECONDS = 0
    url = reverse("calls:submit", args=[campaign.slug])
    reader = Client(enforce_csrf_checks=True)
    Client().get(url)  # rendered for an earlier reader
    html = reader.get(url).content.decode()
    data = entry_data(region, started=STAMP.search(html).group(1), csrfmiddlewaretoken=TOKEN.search(html).group(1))
    response = reader.post(url, data)
    assert response.status_code == 302 and Submission.objects.count() == 1


def test_each_reader_gets_a_token_of_their_own(campaign):
    url = reverse("calls:submit", args=[campaign.slug])
    first, second = (TOKEN.search(Client().get(url).content.decode()).group(1) for _ in range(2))
    assert first != second
    pagecache.bump()  # a campaign edited: rendered again
    assert TOKEN.search(Client().get(url).content.decode())


def test_a_closed_call_and_an_unknown_one_are_not_served_the_form(campaign):
    from datetime import timedelta

    from django.utils import timezone

    url = reverse("calls:submit", args=[campaign.slug])
    assert Client().get(url).status_code == 200
    campaign.closes_at = timezone.now() - timedelta(minutes=1)
    campaign.save()  # moves the page cache's version
    closed = Client().get(url)
    assert closed.status_code == 403 and 'name="csrfmiddlewaretoken"' not in closed.content.decode()
    assert Client().get(reverse("calls:submit", args=["no-such-call"])).status_code == 404
