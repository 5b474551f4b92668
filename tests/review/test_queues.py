"""Each role's waiting work (待办): what each queue holds per role, counts and links on the admin's
first page, "next" within a queue, and the reviewer's current round only."""

import pytest
from django.urls import reverse

from submissions.models import Showcase, Stage, Status
from submissions.newsroom import publishing
from submissions.review import queues
from submissions.review import scoring as reviews
from tests.factories import ShowcaseFactory, article_in, assign, make_user, review, submission_in, walk_on
from tests.review import queue_names

S = Status
INDEX = reverse("admin:index")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def refs(queue_name, user):
    return sorted(obj.pk for obj in queues.BY_NAME[queue_name].items(user))


@pytest.mark.django_db
def test_editor_queues(editor):
    fresh, resubmitted = submission_in(S.SUBMITTED), submission_in(S.RESUBMITTED)
    complete, partial, unassigned = submission_in(S.FIRST_REVIEW), submission_in(S.FIRST_REVIEW), submission_in(S.FIRST_REVIEW)
    a, b = make_user("reviewer", username="qa"), make_user("reviewer", username="qb")
    assign(partial, a, Stage.FIRST)
    review(partial, a, Stage.FIRST)  # an old round's review does not complete the current one
    walk_on(partial, S.SECOND_REVIEW)
    for expert in (a, b):
        assign(complete, expert, Stage.FIRST)
        review(complete, expert, Stage.FIRST)
        assign(partial, expert, Stage.SECOND)
    review(partial, a, Stage.SECOND)
    accepted = submission_in(S.ACCEPTED)
    with_article = submission_in(S.ACCEPTED)
    publishing.draft_from_entry(with_article, editor=editor)
    assert refs("triage", editor) == sorted([fresh.pk, resubmitted.pk])
    assert refs("decide", editor) == [complete.pk]
    assert refs("accepted", editor) == [accepted.pk]
    assert unassigned.pk not in refs("decide", editor)
    assert [q.name for q in queues.queues_for(editor)] == queue_names.EDITOR


@pytest.mark.django_db
def test_chief_queues_awaiting_signoff_never_their_own(chief):
    others = article_in(Showcase.State.AWAITING_SIGNOFF)
    article_in(Showcase.State.AWAITING_SIGNOFF, responsible_editor=chief)  # sent for sign-off by the chief as its editor
    ShowcaseFactory()  # a draft nobody sent for sign-off yet
    article_in(Showcase.State.SIGNED_OFF)
    assert refs("signoff", chief) == [others.pk]
    assert refs("scheduled", chief) == []
    assert [q.name for q in queues.queues_for(chief)] == queue_names.CHIEF


@pytest.mark.django_db
def test_sent_back_holds_the_editors_drafts_a_chief_returned(editor, chief):
    returned = article_in(Showcase.State.AWAITING_SIGNOFF, responsible_editor=editor)
    publishing.send_back(returned, chief, "导语再改改")
    ShowcaseFactory(responsible_editor=editor)  # a draft never sent for sign-off
    article_in(Showcase.State.AWAITING_SIGNOFF, responsible_editor=editor)  # still waiting for the chief
    someone_elses = article_in(Showcase.State.AWAITING_SIGNOFF)
    publishing.send_back(someone_elses, chief, "标题太长")
    assert refs("sent_back", editor) == [returned.pk]
    publishing.request_sign_off(returned, editor, note="已修改")  # sent again: no longer sent back
    assert refs("sent_back", editor) == []


@pytest.mark.django_db
def test_reviewer_queue_is_the_current_round_only(reviewer):
    now_first = submission_in(S.FIRST_REVIEW)
    moved_on = submission_in(S.FIRST_REVIEW)  # assigned for 初审, now in 复审: nothing to score
    decided = submission_in(S.FIRST_REVIEW)
    scored = submission_in(S.SECOND_REVIEW)
    for entry in (now_first, moved_on, decided):
        assign(entry, reviewer, Stage.FIRST)
    walk_on(moved_on, S.SECOND_REVIEW)
    walk_on(decided, S.ACCEPTED)
    assign(scored, reviewer, Stage.SECOND)
    review(scored, reviewer, Stage.SECOND)
    assert refs("score", reviewer) == [now_first.pk]
    assert [q.name for q in queues.queues_for(reviewer)] == ["score"]
    assert reviews.next_unscored(reviewer).submission_id == now_first.pk


@pytest.mark.django_db
def test_index_shows_counts_and_one_click_to_the_item(client, editor, django_assert_max_num_queries):
    entry = submission_in(S.SUBMITTED)
    client.force_login(editor)
    client.get(INDEX)
    # The session, the user, their permissions (2), one bounded count per queue the editor sees (15), the
    # first items of the one that is not empty (2), the site's settings and the recent actions: flat in the data.
    with django_assert_max_num_queries(21):
        html = client.get(INDEX).content.decode()
    assert "待分拣的新报送" in html and "待签审的文章" not in html
    item = reverse("admin:submissions_submission_change", args=[entry.pk]) + "?queue=triage"
    assert f'href="{item}"' in html
    page = client.get(item).content.decode()
    assert reverse("admin:queue_next", args=["triage"]) + f"?after={entry.pk}" in page


@pytest.mark.django_db
def test_next_walks_the_queue_in_order(client, editor):
    first, second = submission_in(S.SUBMITTED), submission_in(S.SUBMITTED)
    client.force_login(editor)
    url = reverse("admin:queue_next", args=["triage"])
    response = client.get(url, {"after": first.pk})
    assert response["Location"] == reverse("admin:submissions_submission_change", args=[second.pk]) + "?queue=triage"
    response = client.get(url, {"after": second.pk}, follow=True)
    assert response.redirect_chain[-1][0] == INDEX
    assert "已全部处理完" in response.content.decode()


@pytest.mark.django_db
def test_a_handled_item_leads_to_the_first_still_waiting(client, editor):
    handled, waiting = submission_in(S.FIRST_REVIEW), submission_in(S.SUBMITTED)
    client.force_login(editor)
    response = client.get(reverse("admin:queue_next", args=["triage"]), {"after": handled.pk})
    assert response["Location"].startswith(reverse("admin:submissions_submission_change", args=[waiting.pk]))


@pytest.mark.django_db
def test_queue_pages_per_role(client, reviewer, editor, chief):
    assert client.get(reverse("admin:queue", args=["triage"])).status_code == 302  # anonymous: to the login
    client.force_login(reviewer)
    assert client.get(reverse("admin:queue", args=["triage"])).status_code == 404
    assert client.get(reverse("admin:queue", args=["score"])).status_code == 200
    client.force_login(editor)
    assert client.get(reverse("admin:queue", args=["signoff"])).status_code == 404
    assert client.get(reverse("admin:queue", args=["triage"])).status_code == 200
    client.force_login(chief)
    assert client.get(reverse("admin:queue", args=["signoff"])).status_code == 200
    assert client.get(reverse("admin:queue", args=["nonsense"])).status_code == 404


@pytest.mark.django_db
def test_reviewer_list_does_not_say_unscored_on_decided_entries(client, reviewer):
    decided = submission_in(S.FIRST_REVIEW, brand_name="已决定")
    waiting = submission_in(S.FIRST_REVIEW, brand_name="待评分")
    assign(decided, reviewer)
    assign(waiting, reviewer)
    walk_on(decided, S.ACCEPTED)
    client.force_login(reviewer)
    html = client.get(reverse("admin:submissions_submission_changelist")).content.decode()
    rows = {brand: html.split(brand, 1)[1].split("</tr>", 1)[0] for brand in ("已决定", "待评分")}
    assert "未评" in rows["待评分"] and "未评" not in rows["已决定"]


@pytest.mark.django_db
def test_reviewer_index_lists_their_queue_without_the_organization(client, reviewer):
    entry = submission_in(S.FIRST_REVIEW, org_name="盲评示范党支部")
    entry.campaign.blind_review = True
    entry.campaign.save()
    assign(entry, reviewer)
    client.force_login(reviewer)
    html = client.get(INDEX).content.decode()
    assert "待我评分的作品" in html and entry.reference in html and "盲评示范党支部" not in html
    assert reverse("admin:submissions_submission_score", args=[entry.pk, Stage.FIRST]) + "?queue=score" in html


@pytest.mark.django_db
def test_scheduled_articles_wait_for_the_chief(chief):
    from datetime import timedelta

    from django.utils import timezone

    article, waiting = article_in(Showcase.State.AWAITING_SIGNOFF), article_in(Showcase.State.AWAITING_SIGNOFF)
    publishing.sign_off(article, chief)
    publishing.schedule(article, chief, timezone.now() + timedelta(days=1))
    assert Showcase.objects.get(pk=article.pk).state == Showcase.State.SCHEDULED
    assert refs("scheduled", chief) == [article.pk]
    assert refs("signoff", chief) == [waiting.pk]
