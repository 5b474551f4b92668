"""The one authority on who may do what: an authentication backend for questions about one object.

Django's ModelBackend answers the questions about a kind of thing (`user.has_perm("submissions.run_workflow")`:
does one of their groups, or they directly, hold the permission?) and answers no to every question about one
object. `Authority`, listed after it in settings.AUTHENTICATION_BACKENDS, answers those:

    user.has_perm("submissions.view_submission", entry)     editors: every entry; a reviewer: those assigned to them
    user.has_perm("submissions.score_submission", entry)    a reviewer assigned to it in the round it is in now
    user.has_perm("submissions.score_submission", assignment)   a reviewer, on their own assignment (any round)
    user.has_perm(perm, obj) for a move's permission        held (workflow.may asks; the machine's rules decide the rest)
    user.has_perm("submissions.check_eligibility", entry)   editors: every entry; a body's account: its own area's
    user.has_perm("submissions.recommend_submission", entry) a body's account, on its own area's entries

Each rule starts from a permission held through a role (the groups of submissions.workflow.roles carry them)
and narrows it by the object; no rule reads a group's name, so a group renamed, or a new group given the same
permissions, changes no answer. An active superuser is answered yes by Django itself, before any backend; an
inactive or anonymous user is answered no. The few questions the code asks without an object but by what a
person's permissions amount to (reads every entry, reads only what they score, is in the newsroom, the role
an actor acted in) are the functions below, so that they too are answered here and nowhere else.
"""

from django.contrib.auth.backends import BaseBackend

from submissions.models import CommentaryRequest, Interview, ReviewAssignment, Submission
from submissions.models.review import STAGE_OF_STATUS
from submissions.workflow import roles
from submissions.workflow.certificates import ISSUE as ISSUE_CERTIFICATE
from submissions.workflow.certificates import REVOKE as REVOKE_CERTIFICATE
from submissions.workflow.commentaries import REQUEST as REQUEST_COMMENTARY
from submissions.workflow.commentaries import WRITE as WRITE_COMMENTARY
from submissions.workflow.interviews import PLAN as PLAN_INTERVIEW
from submissions.workflow.interviews import REPORT as REPORT_INTERVIEW
from submissions.workflow.machines import EDIT_ARTICLE, RUN_WORKFLOW, SIGNOFF  # the moves' permissions, named by the tables
from submissions.workflow.objections import HANDLE as HANDLE_OBJECTION
from submissions.workflow.public_notice import PUBLISH as PUBLISH_NOTICE
from submissions.workflow.screening import CHECK_ELIGIBILITY, RECOMMEND

READ_ENTRIES = "submissions.view_submission"  # editors and chief editors: every entry, with its contacts
SCORE = "submissions.score_submission"  # reviewers: the entries assigned to them

# The permission that marks each role, highest first: the role an actor acted in (StatusChange.actor_role).
ROLE_MARKS = (
    (roles.CHIEF, SIGNOFF),
    (roles.EDITOR, RUN_WORKFLOW),
    (roles.REVIEWER, SCORE),
    (roles.RECOMMENDER, RECOMMEND),
    (roles.COMMENTATOR, WRITE_COMMENTARY),
)
NO_ROLE = "user"


def _reads_entry(user, entry):
    """Editors read every entry; a reviewer reads those they were asked to score, in any round."""
    if not isinstance(entry, Submission):
        return False
    if user.has_perm(READ_ENTRIES):
        return True
    return user.has_perm(SCORE) and ReviewAssignment.objects.filter(submission=entry, reviewer=user).exists()


def _scores(user, obj):
    """An assignment: the reviewer's own. An entry: assigned to them in the round its status is scored in
    (no round: nothing to score, e.g. decided, returned or withdrawn)."""
    if not user.has_perm(SCORE):
        return False
    if isinstance(obj, ReviewAssignment):
        return obj.reviewer_id == user.pk
    if isinstance(obj, Submission):
        stage = STAGE_OF_STATUS.get(obj.status)
        return stage is not None and ReviewAssignment.objects.filter(submission=obj, reviewer=user, stage=stage).exists()
    return False


def _acts_for_body(user, entry):
    """A body's account, on an entry of the body it acts for (Submission.body, set when it was submitted)."""
    return isinstance(entry, Submission) and entry.body_id is not None and entry.body_id in bodies_of(user)


def _checks(user, entry):
    """Editors check every entry's eligibility; a body's account only its own area's."""
    if not isinstance(entry, Submission) or not user.has_perm(CHECK_ELIGIBILITY):
        return False
    return user.has_perm(READ_ENTRIES) or _acts_for_body(user, entry)


def _recommends(user, entry):
    return user.has_perm(RECOMMEND) and _acts_for_body(user, entry)


def _sent_to(user, interview):
    """A newsroom member sent to this interview: one of its reporters, or its photographer."""
    if not isinstance(interview, Interview) or not in_newsroom(user):
        return False
    return interview.photographer_id == user.pk or interview.reporters.filter(pk=user.pk).exists()


def _own_commentary(user, request):
    """The expert asked for this commentary, signed in with the account linked to them (Expert.user)."""
    if not isinstance(request, CommentaryRequest) or not user.has_perm(WRITE_COMMENTARY):
        return False
    return request.expert.user_id == user.pk


def bodies_of(user):
    """The pks of the recommending bodies this user acts for (cached on the user for the request)."""
    cached = getattr(user, "_body_pks", None)
    if cached is None:
        cached = user._body_pks = frozenset(user.recommending_bodies.values_list("pk", flat=True))
    return cached


def acts_for_bodies(user):
    """A body's account without the newsroom's permissions: works in the body's workspace only."""
    return user.has_perm(RECOMMEND) and not user.has_perm(READ_ENTRIES)


def _held(perm):
    """A move's permission on its entry or article: held. The machine (workflow.check) adds its own rules
    with their own messages (a chief editor does not sign off what they edited, …)."""
    return lambda user, obj: user.has_perm(perm)


RULES = {
    READ_ENTRIES: _reads_entry,
    SCORE: _scores,
    RUN_WORKFLOW: _held(RUN_WORKFLOW),
    EDIT_ARTICLE: _held(EDIT_ARTICLE),
    SIGNOFF: _held(SIGNOFF),
    ISSUE_CERTIFICATE: _held(ISSUE_CERTIFICATE),
    REVOKE_CERTIFICATE: _held(REVOKE_CERTIFICATE),
    HANDLE_OBJECTION: _held(HANDLE_OBJECTION),
    PUBLISH_NOTICE: _held(PUBLISH_NOTICE),
    PLAN_INTERVIEW: _held(PLAN_INTERVIEW),
    REPORT_INTERVIEW: lambda user, obj: _sent_to(user, obj),
    REQUEST_COMMENTARY: _held(REQUEST_COMMENTARY),
    WRITE_COMMENTARY: _own_commentary,
    CHECK_ELIGIBILITY: _checks,
    RECOMMEND: _recommends,
}


class Authority(BaseBackend):
    """Answers `user.has_perm(perm, obj)` from RULES; authenticates nobody, and has no opinion without an object."""

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or not (user_obj.is_active and user_obj.is_authenticated):
            return False
        rule = RULES.get(perm)
        return bool(rule is not None and rule(user_obj, obj))


def reads_every_entry(user):
    """Editors and chief editors: every entry, its contacts and all its reviews."""
    return user.has_perm(READ_ENTRIES)


def reads_assigned_only(user):
    """A reviewer without an editor's permissions: sees only what they are asked to score, as they may see it."""
    return user.has_perm(SCORE) and not user.has_perm(READ_ENTRIES)


def in_newsroom(user):
    """Holds a permission of the portal (through a role, or directly): may enter the admin."""
    return bool(user.is_active and user.is_staff and user.has_module_perms("submissions"))


def role_of(user):
    """The role a user acts in, by the permissions they hold (a superuser: chief), else NO_ROLE."""
    for role, perm in ROLE_MARKS:
        if user.has_perm(perm):
            return role
    return NO_ROLE
