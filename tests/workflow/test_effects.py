"""The declared effects of each move (submissions.workflow.effects): each runs exactly once per move,
in the move's transaction or after its commit as declared, and every declared effect has one handler."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from submissions import workflow
from submissions.models import OutboxMessage, Showcase, Status
from submissions.newsroom import publishing
from submissions.overlap import hooks
from submissions.overlap import tasks as overlap_tasks
from submissions.platform import pagecache, public_media, search
from submissions.workflow import effects
from tests.factories import SubmissionFactory, article_in, make_user, submission_in

S, A = Status, Showcase.State
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def calls(monkeypatch, settings, tmp_path):
    """Every call of an effect's platform or area function, by name, while the real one still runs."""
    settings.MEDIA_PUBLIC_ROOT = str(tmp_path / "public")  # public media on: its sync is not skipped
    made = {"cache": [], "search": [], "public_media": [], "overlap": []}

    def counting(name, module, attribute):
        real = getattr(module, attribute)

        def counted(*args):
            made[name].append(args)
            return real(*args)

        monkeypatch.setattr(module, attribute, counted)

    counting("cache", pagecache, "bump")
    counting("search", search, "redate")
    counting("public_media", public_media, "sync")
    monkeypatch.setattr(overlap_tasks, "queue", lambda kind, pk: made["overlap"].append((kind, pk)))  # the job itself: not here
    return made


def _mails(entry):
    return list(OutboxMessage.objects.filter(to=entry.contact_email).order_by("pk").values_list("event", flat=True))


def test_a_publish_runs_each_effect_once(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # written in transactions of their own
        article = article_in(A.SIGNED_OFF)
    entry = article.submission
    chief = make_user("chief", username="publisher")
    before, sent = _mails(entry), OutboxMessage.objects.count()
    for made in calls.values():
        made.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish(article, chief)
    assert len(calls["cache"]) == 1  # the article's move; its entry's move has no page effect of its own
    assert calls["search"] == [(article.pk,)]
    assert calls["public_media"] == [(article.pk,)]
    assert calls["overlap"] == [("article", article.pk)]
    assert _mails(entry)[len(before) :] == ["published"]
    assert OutboxMessage.objects.count() == sent + 1  # nobody else is mailed of a publish


def test_a_take_down_runs_its_effects_once_and_mails_nobody(calls, django_capture_on_commit_callbacks, editor):
    with django_capture_on_commit_callbacks(execute=True):  # written in transactions of their own
        article = article_in(A.PUBLISHED)
    entry = article.submission
    sent = OutboxMessage.objects.count()
    for made in calls.values():
        made.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.unpublish(article, editor, "信息有误")
    assert len(calls["cache"]) == 1
    assert calls["search"] == []  # the publication date stays what it was
    assert calls["public_media"] == [(article.pk,)]
    assert calls["overlap"] == [("article", article.pk)]
    assert OutboxMessage.objects.count() == sent
    entry.refresh_from_db()
    assert entry.status == S.ACCEPTED


def test_a_correction_of_a_published_article_resets_the_pages_once(calls, django_capture_on_commit_callbacks, editor):
    with django_capture_on_commit_callbacks(execute=True):  # written in transactions of their own
        article = article_in(A.PUBLISHED)
    Showcase.objects.filter(pk=article.pk).update(title="更正后的标题")  # no save signal: only the edit's own effects count
    article.refresh_from_db()
    for made in calls.values():
        made.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.edited(article, editor, reason="数据有误")
    article.refresh_from_db()
    assert article.state == A.AWAITING_SIGNOFF
    assert len(calls["cache"]) == 1  # the move's effect; the edit does not reset the pages again
    assert calls["public_media"] == [(article.pk,)]


def test_a_submit_queues_one_overlap_job_and_its_receipts(calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the draft saved in a transaction of its own
        entry = SubmissionFactory()
    for made in calls.values():
        made.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(entry, S.SUBMITTED, actor=workflow.SUBMITTER)
    assert calls["overlap"] == [("entry", entry.pk)]
    assert calls["cache"] == [] and calls["search"] == [] and calls["public_media"] == []
    assert _mails(entry) == ["received"]
    assert OutboxMessage.objects.filter(event="mailbox_notice", to=entry.campaign.mailbox).count() == 1


def test_a_return_sends_one_mail_and_nothing_else(calls, django_capture_on_commit_callbacks, editor):
    entry = submission_in(S.FIRST_REVIEW)
    before = _mails(entry)
    for made in calls.values():
        made.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(entry, S.RETURNED, actor=editor, message="请补充照片。")
    assert _mails(entry)[len(before) :] == ["returned"]
    assert calls == {"cache": [], "search": [], "public_media": [], "overlap": []}


def test_mail_is_written_with_the_move_and_a_rolled_back_move_writes_none(calls, django_capture_on_commit_callbacks, editor):
    """The outbox row is written in the move's transaction (a process dying after the commit cannot
    leave the move without its mail); sending it waits for the commit."""
    entry = submission_in(S.FIRST_REVIEW)
    sent = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        workflow.transition(entry, S.RETURNED, actor=editor, message="请补充照片。")
        assert OutboxMessage.objects.count() == sent + 1  # before the commit
    assert len(waiting) == 1  # the sending, queued once committed

    class Undone(Exception):
        pass

    entry = submission_in(S.FIRST_REVIEW)
    sent = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Undone), transaction.atomic():
        workflow.transition(entry, S.RETURNED, actor=editor, message="请补充照片。")
        raise Undone
    assert OutboxMessage.objects.count() == sent


def test_a_failing_mail_never_undoes_the_move(calls, django_capture_on_commit_callbacks, editor, monkeypatch, caplog):
    def broken(change):
        OutboxMessage.objects.create(event="returned", to="half@example.com", subject="半封", body="")
        raise ValueError("a template that does not render")

    monkeypatch.setattr(effects.notices, "moved", broken)
    entry = submission_in(S.FIRST_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(entry, S.RETURNED, actor=editor, message="请补充照片。")
    entry.refresh_from_db()
    assert entry.status == S.RETURNED
    assert not OutboxMessage.objects.filter(to="half@example.com").exists()  # its savepoint rolled back
    assert "workflow effect mail failed" in caplog.text


def test_the_cache_is_bumped_inside_the_transaction(calls, django_capture_on_commit_callbacks, chief):
    article = article_in(A.SIGNED_OFF)
    calls["cache"].clear()
    with django_capture_on_commit_callbacks(execute=False):
        publishing.publish(article, chief)
        assert len(calls["cache"]) == 1  # before the commit: a page rendered meanwhile is stale at once


def test_the_declared_effects_of_known_moves():
    moves = workflow.EFFECTS
    # Going live also makes (or keeps up) the brand's page (品牌档案); going off leaves the brand as it is.
    assert set(moves[("article", "signed_off", "published")]) == {"cache", "search", "public_media", "overlap", "brand"}
    assert set(moves[("article", "scheduled", "published")]) == {"cache", "search", "public_media", "overlap", "brand"}
    assert set(moves[("article", "published", "unpublished")]) == {"cache", "public_media", "overlap"}
    assert set(moves[("article", "published", "awaiting_signoff")]) == {"cache", "public_media", "overlap", "mail"}
    assert set(moves[("article", "draft", "awaiting_signoff")]) == {"mail"}
    assert set(moves[("article", "signed_off", "scheduled")]) == set()
    assert set(moves[("entry", "draft", "submitted")]) == {"mail", "overlap"}
    assert set(moves[("entry", "returned", "resubmitted")]) == {"mail", "overlap"}
    assert set(moves[("entry", "accepted", "published")]) == {"mail"}
    assert set(moves[("entry", "published", "accepted")]) == set()  # taken down with its article: no news
    assert set(moves[("entry", "submitted", "first_review")]) == set()
    # An objection's answer is mailed to the objector, either way; taking it tells no one.
    assert set(moves[("objection", "received", "investigating")]) == set()
    assert set(moves[("objection", "investigating", "upheld")]) == {"objection_mail"}
    assert set(moves[("objection", "investigating", "dismissed")]) == {"objection_mail"}
    # Screening: a failed check is mailed as a return or decline (with each failed item); passing tells no one.
    assert set(moves[("entry", "submitted", "eligible")]) == set()
    assert set(moves[("entry", "eligible", "recommended")]) == set()
    assert set(moves[("entry", "eligible", "declined")]) == {"mail"}
    assert set(moves[("entry", "submitted", "returned")]) == {"mail"}
    # A notice's every phase changes its public page.
    assert set(moves[("notice", "draft", "published")]) == {"cache"}
    assert set(moves[("notice", "closed", "final")]) == {"cache"}
    # An interview: the contact is told of a proposal and a cancellation, the editor of a request for another
    # date, the staff of the appointment; the visit done tells no one.
    assert set(moves[("interview", "proposed", "confirmed")]) == {"interview_mail"}
    assert set(moves[("interview", "confirmed", "done")]) == set()
    # A commentary: the expert is sent the request, a revision asked or a withdrawal, the editor the text or the
    # refusal; an accepted one (or one taken back) changes the article's page.
    assert set(moves[("commentary", "requested", "written")]) == {"commentary_mail"}
    assert set(moves[("commentary", "requested", "declined")]) == {"commentary_mail"}
    assert set(moves[("commentary", "written", "requested")]) == {"commentary_mail"}
    assert set(moves[("commentary", "written", "accepted")]) == {"cache"}
    assert set(moves[("commentary", "accepted", "withdrawn")]) == {"cache", "commentary_mail"}
    # Every move of the entry's, article's, certificate's, objection's, notice's, interview's and commentary's tables.
    assert len(moves) == 45 + 12 + 2 + 3 + 3 + 7 + 7


def test_every_declared_effect_has_one_handler_after_ready():
    effects.check()
    assert effects._handlers["overlap"] is hooks.moved


def test_a_missing_or_second_handler_is_refused(monkeypatch):
    monkeypatch.setattr(effects, "_handlers", {k: v for k, v in effects._handlers.items() if k != "overlap"})
    with pytest.raises(ImproperlyConfigured, match="overlap"):
        effects.check()
    effects.register("overlap", hooks.moved)
    effects.register("overlap", hooks.moved)  # the same one again (a second ready()): still one
    with pytest.raises(ImproperlyConfigured, match="has a handler already"):
        effects.register("overlap", lambda change: None)
    with pytest.raises(ImproperlyConfigured, match="not declared"):
        effects.register("fax", lambda change: None)


def test_only_an_accepted_entry_may_get_an_article(editor):
    workflow.check_article_source(submission_in(S.ACCEPTED))
    for status in (S.SHORTLISTED, S.DECLINED):
        with pytest.raises(workflow.TransitionError, match="只有已采用的作品才能生成巡展文章。"):
            workflow.check_article_source(submission_in(status))


def test_the_fields_the_workflow_owns():
    assert workflow.OWNED_FIELDS == {"status", "reference", "submitted_at", "status_changed_at", "version"}
    assert workflow.ARTICLE_OWNED_FIELDS == {
        "state",
        "version",
        "signed_off_by",
        "signed_off_at",
        "signed_revision",
        "published_at",
        "unpublished_reason",
    }
