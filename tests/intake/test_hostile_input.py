"""Hostile input to every form and page that exists: never a 500, errors shown, nothing stored.

New forms get one call of `assert_form_survives` (tests/hostile.py) each.
"""

import collections
from urllib.parse import quote

import pytest
from django import forms
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


def test_admin_inline_formsets_refuse_a_million_forms_quickly(client, editor, monkeypatch):
    client.force_login(editor)
    url = "/admin/submissions/campaign/add/"
    valid = form_fields(client.get(url).content.decode())
    valid.update(title="百万表单", slug="million", **{"criteria-TOTAL_FORMS": "1000000"})
    built = collections.Counter()  # forms built, by model: work counted, not seconds
    init = forms.BaseForm.__init__

    def counting_init(form, *args, **kwargs):
        built[getattr(getattr(form, "_meta", None), "model", None)] += 1
        init(form, *args, **kwargs)

    monkeypatch.setattr(forms.BaseForm, "__init__", counting_init)
    response = client.post(url, valid)
    monkeypatch.undo()
    # At most 50 criteria forms (the inlines' ceiling) and the page's empty row, built a few times
    # by the template; unbounded: 2000 blank forms, ~8 s and megabytes.
    assert 50 <= built[Criterion] <= 60, built
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


# Issue 11, findings 3-5: control characters and NUL ------------------------------------------

CONTROL = "\x01\x08\x0b\x1b\x7f\x9f"


def test_control_characters_are_removed_from_every_post_before_any_form_sees_it(client, settings):
    """One mechanism for every form: the public ones, the comment form, the admin's."""
    settings.FORM_MIN_SECONDS = 0
    from submissions.models import Comment
    from tests.submit_data import started

    article = published_showcase()
    response = client.post(
        f"/showcase/{article.slug}/comment/",
        {"name": f"读{CONTROL}者", "body": "很受\x01启发。\r\n第二行\t有制表符", "website": "", "started": started()},
    )
    assert response.status_code in (200, 302)
    comment = Comment.objects.get()
    assert comment.name == "读者" and comment.body == "很受启发。\n第二行\t有制表符"


def test_control_characters_are_removed_from_admin_forms(client, editor):
    client.force_login(editor)
    from submissions.models import SiteSettings

    site = SiteSettings.load()
    url = f"/admin/submissions/sitesettings/{site.pk}/change/"
    data = form_fields(client.get(url).content.decode())
    data["site_name"] = "平台\x01名\x1b称"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    site.refresh_from_db()
    assert site.site_name == "平台名称"


def test_the_public_entry_form_stores_no_control_character(client, settings):
    settings.FORM_MIN_SECONDS = 0
    from submissions.models import Submission
    from tests.factories import CampaignFactory, RegionFactory
    from tests.submit_data import entry_data

    campaign = CampaignFactory()
    data = entry_data(RegionFactory(), brand_name="\x01零距离\x7f", org_name="某某\x0c党支部", **{"photos-0-caption": "照\x01片"})
    response = client.post(f"/call/{campaign.slug}/submit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Submission.objects.get()
    assert (entry.brand_name, entry.org_name, entry.photos.get().caption) == ("零距离", "某某党支部", "照片")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_of_rows_that_hold_control_characters_carry_no_formula(client, editor, fmt):
    """Rows stored before input was cleaned: the guard runs after the characters are removed."""
    import csv
    import io

    from openpyxl import load_workbook

    from submissions.models import Status
    from tests.factories import submission_in

    entry = submission_in(Status.SUBMITTED, org_name='\x01=HYPERLINK("http://evil.example/","点我")', brand_name="\x1f+1")
    client.force_login(editor)
    content = client.get(f"/admin/submissions/submission/export/{fmt}/").content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    else:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8")[1:])))
    row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == entry.reference), strict=True))
    assert row["党组织全称"] == '\'=HYPERLINK("http://evil.example/","点我")'
    assert row["品牌名称"] == "'+1"


def test_feed_sitemap_and_word_file_survive_control_characters_in_stored_rows(client, editor):
    """Finding 4: `\\x01` in a published brand name made /showcase/feed/ answer 500 for everyone."""
    article = published_showcase(title="优秀党建品牌巡展|某某打造“零\x01距离”", lead="导语\x02有控制符", byline="记者\x1b甲")
    feed = client.get("/showcase/feed/")
    assert feed.status_code == 200
    assert "零距离" in feed.content.decode() and "\x01" not in feed.content.decode()
    assert client.get("/sitemap.xml").status_code == 200
    client.force_login(editor)
    response = client.get(f"/admin/submissions/showcase/{article.pk}/docx/")
    assert response.status_code == 200
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "零距离" in text and "导语有控制符" in text


NUL_URLS = [
    "/track/%00/",
    "/track/%00/edit/",
    "/call/photo/%00abc/thumbnail/",
    "/showcase/%00/",
    "/showcase/?q=%00",
    "/?next=a%00b",
    "/admin/submissions/submission/1/score/%00/",
    "/admin/submissions/submission/?q=%00",
    "/media/photos/%00.jpg",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_nul_in_a_url_is_refused_never_a_500(url, editor):
    from django.test import Client

    for client in (Client(raise_request_exception=False), Client(raise_request_exception=False)):
        response = client.get(url)
        assert response.status_code in (400, 404), (url, response.status_code)
        client.force_login(editor)


def test_nul_in_a_post_is_refused_with_400(client, settings):
    """A NUL in a caption, an upload key or a field name: 400, nothing stored."""
    settings.FORM_MIN_SECONDS = 0
    from submissions.models import Photo, Submission
    from tests.factories import CampaignFactory, RegionFactory
    from tests.submit_data import entry_data

    campaign = CampaignFactory()
    region = RegionFactory()
    for extra in ({"photos-0-caption": "照\x00片"}, {"photos-1-key": "\x00abc"}, {"attachment_keys": "a\x00"}, {"x\x00": "1"}):
        response = client.post(f"/call/{campaign.slug}/submit/", entry_data(region, **extra))
        assert response.status_code == 400, extra
        assert "请求无法处理" in response.content.decode()
    assert Submission.objects.count() == 0 and Photo.objects.count() == 0
