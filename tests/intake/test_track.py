"""Tracking through the private link only: status and history, revision when returned, withdrawal,
and lost links re-sent without revealing whether an address ever sent anything."""

import re

import pytest
from django.urls import reverse

from submissions import workflow
from submissions.models import OutboxMessage, Region, Status, Submission
from tests.factories import add_photo, make_user, submission_in
from tests.submit_data import entry_data, formset, started

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.FORM_MIN_SECONDS = 0


def url(name, entry):
    return reverse(f"track:{name}", args=[entry.tracking_token])


@pytest.mark.parametrize("name", ["detail", "receipt", "edit", "withdraw"])
def test_no_access_without_the_token(client, name):
    entry = submission_in(Status.RETURNED)
    token = entry.tracking_token
    wrong = reverse(f"track:{name}", args=[("y" if token[0] == "x" else "x") + token[1:]])
    assert client.get(wrong).status_code == 404
    assert client.post(wrong, {"confirm": "on"}).status_code == 404
    assert Submission.objects.get(pk=entry.pk).status == Status.RETURNED


def test_tracking_page_tells_status_dates_and_the_editors_message(client):
    entry = submission_in(Status.RETURNED)
    html = client.get(url("detail", entry)).content.decode()
    assert "退回修改" in html and "已报送" in html and "初审中" in html
    assert "请补充近三年的具体数据和活动照片。" in html
    for step in entry.history.all():
        assert step.created_at.astimezone().strftime("%Y-%m-%d") in html
    assert url("edit", entry) in html and url("withdraw", entry) in html


def test_one_entrys_token_opens_nothing_of_another(client):
    mine, other = submission_in(Status.SUBMITTED), submission_in(Status.SUBMITTED)
    photo = add_photo(other)
    assert client.get(f"{photo.thumbnail.url}?t={mine.tracking_token}").status_code == 404
    assert client.get(f"{photo.thumbnail.url}?t={other.tracking_token}").status_code == 200
    html = client.get(url("detail", mine)).content.decode()
    assert other.org_name not in html and other.tracking_token not in html


def revision(entry, **overrides):
    region = Region.objects.get(code="jinan")
    data = entry_data(region, photos=1, **formset("sections", [{"heading": "修改后的章节", "body": "补充了数据"}]))
    data.update(org_name=entry.org_name, brand_name=entry.brand_name, **overrides)
    return data


def test_a_returned_entry_is_revised_and_resubmitted(client, django_capture_on_commit_callbacks):
    entry = submission_in(Status.RETURNED)
    page = client.get(url("edit", entry))
    assert page.status_code == 200 and "请补充近三年的具体数据" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("edit", entry), revision(entry, introduction="修改后的概述"))
    assert response.status_code == 302 and response.url == url("detail", entry)
    entry.refresh_from_db()
    assert entry.status == Status.RESUBMITTED and entry.introduction == "修改后的概述"
    assert list(entry.sections.values_list("heading", flat=True)) == ["修改后的章节"]
    step = entry.history.last()
    assert (step.from_status, step.to_status, step.actor_role) == (Status.RETURNED, Status.RESUBMITTED, workflow.SUBMITTER)
    assert OutboxMessage.objects.filter(submission=entry, event="resubmitted").exists()


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.FIRST_REVIEW, Status.RESUBMITTED, Status.ACCEPTED, Status.WITHDRAWN])
def test_revision_only_when_returned(client, status):
    entry = submission_in(status)
    before = Submission.objects.get(pk=entry.pk)
    assert client.get(url("edit", entry)).url == url("detail", entry)
    response = client.post(url("edit", entry), revision(entry, introduction="偷偷改"))
    assert response.status_code == 302
    after = Submission.objects.get(pk=entry.pk)
    assert (after.status, after.introduction, after.version) == (before.status, before.introduction, before.version)
    assert url("edit", entry) not in client.get(url("detail", entry)).content.decode()


def test_revised_page_keeps_the_existing_photos_without_reupload(client):
    entry = submission_in(Status.RETURNED)
    photo = add_photo(entry, caption="原有照片")
    page = client.get(url("edit", entry)).content.decode()
    photo.refresh_from_db()
    assert photo.upload_key and photo.upload_key in page
    assert f"{photo.thumbnail.url}?t={entry.tracking_token}" in page
    data = revision(entry, **{"photos-0-image": "", "photos-0-key": photo.upload_key, "photos-0-caption": "新说明"})
    assert client.post(url("edit", entry), data).status_code == 302
    assert list(entry.photos.values_list("pk", "caption")) == [(photo.pk, "新说明")]


def test_withdraw_needs_confirmation(client):
    entry = submission_in(Status.FIRST_REVIEW)
    assert "确认撤回" in client.get(url("withdraw", entry)).content.decode()
    response = client.post(url("withdraw", entry), {})
    assert response.status_code == 200 and "请勾选确认" in response.content.decode()
    assert Submission.objects.get(pk=entry.pk).status == Status.FIRST_REVIEW
    assert client.post(url("withdraw", entry), {"confirm": "on"}).url == url("detail", entry)
    entry.refresh_from_db()
    assert entry.status == Status.WITHDRAWN and entry.history.last().actor_role == workflow.SUBMITTER
    again = client.get(url("withdraw", entry)).content.decode()
    assert "不能撤回" in again
    client.post(url("withdraw", entry), {"confirm": "on"})
    assert entry.history.filter(to_status=Status.WITHDRAWN).count() == 1


def test_a_decided_entry_cannot_be_withdrawn(client):
    entry = submission_in(Status.ACCEPTED)
    client.post(url("withdraw", entry), {"confirm": "on"})
    assert Submission.objects.get(pk=entry.pk).status == Status.ACCEPTED


def resend(client, email, **extra):
    return client.post(reverse("track:lookup"), {"email": email, "started": started(), "website": ""}, follow=True, **extra)


def test_link_resend_is_neutral_and_mails_only_real_entries(client):
    entry = submission_in(Status.SUBMITTED, contact_email="Secretary@Example.com")
    second = submission_in(Status.RETURNED, contact_email="secretary@example.com")
    known = resend(client, "secretary@example.com")
    unknown = resend(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("track:lookup"), 302)]
    assert [str(m) for m in known.context["messages"]] == [str(m) for m in unknown.context["messages"]]
    assert "如果该邮箱报送过作品" in known.content.decode()
    unchanging = re.compile(r'value="[^"]*"')
    assert unchanging.sub("", known.content.decode()) == unchanging.sub("", unknown.content.decode())
    message = OutboxMessage.objects.get(event="link_resend")
    assert message.to == "secretary@example.com"
    assert entry.tracking_token in message.body and second.tracking_token in message.body
    assert entry.reference in message.body
    resend(client, "secretary@example.com")  # again at once: not mailed twice within ten minutes
    assert OutboxMessage.objects.filter(event="link_resend").count() == 1


def test_link_resend_is_rate_limited_per_ip(client):
    for _ in range(5):
        assert resend(client, "someone@example.com").status_code == 200
    limited = client.post(reverse("track:lookup"), {"email": "x@example.com", "started": started()})
    assert limited.status_code == 429 and "分钟后再试" in limited.content.decode()


def test_link_resend_checks_the_address_and_the_honeypot(client):
    bad = client.post(reverse("track:lookup"), {"email": "nope", "started": started()})
    assert bad.status_code == 200 and "email" in bad.context["form"].errors
    bot = client.post(reverse("track:lookup"), {"email": "a@example.com", "website": "x", "started": started()})
    assert bot.context["form"].non_field_errors()
    assert not OutboxMessage.objects.filter(event="link_resend").exists()


def test_receipt_shows_reference_and_private_link(client):
    entry = submission_in(Status.SUBMITTED)
    html = client.get(url("receipt", entry)).content.decode()
    assert entry.reference in html and f"/track/{entry.tracking_token}/" in html
    assert 'name="robots" content="noindex"' in html


def test_a_draft_receipt_leads_back_to_the_draft(client):
    draft = submission_in(Status.DRAFT)
    assert client.get(url("receipt", draft)).url == url("edit", draft)


@pytest.mark.parametrize("rounds", [1, 6])
def test_query_count_of_the_tracking_page_does_not_grow_with_history(client, django_assert_max_num_queries, rounds):
    entry = submission_in(Status.RETURNED)
    editor = make_user("editor", username="ed")
    for _ in range(rounds - 1):
        workflow.transition(entry, Status.RESUBMITTED, actor=workflow.SUBMITTER)
        workflow.transition(entry, Status.RETURNED, actor=editor, message="再改改")
    client.get(url("detail", entry))
    with django_assert_max_num_queries(3):
        assert client.get(url("detail", entry)).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(url("receipt", entry)).status_code == 200


@pytest.mark.parametrize("photos", [1, 6])
def test_query_count_of_the_revision_form(client, django_assert_max_num_queries, photos):
    entry = submission_in(Status.RETURNED)
    for index in range(photos):
        add_photo(entry, caption=f"照片{index}")
    client.get(url("edit", entry))
    with django_assert_max_num_queries(9):
        assert client.get(url("edit", entry)).status_code == 200


def test_the_tracking_page_links_to_the_published_article(client):
    from tests.factories import article_in, published_showcase

    article = published_showcase()
    entry = article.submission
    html = client.get(url("detail", entry)).content.decode()
    assert f'<a href="{article.get_absolute_url()}">{article.title}</a>' in html
    draft = article_in("draft")
    assert "data-article" not in client.get(url("detail", draft.submission)).content.decode()
