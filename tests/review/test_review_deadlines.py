"""Rounds' due dates (ReviewDeadline, per campaign and round) and the automatic reminders before them
(issue 29, item 1): settings.REVIEW_REMINDER_DAYS before the due date, one mail per reviewer with
unscored entries of that round, each step once; none once scored, none after the due date, none for
an entry that left the round."""

import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.forms import JSONField, SplitDateTimeField
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from submissions.models import OutboxMessage, ReviewDeadline, ReviewReminder, Stage, Status
from submissions.review import queues, reminders, tasks
from tests.factories import CampaignFactory, assign, make_user, review, submission_in, walk_on

S = Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _steps(settings):
    settings.REVIEW_REMINDER_DAYS = (3, 1)


def expert(name):
    return make_user("reviewer", username=name, email=f"{name}@example.com", first_name=name)


def round_due(entry, in_days, stage=Stage.FIRST, hours=0):
    return ReviewDeadline.objects.create(
        campaign=entry.campaign, stage=stage, due_at=timezone.now() + timedelta(days=in_days, hours=hours)
    )


def setup_round():
    """Two entries in the first round of one campaign; reviewer a on both, b on the first."""
    first, second = submission_in(S.FIRST_REVIEW), submission_in(S.FIRST_REVIEW)
    a, b = expert("alpha"), expert("beta")
    assign(first, a)
    assign(second, a)
    assign(first, b)
    OutboxMessage.objects.all().delete()  # the assignments' own notices
    return first, second, a, b


def mails():
    return sorted(OutboxMessage.objects.values_list("to", flat=True))


def test_due_in_three_days_one_mail_per_reviewer_with_the_due_date():
    first, second, _a, _b = setup_round()
    deadline = round_due(first, 2, hours=23)  # just under three days ahead: the 3-day step has come
    tasks.remind_reviewers()
    assert mails() == ["alpha@example.com", "beta@example.com"]
    body = OutboxMessage.objects.get(to="alpha@example.com").body
    assert first.reference in body and second.reference in body
    assert first.org_name not in body  # blind: reference and brand only
    assert "截止" in body and timezone.localtime(deadline.due_at).strftime("%H:%M") in body
    assert ReviewReminder.objects.filter(days=3).count() == 2


def test_run_twice_sends_nothing_more_and_the_next_step_once():
    first, _second, _a, _b = setup_round()
    deadline = round_due(first, 2, hours=23)
    tasks.remind_reviewers()
    tasks.remind_reviewers()
    assert len(mails()) == 2
    # one day before: the 1-day step, once
    ReviewDeadline.objects.filter(pk=deadline.pk).update(due_at=timezone.now() + timedelta(hours=20))
    tasks.remind_reviewers()
    tasks.remind_reviewers()
    assert len(mails()) == 4
    assert sorted(ReviewReminder.objects.values_list("days", flat=True)) == [1, 1, 3, 3]


def test_two_senders_at_once_send_one_mail():
    first, _second, a, _b = setup_round()
    deadline = round_due(first, 1, hours=-2)
    assigned = list(reminders.pending([first.pk]).filter(reviewer=a))
    assert reminders.send_once(deadline, a, 1, assigned) is not None
    assert reminders.send_once(deadline, a, 1, assigned) is None  # the second finds the row: no mail
    assert mails() == ["alpha@example.com"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewReminder.objects.create(deadline=deadline, reviewer=a, days=1, due_at=deadline.due_at)


def test_scored_reviewers_are_not_reminded():
    first, second, a, b = setup_round()
    review(first, b)
    review(first, a)
    review(second, a)
    OutboxMessage.objects.all().delete()
    round_due(first, 2)
    tasks.remind_reviewers()
    assert mails() == []


def test_reminder_lists_only_the_unscored_entries_of_that_round():
    first, second, a, _b = setup_round()
    review(first, a)
    walk_on(second, S.SECOND_REVIEW)  # left the first round: not reminded of it
    OutboxMessage.objects.all().delete()
    round_due(first, 2)
    tasks.remind_reviewers()
    assert mails() == ["beta@example.com"]


def test_none_after_the_due_date_or_before_the_first_step():
    first, *_ = setup_round()
    deadline = round_due(first, -1)  # past due
    tasks.remind_reviewers()
    ReviewDeadline.objects.filter(pk=deadline.pk).update(due_at=timezone.now() + timedelta(days=5))  # not yet
    tasks.remind_reviewers()
    assert mails() == []


def test_other_round_or_campaign_deadline_does_not_remind():
    first, *_ = setup_round()
    round_due(first, 2, stage=Stage.SECOND)  # the second round's date: nobody scores it yet
    tasks.remind_reviewers()
    assert mails() == []


def test_a_moved_due_date_is_reminded_of_again():
    first, _second, _a, _b = setup_round()
    deadline = round_due(first, 2)
    tasks.remind_reviewers()
    ReviewDeadline.objects.filter(pk=deadline.pk).update(due_at=deadline.due_at + timedelta(hours=6))
    tasks.remind_reviewers()
    assert len(mails()) == 4


def test_the_editor_press_shows_the_due_date_too():
    first, _second, _a, _b = setup_round()
    round_due(first, 10)
    reminders.remind([first.pk])
    assert all("截止" in body for body in OutboxMessage.objects.values_list("body", flat=True))
    assert len(mails()) == 2


def test_the_queues_carry_the_round_due_date(editor):
    first, second, _a, b = setup_round()
    deadline = round_due(first, 4)
    waiting = {obj.pk: obj.queue_due for obj in queues.BY_NAME["reviews"].items(editor)}
    assert waiting == {first.pk: deadline.due_at, second.pk: deadline.due_at}
    mine = {obj.pk: obj.queue_due for obj in queues.BY_NAME["score"].items(b)}
    assert mine == {first.pk: deadline.due_at}


def test_the_reviewer_sees_the_due_date_on_the_admin_first_page():
    first, _second, _a, b = setup_round()
    due = timezone.make_aware(timezone.datetime(timezone.now().year + 1, 3, 9, 18, 0))  # Beijing time
    ReviewDeadline.objects.create(campaign=first.campaign, stage=Stage.FIRST, due_at=due)
    client = Client()
    client.force_login(b)
    page = client.get(reverse("admin:index")).content.decode()
    assert f"{first.reference} {first.brand_display} · 截止 3月9日 18:00" in page


def test_campaign_admin_edits_the_due_dates(editor):
    entry = submission_in(S.SUBMITTED)
    campaign = entry.campaign
    superuser = make_user(None, username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(superuser)
    url = reverse("admin:submissions_campaign_change", args=[campaign.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(field, JSONField):
            data[name] = json.dumps(value)
        elif isinstance(field, SplitDateTimeField):
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
        elif isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        prefix = fs.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(fs.total_form_count()),
                f"{prefix}-INITIAL_FORMS": str(fs.initial_form_count()),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, sub in enumerate(fs.forms):
            for name, field in sub.fields.items():
                value = sub.initial.get(name, field.initial)
                if value is not None:
                    data[f"{prefix}-{index}-{name}"] = getattr(value, "pk", value)
    prefix = "review_deadlines"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            f"{prefix}-{total}-stage": "first",
            f"{prefix}-{total}-due_at_0": "2030-03-01",
            f"{prefix}-{total}-due_at_1": "18:00:00",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for f in response.context["inline_admin_formsets"][1].formset.forms],
    )
    (deadline,) = ReviewDeadline.objects.filter(campaign=campaign)
    assert (deadline.stage, timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")) == ("first", "2030-03-01 18:00")


def test_the_first_mail_of_an_assignment_names_the_rounds_due_date():
    entry = submission_in(S.FIRST_REVIEW)
    ReviewDeadline.objects.create(
        campaign=entry.campaign, stage=Stage.FIRST, due_at=timezone.make_aware(timezone.datetime(2030, 3, 9, 18, 0))
    )
    other = submission_in(S.FIRST_REVIEW, campaign=CampaignFactory(slug="no-due-date"))  # a round with no due date
    reviewer = expert("gamma")
    OutboxMessage.objects.all().delete()
    assign(entry, reviewer)
    assign(other, reviewer)
    first, second = OutboxMessage.objects.filter(to="gamma@example.com").order_by("pk").values_list("body", flat=True)
    assert "初审（截止 3月9日 18:00）" in first
    assert "截止" not in second
