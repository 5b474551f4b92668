"""The editors' queues for the rest of their day (issue 29, item 5): entries waiting on reviewers'
scores (chasing them is the editors' job) and readers' comments awaiting moderation."""

import pytest
from django.test import Client
from django.urls import reverse

from submissions.admin import queues as admin_queues
from submissions.models import Comment, Showcase, Stage, Status
from submissions.newsroom import publishing
from submissions.review import queues
from tests.factories import article_in, assign, make_user, review, submission_in, walk_on

S = Status
pytestmark = pytest.mark.django_db


def refs(name, user):
    return [obj.pk for obj in queues.BY_NAME[name].items(user)]


def test_entries_waiting_on_reviewers_in_their_current_round(editor):
    a, b = make_user("reviewer", username="wa"), make_user("reviewer", username="wb")
    waiting, complete, unassigned = submission_in(S.FIRST_REVIEW), submission_in(S.FIRST_REVIEW), submission_in(S.FIRST_REVIEW)
    assign(waiting, a, Stage.FIRST)
    assign(waiting, b, Stage.FIRST)
    review(waiting, a, Stage.FIRST)  # one of two in: still waiting on b
    assign(complete, a, Stage.FIRST)
    review(complete, a, Stage.FIRST)
    moved_on = submission_in(S.FIRST_REVIEW)
    assign(moved_on, a, Stage.FIRST)  # never scored, but the entry left the round
    walk_on(moved_on, S.SECOND_REVIEW)
    assert refs("reviews", editor) == [waiting.pk]
    assert complete.pk in refs("decide", editor) and unassigned.pk not in refs("reviews", editor)
    assign(moved_on, b, Stage.SECOND)
    assert refs("reviews", editor) == [waiting.pk, moved_on.pk]  # the longest waiting first


def test_comments_awaiting_moderation(editor, chief):
    article = article_in(Showcase.State.PUBLISHED)
    first = Comment.objects.create(showcase=article, name="读者甲", body="写得好")
    second = Comment.objects.create(showcase=article, name="读者乙", body="学习了")
    assert refs("comments", editor) == [first.pk, second.pk]
    publishing.moderate(Comment.objects.filter(pk=first.pk), Comment.State.APPROVED, editor)
    assert refs("comments", editor) == [second.pk]
    row = next(r for r in admin_queues.summary(editor) if r["queue"].name == "comments")
    assert row["count"] == 1
    assert row["items"][0]["url"] == f"{reverse('admin:submissions_comment_change', args=[second.pk])}?queue=comments"


def test_who_sees_the_new_queues(editor, chief, reviewer):
    assert {"reviews", "comments"} <= {q.name for q in queues.queues_for(editor)}
    assert {"reviews", "comments"} <= {q.name for q in queues.queues_for(chief)}
    assert not {"reviews", "comments"} & {q.name for q in queues.queues_for(reviewer)}


def test_first_page_lists_them_and_next_walks_the_comments(editor):
    article = article_in(Showcase.State.PUBLISHED)
    one = Comment.objects.create(showcase=article, name="读者甲", body="写得好")
    two = Comment.objects.create(showcase=article, name="读者乙", body="学习了")
    client = Client()
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="queue-reviews"' in html and 'id="queue-comments"' in html
    response = client.get(reverse("admin:queue_next", args=["comments"]), {"after": one.pk})
    assert response["Location"] == f"{reverse('admin:submissions_comment_change', args=[two.pk])}?queue=comments"
    page = client.get(response["Location"]).content.decode()
    assert "待审核的读者评论" in page  # the queue bar on the comment's page


def _editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def test_remind_from_the_entry_mails_only_who_has_not_scored_once(editor, django_capture_on_commit_callbacks):
    from submissions.models import OutboxMessage

    done, late = (
        make_user("reviewer", username="done", email="done@example.com"),
        make_user("reviewer", username="late", email="late@example.com"),
    )
    entry = submission_in(S.FIRST_REVIEW)
    assign(entry, done, Stage.FIRST)
    assign(entry, late, Stage.FIRST)
    review(entry, done, Stage.FIRST)
    OutboxMessage.objects.all().delete()  # the assignments' own notices
    client = _editor_client(editor)
    page = client.get(reverse("admin:submissions_submission_change", args=[entry.pk])).content.decode()
    assert "提醒未评分的专家" in page
    url = reverse("admin:submissions_submission_remind", args=[entry.pk])
    response = client.post(url, {"queue": "reviews"})
    assert response.status_code == 302 and response["Location"].endswith("?queue=reviews")
    sent = list(OutboxMessage.objects.values_list("to", "event", "body"))
    assert [(to, event) for to, event, _body in sent] == [("late@example.com", "assigned")]
    assert entry.reference in sent[0][2] and entry.org_name not in sent[0][2]  # blind: the reference and brand only
    client.post(url)  # a second press within 12 hours: no second mail
    assert OutboxMessage.objects.count() == 1
    assert client.get(url).status_code == 302 and OutboxMessage.objects.count() == 1  # only a POST reminds


def test_remind_everyone_from_the_queue_one_mail_each(editor, reviewer):
    from submissions.models import OutboxMessage

    late = make_user("reviewer", username="late2", email="late2@example.com")
    first, second = submission_in(S.FIRST_REVIEW), submission_in(S.FIRST_REVIEW)
    for entry in (first, second):
        assign(entry, late, Stage.FIRST)
    OutboxMessage.objects.all().delete()
    client = _editor_client(editor)
    queue_page = client.get(reverse("admin:queue", args=["reviews"])).content.decode()
    assert "提醒全部未评分的专家" in queue_page
    response = client.post(reverse("admin:submissions_submission_remind_waiting"))
    assert response["Location"] == reverse("admin:queue", args=["reviews"])
    (message,) = OutboxMessage.objects.all()
    assert message.to == "late2@example.com" and first.reference in message.body and second.reference in message.body
    outsider = _editor_client(reviewer)
    assert outsider.post(reverse("admin:submissions_submission_remind_waiting")).status_code == 403
    assert outsider.post(reverse("admin:submissions_submission_remind", args=[first.pk])).status_code == 403
