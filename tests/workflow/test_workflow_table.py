"""Every move of the entries' table, for every role: the declared ones are allowed to exactly
the roles listed, every other (from, to) pair is refused, and nothing changes when refused."""

import pytest

from submissions import workflow
from submissions.models import Region, Showcase, Status, StatusChange, Submission
from submissions.recommend import services as screening
from submissions.workflow import roles
from submissions.workflow.machines import ARTICLE, ENTRY, machine_of
from tests.factories import body_account, make_user, submission_in

S = Status
ROLES = [roles.REVIEWER, roles.EDITOR, roles.CHIEF, roles.RECOMMENDER, workflow.SUBMITTER, workflow.SYSTEM, "nobody"]
E, C, R, SUB = roles.EDITOR, roles.CHIEF, roles.RECOMMENDER, workflow.SUBMITTER
STAFF = {E, C}
CHECKERS = {E, C, R}  # eligibility: the newsroom, or the entry's own recommending body
# The entry's table as the newsroom agreed it, written out here (not read from workflow.TRANSITIONS):
# (from, to) -> the roles that may make the move. Publishing is made only with the article.
ENTRY_TABLE = {
    ("draft", "submitted"): {SUB, E, C},
    ("draft", "withdrawn"): {SUB},
    ("submitted", "first_review"): STAFF,  # where the campaign does not screen
    ("submitted", "eligible"): CHECKERS,
    ("submitted", "returned"): CHECKERS,
    ("submitted", "declined"): CHECKERS,
    ("submitted", "withdrawn"): {SUB},
    ("eligible", "recommended"): {R},
    ("eligible", "first_review"): STAFF,  # where the campaign asks for no recommendation
    ("eligible", "returned"): STAFF,
    ("eligible", "declined"): {E, C, R},  # the body: 不予推荐
    ("eligible", "withdrawn"): {SUB},
    ("recommended", "first_review"): STAFF,
    ("recommended", "returned"): STAFF,
    ("recommended", "declined"): STAFF,
    ("recommended", "withdrawn"): {SUB},
    ("first_review", "second_review"): STAFF,
    ("first_review", "returned"): STAFF,
    ("first_review", "declined"): STAFF,
    ("first_review", "withdrawn"): {SUB},
    ("second_review", "shortlisted"): STAFF,
    ("second_review", "returned"): STAFF,
    ("second_review", "declined"): STAFF,
    ("second_review", "withdrawn"): {SUB},
    ("shortlisted", "final_review"): STAFF,
    ("shortlisted", "returned"): STAFF,
    ("shortlisted", "accepted"): STAFF,
    ("shortlisted", "declined"): STAFF,
    ("shortlisted", "withdrawn"): {SUB},
    ("final_review", "returned"): STAFF,
    ("final_review", "accepted"): STAFF,
    ("final_review", "declined"): STAFF,
    ("final_review", "withdrawn"): {SUB},
    ("returned", "resubmitted"): {SUB, E, C},
    ("returned", "withdrawn"): {SUB},
    ("resubmitted", "first_review"): STAFF,
    ("resubmitted", "second_review"): STAFF,
    ("resubmitted", "shortlisted"): STAFF,
    ("resubmitted", "eligible"): CHECKERS,
    ("resubmitted", "returned"): CHECKERS,
    ("resubmitted", "declined"): CHECKERS,
    ("resubmitted", "withdrawn"): {SUB},
    ("accepted", "published"): set(),  # only with its article
    ("declined", "first_review"): STAFF,
    ("published", "accepted"): set(),  # only with its article
}
ALLOWED = sorted((frm, to, role) for (frm, to), who in ENTRY_TABLE.items() for role in ROLES if role in who)


def test_the_code_declares_exactly_this_table():
    assert set(workflow.TRANSITIONS) == set(ENTRY_TABLE)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hundreds of users are made here; the production hasher would take most of the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def actor_for(role):
    if role in (workflow.SUBMITTER, workflow.SYSTEM):
        return role
    if role == "nobody":
        return make_user(None, username="nobody")
    if role == R:
        return body_account()  # acts for the body of the screening campaign's entries (tests.factories)
    return make_user(role, username=f"table-{role}")


def entry_for(frm, to, role):
    """An entry in `frm` where the move can be made: a body's moves in the campaign that asks for
    recommendation; an eligible entry sent straight to review in one that asks for none."""
    if role == R or to == "recommended":
        return submission_in(frm, screened_by="recommendation")
    if frm == "eligible" and to == "first_review":
        return submission_in(frm, screened_by="eligibility")
    return submission_in(frm)


def make(entry, to, actor):
    """The move, as the portal makes it: becoming eligible and being recommended write their rows with it
    (submissions.recommend.services); the others are plain moves."""
    if to == "eligible":
        screening.check(entry, actor=actor, results={item: (True, "") for item in entry.campaign.eligibility_items}, note="内部")
        return entry.history.order_by("-pk").first()
    if to == "recommended":
        screening.recommend(entry, actor=actor, opinion="同意推荐。")
        return entry.history.order_by("-pk").first()
    return workflow.transition(entry, to, actor=actor, message=message_for(to), note="内部", via="test")


def article_moves(entry, to):
    """An entry is published with its article, and goes back only once the article is down."""
    chief = make_user(roles.CHIEF, username="table-article-chief")
    if to == S.PUBLISHED:
        from submissions.newsroom import publishing

        article = publishing.draft_from_entry(entry, editor=make_user(roles.EDITOR, username="table-article-editor"))
        workflow.transition(article, article.State.SIGNED_OFF, actor=chief)
        workflow.transition(article, article.State.PUBLISHED, actor=chief)
    if entry.status == S.PUBLISHED and to == S.ACCEPTED:
        workflow.transition(entry.showcase, entry.showcase.State.UNPUBLISHED, actor=chief, message="核实")


def message_for(to):
    return "请补充材料。" if to in ("returned", "declined") else ""


@pytest.mark.django_db
@pytest.mark.parametrize(("frm", "to", "role"), ALLOWED)
def test_declared_move_is_allowed_and_recorded(frm, to, role, django_capture_on_commit_callbacks):
    entry = entry_for(frm, to, role)
    actor = actor_for(role)
    article_moves(entry, to)
    version = entry.version
    with django_capture_on_commit_callbacks(execute=True):
        change = make(entry, to, actor)
    entry.refresh_from_db()
    assert entry.status == to
    assert entry.version == version + 1
    via = {"eligible": "eligibility", "recommended": "recommendation"}.get(to, "test")
    assert (change.from_status, change.to_status, change.note, change.via) == (
        frm,
        to,
        "" if to == "recommended" else "内部",
        via,
    )
    assert change.actor == (actor if role not in (workflow.SUBMITTER, workflow.SYSTEM) else None)
    assert change.actor_role == role
    assert change.submission_id == entry.pk and change.created_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("frm", S.values)
def test_every_other_move_is_refused_for_every_role(frm):
    entry = submission_in(frm, screened_by="recommendation" if frm in ("submitted", "resubmitted") else None)
    actors = {role: actor_for(role) for role in ROLES}
    before = (entry.status, entry.version, StatusChange.objects.filter(submission=entry).count())
    tried = 0
    for to in S.values:
        for role, actor in actors.items():
            if role in ENTRY_TABLE.get((frm, to), set()):
                continue
            with pytest.raises(workflow.TransitionError) as refused:
                workflow.transition(entry, to, actor=actor, message="说明")
            assert str(refused.value)  # a message for the person who tried
            tried += 1
    fresh = Submission.objects.get(pk=entry.pk)
    assert (fresh.status, fresh.version, StatusChange.objects.filter(submission=entry).count()) == before
    assert tried >= len(S.values) * len(ROLES) - sum(len(w) for (f, _t), w in ENTRY_TABLE.items() if f == frm)


@pytest.mark.django_db
def test_entry_is_published_only_with_its_article(chief):
    entry = submission_in(S.ACCEPTED)
    with pytest.raises(workflow.TransitionError, match="文章"):
        workflow.transition(entry, S.PUBLISHED, actor=chief)
    assert S.PUBLISHED not in [move.to for move in workflow.allowed_moves(entry, chief)]
    published = submission_in(S.PUBLISHED)
    with pytest.raises(workflow.TransitionError, match="撤下"):
        workflow.transition(published, S.ACCEPTED, actor=chief)


@pytest.mark.django_db
@pytest.mark.parametrize("to", ["declined", "returned"])
def test_returning_or_declining_needs_a_message(to, editor):
    entry = submission_in(S.FIRST_REVIEW)
    with pytest.raises(workflow.TransitionError, match="说明"):
        workflow.transition(entry, to, actor=editor, message="   ")
    entry.refresh_from_db()
    assert entry.status == S.FIRST_REVIEW


@pytest.mark.django_db
def test_allowed_moves_match_the_table_for_each_role():
    entry = submission_in(S.FIRST_REVIEW)
    for role in (roles.REVIEWER, roles.EDITOR, roles.CHIEF):
        moves = {m.to for m in workflow.allowed_moves(entry, actor_for(role))}
        expected = {to for (frm, to), who in ENTRY_TABLE.items() if frm == S.FIRST_REVIEW and role in who}
        assert moves == expected
    assert workflow.allowed_moves(entry, actor_for(roles.REVIEWER)) == []


@pytest.mark.django_db
def test_the_second_of_two_concurrent_transitions_is_refused(editor, chief):
    mine = submission_in(S.SUBMITTED)
    theirs = Submission.objects.get(pk=mine.pk)  # a second editor loaded the same entry
    workflow.transition(mine, S.FIRST_REVIEW, actor=editor)
    with pytest.raises(workflow.TransitionError, match="他人"):
        workflow.transition(theirs, S.DECLINED, actor=chief, message="不符合要求")
    fresh = Submission.objects.get(pk=mine.pk)
    assert fresh.status == S.FIRST_REVIEW
    assert list(fresh.history.values_list("to_status", flat=True)) == [S.SUBMITTED, S.FIRST_REVIEW]


def test_each_machine_moves_its_own_kind_and_nothing_else():
    assert machine_of(Submission()) is ENTRY
    assert machine_of(Showcase()) is ARTICLE
    with pytest.raises(LookupError, match="no workflow machine moves a Region"):
        machine_of(Region(name="济南市"))
    assert ENTRY.versioned and ARTICLE.versioned
