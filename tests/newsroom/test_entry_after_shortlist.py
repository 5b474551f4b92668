"""The entry page leads on from the shortlist: an interview to plan, a commentary to request and a
video to upload, each opening its form with the entry filled in; only for entries past the shortlist
and only for the people who may (issue 29)."""

import pytest
from django.test import Client
from django.urls import reverse

from submissions.models import Status
from submissions.workflow import roles
from tests.factories import make_user, submission_in

pytestmark = pytest.mark.django_db
S = Status
LINKS = ("安排融媒采访", "请专家点评", "上传视频")


def page(user, entry):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("admin:submissions_submission_change", args=[entry.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("status", [S.SHORTLISTED, S.ACCEPTED])
def test_an_editor_is_offered_the_three_and_each_form_has_the_entry(status):
    editor = make_user(roles.EDITOR, username="editor")
    entry = submission_in(status)
    html = page(editor, entry)
    for label in LINKS:
        assert label in html
    client = Client()
    client.force_login(editor)
    for name in ("interview", "commentaryrequest"):
        add = client.get(reverse(f"admin:submissions_{name}_add") + f"?submission={entry.pk}")
        assert add.status_code == 200
        assert add.context["adminform"].form["submission"].value() in (entry.pk, str(entry.pk)), name


def test_nothing_offered_before_the_shortlist():
    editor = make_user(roles.EDITOR, username="editor")
    html = page(editor, submission_in(S.FIRST_REVIEW))
    assert "data-after-shortlist" not in html
