"""Who may do what with certificates, role by role, written out literally."""

import pytest
from django.urls import reverse

from submissions.models import Certificate, Status
from submissions.results import services
from submissions.workflow import roles
from tests.factories import CampaignFactory, make_user, submission_in

pytestmark = pytest.mark.django_db

ISSUE, REVOKE, VIEW = "submissions.issue_certificate", "submissions.revoke_certificate", "submissions.view_certificate"


@pytest.mark.parametrize(
    ("role", "issue", "revoke", "view"),
    [
        (roles.REVIEWER, False, False, False),
        (roles.EDITOR, True, False, True),
        (roles.CHIEF, True, True, True),
        (None, False, False, False),
    ],
)
def test_permission_matrix(role, issue, revoke, view):
    user = make_user(role)
    assert (user.has_perm(ISSUE), user.has_perm(REVOKE), user.has_perm(VIEW)) == (issue, revoke, view)


def _login(client, role):
    user = make_user(role, username=f"perm-{role}")
    client.force_login(user)
    return user


@pytest.fixture
def issued(committed):
    return committed(
        services.issue_letter, "thanks", CampaignFactory(), "吴十", actor=make_user(roles.EDITOR, username="perm-maker")
    )


@pytest.mark.parametrize(("role", "status"), [(roles.REVIEWER, 403), (roles.EDITOR, 403), (roles.CHIEF, 302)])
def test_revoke_page_by_role(client, issued, role, status):
    _login(client, role)
    response = client.post(reverse("admin:submissions_certificate_revoke", args=[issued.pk]), {"reason": "有误"})
    assert response.status_code == status
    issued.refresh_from_db()
    assert issued.state == ("revoked" if role == roles.CHIEF else "issued")


@pytest.mark.parametrize(("role", "status"), [(roles.REVIEWER, 403), (roles.EDITOR, 200), (roles.CHIEF, 200)])
def test_pdf_download_by_role(client, issued, role, status):
    _login(client, role)
    response = client.get(reverse("admin:submissions_certificate_pdf", args=[issued.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(("role", "made"), [(roles.REVIEWER, 0), (roles.EDITOR, 1), (roles.CHIEF, 1)])
def test_letter_form_by_role(client, role, made):
    _login(client, role)
    campaign = CampaignFactory()
    data = {"kind": "thanks", "campaign": campaign.pk, "recipient": "郑十一", "wording": ""}
    response = client.post(reverse("admin:submissions_certificate_add"), data)
    assert response.status_code == (403 if made == 0 else 302)
    assert Certificate.objects.filter(recipient="郑十一").count() == made


def test_editor_issues_awards_from_the_entries_list(client):
    _login(client, roles.EDITOR)
    accepted, shortlisted = submission_in(Status.ACCEPTED), submission_in(Status.SHORTLISTED)
    response = client.post(
        reverse("admin:submissions_submission_changelist"),
        {"action": "issue_awards", "_selected_action": [accepted.pk, shortlisted.pk]},
    )
    assert response.status_code == 302
    assert list(Certificate.objects.values_list("submission_id", "kind", "state")) == [(accepted.pk, "award", "issued")]
