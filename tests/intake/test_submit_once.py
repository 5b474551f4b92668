"""One entry per form page (submissions/intake/once.py): a post repeated after a dropped connection,
a timeout or a 502 answers with the first one's receipt, not a second entry or the duplicate
message (issue 27 item 2, issue 25 item 4)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from submissions.intake import once
from submissions.models import OutboxMessage, Photo, Submission
from tests.submit_data import entry_data, started

pytestmark = pytest.mark.django_db

SECRET = "a" * 32  # a CSRF cookie as the browser keeps it between the two posts


@pytest.fixture(autouse=True)
def _quick(quick_forms):
    pass


def browser(secret=SECRET):
    client = Client()
    client.cookies["csrftoken"] = secret
    return client


def url(campaign):
    return reverse("calls:submit", args=[campaign.slug])


def receipt(entry):
    return reverse("track:receipt", args=[entry.tracking_token])


def test_the_same_page_posted_twice_stores_one_entry_and_answers_with_its_receipt(campaign, region):
    data = entry_data(region, photos=2)
    stamp = data["started"]
    first = browser().post(url(campaign), data)
    assert first.status_code == 302
    entry = Submission.objects.get()
    assert first["Location"] == receipt(entry)
    again = browser().post(url(campaign), entry_data(region, photos=2, started=stamp))  # the retry: same page, new bytes
    assert again.status_code == 302 and again["Location"] == receipt(entry)
    assert Submission.objects.count() == 1
    assert Photo.objects.filter(submission__isnull=True).count() == 0  # the retry's photos were not even read


def test_another_page_of_the_same_browser_is_a_new_post(campaign, region):
    browser().post(url(campaign), entry_data(region))
    again = browser().post(url(campaign), entry_data(region, started=started(40)))
    assert again.status_code == 200 and "请勿重复报送" in again.content.decode()  # the duplicate rule still speaks
    assert Submission.objects.count() == 1


def test_another_browser_with_the_same_stamp_never_sees_the_first_receipt(campaign, region):
    data = entry_data(region)
    browser().post(url(campaign), data)
    other = browser("b" * 32).post(url(campaign), entry_data(region, started=data["started"]))
    assert other.status_code == 200 and "请勿重复报送" in other.content.decode()
    first = Submission.objects.get()
    assert first.tracking_token not in other.content.decode()


def test_without_a_csrf_cookie_there_is_no_key_and_the_token_is_random(campaign, region):
    data = entry_data(region)
    Client().post(url(campaign), data)
    entry = Submission.objects.get()
    forged = Client()
    forged.cookies["csrftoken"] = SECRET
    response = forged.post(url(campaign), {**data, "started": data["started"]})
    assert response.status_code == 200 and Submission.objects.count() == 1
    assert len(entry.tracking_token) >= 32


def test_a_retry_after_the_deadline_still_gets_the_receipt(campaign, region):
    data = entry_data(region)
    browser().post(url(campaign), data)
    entry = Submission.objects.get()
    campaign.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    again = browser().post(url(campaign), entry_data(region, started=data["started"]))
    assert again.status_code == 302 and again["Location"] == receipt(entry)


def test_a_race_lost_to_the_same_page_lands_on_the_winner_receipt(campaign, region, monkeypatch):
    """The first post commits after the second looked (both were in flight): the second one's form
    check or save meets the first's row and answers with its receipt."""
    data = entry_data(region)
    browser().post(url(campaign), data)
    entry = Submission.objects.get()
    real, calls = once.stored, []

    def late(token):
        calls.append(token)
        return None if len(calls) == 1 else real(token)  # not there yet when first asked

    monkeypatch.setattr(once, "stored", late)
    again = browser().post(url(campaign), entry_data(region, started=data["started"]))
    assert again.status_code == 302 and again["Location"] == receipt(entry)
    assert Submission.objects.count() == 1


def test_a_draft_saved_twice_in_a_race_is_one_draft_and_one_mail(campaign, region, monkeypatch):
    data = entry_data(region, action="draft")
    first = browser().post(url(campaign), data)
    draft = Submission.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("track:edit", args=[draft.tracking_token])
    mails = OutboxMessage.objects.count()
    real, calls = once.stored, []

    def late(token):
        calls.append(token)
        return None if len(calls) == 1 else real(token)

    monkeypatch.setattr(once, "stored", late)  # the unique token refuses the second row
    again = browser().post(url(campaign), entry_data(region, action="draft", started=data["started"]))
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Submission.objects.count() == 1 and OutboxMessage.objects.count() == mails


def test_a_page_saved_as_a_draft_then_posted_with_submit_lands_on_the_draft_saying_it_is_not_submitted(campaign, region):
    data = entry_data(region, action="draft")
    client = browser()
    client.post(url(campaign), data, follow=True)  # the draft's page, its message read
    draft = Submission.objects.get()
    mails = OutboxMessage.objects.count()
    again = client.post(url(campaign), entry_data(region, started=data["started"]), follow=True)  # Back, then 提交
    assert again.redirect_chain == [(reverse("track:edit", args=[draft.tracking_token]), 302)]
    page = again.content.decode()
    assert "本页内容此前已保存为草稿，尚未提交" in page and "草稿已保存" not in page
    draft.refresh_from_db()
    assert draft.status == "draft" and Submission.objects.count() == 1
    assert OutboxMessage.objects.count() == mails  # no second draft mail, no receipt


def test_a_stamp_too_long_is_no_key(rf):
    request = rf.post("/", {"started": "x" * (once.MAX_LENGTH + 1)})
    request.META["CSRF_COOKIE"] = SECRET
    assert once.token_for(request) is None
    request = rf.post("/", {"started": "x" * 40})
    request.META["CSRF_COOKIE"] = SECRET
    assert len(once.token_for(request)) == 32


def test_the_key_posted_to_another_call_is_a_new_post_not_an_error(campaign, region):
    from tests.factories import CampaignFactory

    data = entry_data(region)
    browser().post(url(campaign), data)
    other = CampaignFactory(slug="c2026b")
    response = browser().post(url(other), entry_data(region, started=data["started"]))
    assert response.status_code == 302
    assert Submission.objects.filter(campaign=other).count() == 1 and Submission.objects.count() == 2
