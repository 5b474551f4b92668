"""The public verification page: valid, revoked, unknown and hostile numbers; its query count."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from submissions.results import services
from submissions.workflow import roles
from tests.factories import CampaignFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    editor = make_user(roles.EDITOR, username="verify-editor")
    return services.issue_letter("appointment", CampaignFactory(title="第三届优秀党建品牌征集"), "钱九", actor=editor)


def test_valid_certificate_is_shown_as_valid(client, certificate):
    url = f"/verify/{certificate.number}/"
    client.get(url)  # the site settings, cached once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # The cache (the per-address counter; a database table in the tests) aside: one query, the certificate with its campaign.
    ours = [q["sql"] for q in captured if "portal_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    assert len(ours) == 1
    assert "submissions_campaign" in ours[0]
    assert response.status_code == 200
    page = response.content.decode()
    assert "该证书真实有效" in page
    assert "钱九" in page and "第三届优秀党建品牌征集" in page and "聘书" in page


def test_revoked_certificate_says_so_with_the_date_not_the_reason(client, certificate):
    chief = make_user(roles.CHIEF, username="verify-chief")
    services.revoke(certificate, actor=chief, reason="内部核查：重复颁发")
    page = client.get(f"/verify/{certificate.number}/").content.decode()
    assert "该证书已撤销" in page
    assert "撤销日期" in page
    assert "内部核查" not in page


def test_unknown_number_is_a_clear_404(client):
    response = client.get("/verify/DZRB-2026-9999/")
    assert response.status_code == 404
    assert "未查到该编号的证书" in response.content.decode()


def test_a_lower_case_number_goes_to_the_printed_one(client, certificate):
    response = client.get(f"/verify/{certificate.number.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.number}/"


@pytest.mark.parametrize(
    "number",
    ["A" * 5000, "DZRB-2026-0001'--", "<script>alert(1)</script>", "DZRB-2026-0001\u202e", "%00", "DZRB-２０２６-0001"],
)
def test_hostile_numbers_in_the_path_are_bounded_404s(client, number):
    response = client.get("/verify/" + quote(number, safe="") + "/")
    assert response.status_code == 404
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("number", ["A" * 5000, "DZRB 2026 0001", "<b>x</b>", "\x00", ""])
def test_the_form_refuses_hostile_input(client, number):
    response = client.get("/verify/", {"number": number})
    assert response.status_code == 400
    assert "<b>x</b>" not in response.content.decode()


def test_the_form_goes_to_the_certificate(client, certificate):
    response = client.get("/verify/", {"number": f"  {certificate.number.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.number}/"
    assert client.get("/verify/").status_code == 200


def test_a_draft_is_not_public(client, certificate):
    certificate.__class__.objects.filter(pk=certificate.pk).update(state="draft")
    assert client.get(f"/verify/{certificate.number}/").status_code == 404
