"""People by their names: the display name (王编辑) in selects, lists, history rows and credits;
the user name only where an account is managed."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from submissions import workflow
from submissions.models import Status
from submissions.platform.people import display_name
from submissions.review.forms import AssignReviewersForm
from submissions.workflow import roles
from tests.factories import ShowcaseFactory, make_user, submission_in


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_display_name_is_the_chinese_name_else_the_user_name():
    assert display_name(make_user(username="wang", first_name="王编辑")) == "王编辑"
    assert display_name(make_user(username="li2", first_name="签审", last_name="李")) == "李签审"
    assert display_name(make_user(username="jones", first_name="Ann", last_name="Jones")) == "Ann Jones"
    assert display_name(make_user(username="noname", first_name="")) == "noname"
    assert display_name(None) == ""
    assert str(make_user(username="zhang", first_name="张专家")) == "张专家"


@pytest.mark.django_db
def test_reviewer_picker_lists_names_not_user_names():
    make_user(roles.REVIEWER, username="expert-a", first_name="张专家")
    labels = [label for _value, label in AssignReviewersForm().fields["reviewers"].choices]
    assert labels == ["张专家"]


@pytest.mark.django_db
def test_article_list_and_responsible_editor_select_show_names(client):
    chief = make_user(roles.CHIEF, username="chief-li", first_name="李签审")
    make_user(roles.EDITOR, username="editor-wang", first_name="王编辑")
    article = ShowcaseFactory(responsible_editor=make_user(roles.EDITOR, username="article-editor", first_name="刘编辑"))
    client.force_login(chief)
    listing = client.get(reverse("admin:submissions_showcase_changelist")).content.decode()
    assert "刘编辑" in listing and "article-editor" not in listing
    page = client.get(reverse("admin:submissions_showcase_change", args=[article.pk])).content.decode()
    assert ">王编辑</option>" in page and ">刘编辑</option>" in page
    assert "editor-wang" not in page and "chief-li" not in page


@pytest.mark.django_db
def test_entry_history_rows_name_the_editor(client):
    entry = submission_in(Status.FIRST_REVIEW)
    editor = get_user_model().objects.get(username="factory-editor")
    editor.first_name = "王编辑"
    editor.save()
    chief = make_user(roles.CHIEF, username="chief-li", first_name="李签审")
    client.force_login(chief)
    page = client.get(reverse("admin:submissions_submission_change", args=[entry.pk])).content.decode()
    assert "王编辑" in page and "factory-editor" not in page
    workflow.transition(entry, Status.SECOND_REVIEW, actor=chief)


@pytest.mark.django_db
def test_the_user_admin_still_shows_the_user_name(admin_client):
    make_user(roles.EDITOR, username="editor-wang", first_name="王编辑")
    page = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "editor-wang" in page
