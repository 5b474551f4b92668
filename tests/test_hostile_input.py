"""Hostile input to every form and page that exists: never a 500, errors shown, nothing stored.

New forms get one call of `assert_form_survives` (tests/hostile.py) each.
"""

import time
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from submissions.models import Campaign, Criterion
from tests.factories import make_user, published_showcase
from tests.hostile import assert_form_survives, assert_page_survives, form_fields, hostile_text

pytestmark = pytest.mark.django_db


def test_language_switch_survives_and_never_redirects_off_site(client):
    assert_form_survives(client, "/i18n/setlang/", {"language": "en", "next": "/showcase/"})


def test_language_switch_refuses_foreign_next_urls(client):
    for target in ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example", "http:/\\evil.example"]:
        response = client.post("/i18n/setlang/", {"language": "en", "next": target})
        assert response.status_code == 302
        assert response["Location"] == "/", target


def test_admin_login_survives(client, settings):
    settings.AXES_FAILURE_LIMIT = 100_000  # the lockout is tested elsewhere; here every post reaches the form
    make_user("editor", username="hostile-editor")
    valid = {"username": "hostile-editor", "password": "wrong password", "next": "/admin/"}
    assert_form_survives(client, "/admin/login/", valid, model_counts=[get_user_model()], accepts=False)


def test_admin_form_with_inline_formset_survives_broken_management_fields(client, editor):
    client.force_login(editor)
    url = "/admin/submissions/campaign/add/"
    valid = form_fields(client.get(url).content.decode())
    assert "criteria-TOTAL_FORMS" in valid, sorted(valid)
    valid.update(
        title="第二届优秀党建品牌征集",
        slug="second",
        call_text="欢迎报送。",
        kinds='["practice"]',
        opens_at_0="2026-01-01",
        opens_at_1="08:00:00",
        closes_at_0="2026-12-31",
        closes_at_1="18:00:00",
        mailbox="mailbox@example.com",
    )
    response = client.post(url, valid)
    assert response.status_code == 302, "the valid data is valid"
    Campaign.objects.filter(slug="second").delete()
    # TOTAL_FORMS of a million included: the admin's inlines stop at a small absolute_max.
    assert_form_survives(client, url, valid, model_counts=[Campaign, Criterion], max_examples=25)


def test_admin_inline_formsets_refuse_a_million_forms_quickly(client, editor):
    client.force_login(editor)
    url = "/admin/submissions/campaign/add/"
    valid = form_fields(client.get(url).content.decode())
    valid.update(title="百万表单", slug="million", **{"criteria-TOTAL_FORMS": "1000000"})
    started = time.monotonic()
    response = client.post(url, valid)
    assert time.monotonic() - started < 5  # unbounded: 2000 blank forms, ~8 s and megabytes
    assert response.status_code == 200 and len(response.content) < 500_000
    assert "errornote" in response.content.decode()
    assert not Campaign.objects.filter(slug="million").exists()


def test_public_pages_survive_hostile_query_strings(client):
    published_showcase()
    assert_page_survives(client, "/showcase/", ["page"])
    assert_page_survives(client, "/", ["q", "next"])


@hypothesis_settings(
    max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(segment=hostile_text.filter(lambda s: 0 < len(s) < 3000), area=st.sampled_from(["track", "showcase", "call", "media"]))
def test_hostile_path_segments_are_404_never_500(client, segment, area):
    response = client.get(f"/{area}/{quote(segment, safe='')}/")
    assert response.status_code in (200, 301, 302, 404), response.status_code
