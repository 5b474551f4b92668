"""A stateful property test of the workflow (hypothesis RuleBasedStateMachine).

Random actors (two editors, two chief editors, a reviewer, the submitter, the system) make random
moves and edits of entries and articles through the domain functions, the way the admin and the
public pages call them. After every step the invariants are checked against the database, with
expectations of this test's own (the literal tables, and a shadow record of who changed what):

- an entry is published exactly when its article is;
- no published (or signed-off, or scheduled) article lacks a valid sign-off by someone who is
  neither its responsible editor nor changed it since the sign-off before;
- every status change has its history row (the rows of each entry and article chain up from the
  first status to the current one);
- no move was made by an actor the table does not allow.

Each example runs in a savepoint that is rolled back afterwards (the users are made once).
"""

import os
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from submissions import workflow
from submissions.models import Showcase, Status, StatusChange, Submission
from submissions.newsroom import publishing
from submissions.workflow import roles
from tests.factories import CampaignFactory, SubmissionFactory, make_user
from tests.workflow.test_workflow_rules import ARTICLE_TABLE
from tests.workflow.test_workflow_table import ENTRY_TABLE

A = Showcase.State
EXAMPLES = int(os.environ.get("WORKFLOW_EXAMPLES", "500"))
STEPS = 12
ENTRY_STATUSES = list(Status.values)
ARTICLE_STATES = list(A.values)
# Entry moves made only together with the article's move, and the article move that makes each.
WITH_ARTICLE = {("accepted", "published"), ("published", "accepted")}
REACHED = {}  # article state -> in how many sequences some article reached it (printed by the test)


class Newsroom(RuleBasedStateMachine):
    people = {}  # role-ish name -> actor, set once by the test
    campaign = None

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.entries = []
        self.articles = []
        # article pk -> the users who changed it since its last sign-off, and the last signer's
        # view: (signer, responsible editor at sign-off, changed since?)
        self.changed_by = {}
        self.signed = {}
        self.counter = 0

    def teardown(self):
        reached = set(StatusChange.objects.filter(showcase__isnull=False).values_list("to_status", flat=True))
        for state in reached:
            REACHED[state] = REACHED.get(state, 0) + 1
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers ---

    def _actor(self, data, names=None):
        name = data.draw(st.sampled_from(names or sorted(self.people)), label="actor")
        return name, self.people[name]

    @staticmethod
    def _role(name):
        return {"editor1": "editor", "editor2": "editor", "chief1": "chief", "chief2": "chief"}.get(name, name)

    def _fresh(self, obj):
        obj.refresh_from_db()
        return obj

    # --- entries ---

    @initialize(data=st.data())
    def an_accepted_entry_with_its_draft(self, data):
        """Every sequence starts from an accepted entry and its draft article (random editors)."""
        self.new_entry(data, Status.ACCEPTED)
        self.draft_article(data)

    @precondition(lambda self: len(self.entries) < 4)
    @rule(data=st.data(), status=st.sampled_from([Status.DRAFT, Status.SUBMITTED, Status.FIRST_REVIEW, Status.ACCEPTED]))
    def new_entry(self, data, status):
        _name, editor = self._actor(data, ["editor1", "editor2", "chief1", "chief2"])
        entry = SubmissionFactory(campaign=self.campaign, sections=1)
        list(workflow.walk(entry, status, editor=editor))
        self.entries.append(entry)

    @precondition(lambda self: self.entries)
    @rule(data=st.data())
    def move_entry(self, data):
        entry = self._fresh(data.draw(st.sampled_from(self.entries), label="entry"))
        name, actor = self._actor(data)
        allowed = [to for (frm, to) in ENTRY_TABLE if frm == entry.status] or ENTRY_STATUSES
        to = data.draw(st.sampled_from(allowed) | st.sampled_from(ENTRY_STATUSES), label="to")
        before = entry.status
        try:
            workflow.transition(entry, to, actor=actor, message="请补充材料。", via="test")
        except workflow.TransitionError:
            assert self._fresh(entry).status == before
            return
        assert self._role(name) in ENTRY_TABLE[(before, to)], (before, to, name)

    # --- articles ---

    @precondition(lambda self: self.entries)
    @rule(data=st.data())
    def draft_article(self, data):
        entry = self._fresh(data.draw(st.sampled_from(self.entries), label="entry"))
        _name, editor = self._actor(data, ["editor1", "editor2", "chief1", "chief2"])
        try:
            article = publishing.draft_from_entry(entry, editor=editor)
        except workflow.TransitionError:
            assert entry.status != Status.ACCEPTED or Showcase.objects.filter(submission=entry).exists()
            return
        self.articles.append(article)
        self.changed_by[article.pk] = {editor.pk}

    @precondition(lambda self: self.articles)
    @rule(data=st.data())
    def move_article(self, data):
        article = self._fresh(data.draw(st.sampled_from(self.articles), label="article"))
        name, actor = self._actor(data)
        allowed = list(ARTICLE_TABLE[article.state])
        to = data.draw(st.sampled_from(allowed) | st.sampled_from(ARTICLE_STATES), label="to")
        before = article.state
        try:
            publishing.move(article, to, actor, message="请核实。", at=timezone.now() + timedelta(hours=1))
        except workflow.TransitionError:
            assert self._fresh(article).state == before
            return
        assert self._role(name) in ARTICLE_TABLE[before].get(to, set()), (before, to, name)
        self._moved(article, to, actor)

    @precondition(lambda self: self.articles)
    @rule(data=st.data())
    def next_step(self, data):
        """The usual next step of an article, by a random person of the role that usually makes it."""
        article = self._fresh(data.draw(st.sampled_from(self.articles), label="article"))
        step = {
            A.DRAFT: (A.AWAITING_SIGNOFF, ["editor1", "editor2", "chief1", "chief2"]),
            A.AWAITING_SIGNOFF: (A.SIGNED_OFF, ["chief1", "chief2"]),
            A.SIGNED_OFF: (data.draw(st.sampled_from([A.PUBLISHED, A.SCHEDULED]), label="how"), ["chief1", "chief2"]),
            A.SCHEDULED: (A.PUBLISHED, ["chief1", "chief2", "system"]),
            A.PUBLISHED: (A.UNPUBLISHED, ["editor1", "chief1"]),
            A.UNPUBLISHED: (A.DRAFT, ["editor2", "chief2"]),
        }[article.state]
        to, names = step
        name, actor = self._actor(data, names)
        before = article.state
        try:
            publishing.move(article, to, actor, message="请核实。", at=timezone.now() + timedelta(hours=1))
        except workflow.TransitionError:
            assert self._fresh(article).state == before
            return
        assert self._role(name) in ARTICLE_TABLE[before][to], (before, to, name)
        self._moved(article, to, actor)

    def _moved(self, article, to, actor):
        if to == A.SIGNED_OFF:
            self.signed[article.pk] = (actor.pk, article.responsible_editor_id, set(self.changed_by[article.pk]))
            self.changed_by[article.pk] = set()

    @precondition(lambda self: self.articles)
    @rule(data=st.data())
    def publish_due(self, data):
        due = list(Showcase.objects.filter(state=A.SCHEDULED).values_list("pk", flat=True))
        assert publishing.publish_due(now=timezone.now() + timedelta(hours=2)) == len(due)

    @precondition(lambda self: self.articles)
    @rule(data=st.data(), what=st.sampled_from(["lead", "title", "slug", "responsible_editor", "submission", "nothing"]))
    def edit_article(self, data, what):
        """An admin save: the form refuses what it refuses, the rest is saved and recorded."""
        article = self._fresh(data.draw(st.sampled_from(self.articles), label="article"))
        _name, user = self._actor(data, ["editor1", "editor2", "chief1", "chief2"])
        self.counter += 1
        if what in ("lead", "title", "slug"):
            setattr(article, what, f"{getattr(article, what)[:60]}-{self.counter}")
        elif what == "responsible_editor":
            _other, person = self._actor(data, ["editor1", "editor2", "chief1", "chief2"])
            if person.pk in (article.responsible_editor_id, article.signed_off_by_id):
                return  # no change, or refused by the form (the signer cannot be the responsible editor)
            article.responsible_editor = person
        elif what == "submission":
            free = [e for e in self.entries if self._fresh(e).status == Status.ACCEPTED]
            free = [e for e in free if not Showcase.objects.filter(submission=e).exists()]
            if not free:
                return
            article.submission = data.draw(st.sampled_from(free), label="source")
        if article.source_problem():
            return  # the form refuses it (model validation)
        article.save()
        before = article.state
        publishing.edited(article, user)
        article.refresh_from_db()
        if what != "nothing":
            self.changed_by[article.pk].add(user.pk)
            if before in (A.SIGNED_OFF, A.SCHEDULED):
                assert article.state == A.DRAFT
            elif before == A.PUBLISHED:
                assert article.state == A.AWAITING_SIGNOFF
            else:
                assert article.state == before
        else:
            assert article.state == before

    # --- invariants (one pass over three queries after every step, to keep 500 sequences fast) ---

    @invariant()
    def the_workflow_holds(self):
        entries = dict(Submission.objects.values_list("pk", "status"))
        articles = list(Showcase.objects.values_list("pk", "state", "submission_id", "signed_off_by_id", "responsible_editor_id"))
        changes = list(
            StatusChange.objects.order_by("pk").values_list(
                "submission_id", "showcase_id", "from_status", "to_status", "actor_role"
            )
        )
        # An entry is published exactly when its article is.
        published_sources = set()
        for _pk, state, source, _signer, _editor in articles:
            if source is not None:
                assert (state == A.PUBLISHED) == (entries[source] == Status.PUBLISHED)
                if state == A.PUBLISHED:
                    published_sources.add(source)
        assert {pk for pk, status in entries.items() if status == Status.PUBLISHED} == published_sources
        # No signed-off, scheduled or published article lacks a valid sign-off.
        for pk, state, _source, signer, editor in articles:
            if state in (A.SIGNED_OFF, A.SCHEDULED, A.PUBLISHED):
                assert signer is not None
                shadow_signer, editor_then, changed_before = self.signed[pk]
                assert signer == shadow_signer and signer != editor and signer != editor_then
                assert signer not in changed_before, "signed off by someone who changed it"
                assert not self.changed_by[pk], "changed since its sign-off"
        # Every status change has its history row: each one's rows chain from draft to now.
        current = {("e", pk): "draft" for pk in entries} | {("a", row[0]): "draft" for row in articles}
        with_article = {"entry": {"accepted": 0, "published": 0}, "article": {"accepted": 0, "published": 0}}
        for entry_id, article_id, frm, to, role in changes:
            key = ("e", entry_id) if entry_id else ("a", article_id)
            assert current[key] == frm, (key, frm, to)
            current[key] = to
            # No move by an actor the table does not allow (moves made with the article: counted).
            if entry_id and (frm, to) in WITH_ARTICLE:
                with_article["entry"][to] += 1
            elif entry_id:
                assert role in ENTRY_TABLE[(frm, to)], (frm, to, role)
            else:
                assert role in ARTICLE_TABLE[frm][to], (frm, to, role)
                if to == A.PUBLISHED:
                    with_article["article"]["published"] += 1
                if frm == A.PUBLISHED:
                    with_article["article"]["accepted"] += 1
        assert with_article["entry"] == with_article["article"]
        assert all(current[("e", pk)] == status for pk, status in entries.items())
        assert all(current[("a", row[0])] == row[1] for row in articles)


@pytest.mark.django_db
def test_the_workflow_holds_its_invariants_under_random_actors(settings_fast_passwords):
    Newsroom.people = {
        "editor1": make_user(roles.EDITOR, username="sm-editor1"),
        "editor2": make_user(roles.EDITOR, username="sm-editor2"),
        "chief1": make_user(roles.CHIEF, username="sm-chief1"),
        "chief2": make_user(roles.CHIEF, username="sm-chief2"),
        "reviewer": make_user(roles.REVIEWER, username="sm-reviewer"),
        "submitter": workflow.SUBMITTER,
        "system": workflow.SYSTEM,
    }
    Newsroom.campaign = CampaignFactory(slug="stateful")
    run_state_machine_as_test(
        Newsroom,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            phases=[Phase.generate] if os.environ.get("WORKFLOW_NO_SHRINK") else list(Phase),
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    print("sequences in which an article reached each state:", dict(sorted(REACHED.items())))
    # The random walk must reach the states that matter, or it checks nothing of them.
    assert REACHED.get(A.PUBLISHED, 0) >= EXAMPLES // 25 and REACHED.get(A.AWAITING_SIGNOFF, 0) >= EXAMPLES // 10


@pytest.fixture
def settings_fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
