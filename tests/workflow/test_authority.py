"""The one authority (submissions.workflow.rules): the answers about one entry, article or assignment for
each role, a user with no role, an inactive user and a superuser, written out; and the same answers for
people whose groups carry the same permissions under other names (no answer may depend on a group's name).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from submissions import workflow
from submissions.experts import services as experts
from submissions.models import Expert, RecommendingBody, Stage, Status
from submissions.recommend import services as screening
from submissions.review import assignments, queues
from submissions.workflow import roles, rules
from tests.factories import ShowcaseFactory, UserFactory, add_photo, assign, ensure_roles, make_user, submission_in
from tests.review import queue_names

pytestmark = pytest.mark.django_db

# (permission, object) questions, by the name of the object in `world()`.
QUESTIONS = [
    ("submissions.view_submission", "mine"),  # assigned to the reviewer, in the round it is in
    ("submissions.view_submission", "old"),  # assigned to the reviewer in the first round, now in the second
    ("submissions.view_submission", "theirs"),  # assigned to the other reviewer only
    ("submissions.score_submission", "mine"),
    ("submissions.score_submission", "old"),
    ("submissions.score_submission", "theirs"),
    ("submissions.score_submission", "reviewers_assignment"),
    ("submissions.score_submission", "others_assignment"),
    ("submissions.run_workflow", "mine"),
    ("submissions.change_showcase", "article"),
    ("submissions.signoff_showcase", "article"),
    ("submissions.check_eligibility", "mine"),  # with the body the "body" account acts for
    ("submissions.recommend_submission", "mine"),
    ("submissions.check_eligibility", "theirs"),  # with the other body
    ("submissions.write_commentary", "commentary"),  # asked of the "expert" account's own request
    ("submissions.request_commentary", "commentary"),
]
T, F = True, False
EXPECTED = {
    "reviewer": [T, T, F, T, F, F, T, F, F, F, F, F, F, F, F, F],
    "other reviewer": [F, F, T, F, F, T, F, T, F, F, F, F, F, F, F, F],
    "editor": [T, T, T, F, F, F, F, F, T, T, F, T, F, T, F, T],
    "chief": [T, T, T, F, F, F, F, F, T, T, T, T, F, T, F, T],
    "no role": [F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F],
    # A recommending body's account: checks and recommends its own area's entries only; reads no review.
    "body": [F, F, F, F, F, F, F, F, F, F, F, T, T, F, F, F],
    "other body": [F, F, F, F, F, F, F, F, F, F, F, F, F, T, F, F],
    "inactive reviewer": [F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F],
    "superuser": [T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T],
    # An expert of the panel signed in: writes the commentary asked of them, nothing else; another expert not even that.
    "expert": [F, F, F, F, F, F, F, F, F, F, F, F, F, F, T, F],
    "other expert": [F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F],
}
# Without an object: (reads every entry, reads only what they score, may enter the admin, role in the history, queues).
EDITOR_QUEUES, CHIEF_QUEUES = queue_names.EDITOR, queue_names.CHIEF
ALL_QUEUES = [*CHIEF_QUEUES, "score"]
EXPECTED_ROLE = {
    "reviewer": (F, T, T, "reviewer", ["score"]),
    "other reviewer": (F, T, T, "reviewer", ["score"]),
    "editor": (T, F, T, "editor", EDITOR_QUEUES),
    "chief": (T, F, T, "chief", CHIEF_QUEUES),
    "no role": (F, F, F, "user", []),
    "body": (F, F, F, "recommender", []),  # not in the newsroom: the bodies' workspace (/recommend/)
    "other body": (F, F, F, "recommender", []),
    "inactive reviewer": (F, F, F, "user", []),
    "superuser": (T, F, T, "chief", ALL_QUEUES),
    "expert": (F, F, F, "commentator", []),  # not in the newsroom: the expert's own page (/experts/)
    "other expert": (F, F, F, "commentator", []),
}


def renamed_groups():
    """New groups, other names, each with exactly the permissions of one role's group."""
    made = {}
    for role, name in (
        (roles.REVIEWER, "外聘评审"),
        (roles.EDITOR, "值班编辑"),
        (roles.CHIEF, "总编室"),
        (roles.RECOMMENDER, "市委组织部"),
        (roles.COMMENTATOR, "特约评论员"),
    ):
        group = Group.objects.create(name=name)
        group.permissions.set(Group.objects.get(name=roles.GROUP_NAMES[role]).permissions.all())
        made[role] = group
    return made


def people(prefix, renamed=None):
    """One user per kind of actor. With `renamed`, the role users are in those groups instead of the roles' own."""

    def member(role, username, **kwargs):
        if renamed is None:
            return make_user(role, username=username, **kwargs)
        user = UserFactory(username=username, is_staff=True, **kwargs)
        user.groups.add(renamed[role])
        return user

    def body_account(username):
        """Not staff: a body works in its own workspace, outside the newsroom's admin."""
        user = UserFactory(username=username)
        ensure_roles()
        user.groups.add(renamed[roles.RECOMMENDER] if renamed else Group.objects.get(name=roles.GROUP_NAMES[roles.RECOMMENDER]))
        return user

    def expert_account(username):
        """Not staff: an expert writes on their own page, outside the newsroom's admin."""
        user = UserFactory(username=username)
        ensure_roles()
        user.groups.add(renamed[roles.COMMENTATOR] if renamed else Group.objects.get(name=roles.GROUP_NAMES[roles.COMMENTATOR]))
        return user

    return {
        "reviewer": member(roles.REVIEWER, f"{prefix}-reviewer"),
        "other reviewer": member(roles.REVIEWER, f"{prefix}-other"),
        "editor": member(roles.EDITOR, f"{prefix}-editor"),
        "chief": member(roles.CHIEF, f"{prefix}-chief"),
        "no role": UserFactory(username=f"{prefix}-nobody", is_staff=True),
        "inactive reviewer": member(roles.REVIEWER, f"{prefix}-gone"),
        "superuser": UserFactory(username=f"{prefix}-root", is_staff=True, is_superuser=True),
        "body": body_account(f"{prefix}-body"),
        "other body": body_account(f"{prefix}-other-body"),
        "expert": expert_account(f"{prefix}-expert"),
        "other expert": expert_account(f"{prefix}-other-expert"),
    }


def world(who):
    editor = make_user(roles.EDITOR, username="world-editor")
    mine, old, theirs = submission_in(Status.FIRST_REVIEW), submission_in(Status.FIRST_REVIEW), submission_in(Status.FIRST_REVIEW)
    objects = {
        "mine": mine,
        "old": old,
        "theirs": theirs,
        "reviewers_assignment": assign(mine, who["reviewer"], Stage.FIRST),
        "others_assignment": assign(theirs, who["other reviewer"], Stage.FIRST),
        "article": ShowcaseFactory(),
    }
    # A commentary asked of the "expert" (the other expert has a request of their own on another entry).
    panel = [
        Expert.objects.create(slug=f"e{user.pk}", name=user.username, user=user) for user in (who["expert"], who["other expert"])
    ]
    due = timezone.now() + timedelta(days=7)
    objects["commentary"] = experts.request(submission_in(Status.SHORTLISTED), editor=editor, expert=panel[0], due_at=due)
    experts.request(submission_in(Status.SHORTLISTED), editor=editor, expert=panel[1], due_at=due)
    assign(old, who["reviewer"], Stage.FIRST)
    for entry, account, name in ((mine, who["body"], "济南市委组织部"), (theirs, who["other body"], "青岛市委组织部")):
        body = RecommendingBody.objects.create(campaign=entry.campaign, name=name)
        body.members.add(account)
        screening.assign_body(entry, body)
    assign(mine, who["inactive reviewer"], Stage.FIRST)
    workflow.transition(old, Status.SECOND_REVIEW, actor=editor)
    who["inactive reviewer"].is_active = False
    who["inactive reviewer"].save()
    return objects


def answers(who, objects):
    """Each actor's answers, asked of a fresh user object (no permission cache from the set-up)."""
    found = {}
    for name, user in who.items():
        user = type(user).objects.get(pk=user.pk)
        found[name] = [user.has_perm(perm, objects[key]) for perm, key in QUESTIONS]
    return found


def role_answers(who):
    found = {}
    for name, user in who.items():
        user = type(user).objects.get(pk=user.pk)
        found[name] = (
            rules.reads_every_entry(user),
            rules.reads_assigned_only(user),
            rules.in_newsroom(user),
            rules.role_of(user),
            [q.name for q in queues.queues_for(user)],
        )
    return found


def test_each_role_gets_its_answers_about_one_object():
    who = people("a")
    objects = world(who)
    assert answers(who, objects) == EXPECTED
    assert role_answers(who) == EXPECTED_ROLE


def test_a_group_of_another_name_with_the_same_permissions_gets_the_same_answers():
    who = people("b", renamed_groups())
    objects = world(who)
    assert answers(who, objects) == EXPECTED
    assert role_answers(who) == EXPECTED_ROLE
    # The reviewers to choose from are those who may score (a superuser is not one of them).
    assert sorted(u.username for u in assignments.reviewer_pool()) == ["b-other", "b-reviewer"]


def test_every_move_permission_is_answered_about_its_object():
    """workflow.may(actor, who, obj) asks about the object: a move's permission without a rule would say no to all."""
    held = {perm for table in (workflow.TRANSITIONS, workflow.ARTICLE_TRANSITIONS) for who in table.values() for perm in who}
    moves = {
        "submissions.run_workflow",
        "submissions.change_showcase",
        "submissions.signoff_showcase",
        "submissions.check_eligibility",
        "submissions.recommend_submission",
    }
    assert {perm for perm in held if "." in perm} == moves
    assert moves <= set(rules.RULES)


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_asks_the_authority_not_the_group_name(settings):
    """Pages, not functions: people in renamed groups work as the roles' members do."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    who = people("c", renamed_groups())
    objects = world(who)
    mine, theirs = objects["mine"], objects["theirs"]
    photo = add_photo(mine)
    reviewer, editor, chief = _as(who["reviewer"]), _as(who["editor"]), _as(who["chief"])
    change = reverse("admin:submissions_submission_change", args=[mine.pk])
    score = reverse("admin:submissions_submission_score", args=[mine.pk, Stage.FIRST])
    assert reviewer.get(reverse("admin:index")).status_code == 200
    assert reviewer.get(change)["Location"] == score
    assert reviewer.get(score).status_code == 200
    assert reviewer.get(reverse("admin:submissions_submission_change", args=[theirs.pk])).status_code == 404
    assert reviewer.get(f"/media/{photo.display.name}").status_code == 200
    assert reviewer.get(reverse("admin:queue", args=["score"])).status_code == 200
    assert reviewer.get(reverse("admin:dashboard")).status_code == 403
    assert editor.get(reverse("admin:dashboard")).status_code == 200
    assert editor.get(reverse("admin:submissions_mailboxmessage_changelist")).status_code == 200
    assert editor.get(reverse("admin:queue", args=["triage"])).status_code == 200
    assert editor.get(reverse("admin:queue", args=["signoff"])).status_code == 404
    assert chief.get(reverse("admin:queue", args=["signoff"])).status_code == 200
    assert editor.get(f"/media/{photo.display.name}").status_code == 200
    assert _as(who["no role"]).get(reverse("admin:index")).status_code == 302  # to the login page
