"""The world the permission matrix is requested in (tests/workflow/test_permission_matrix.py): one
object of each kind the site shows, each actor's account, and the tracking links they hold."""

import tempfile
from datetime import timedelta
from pathlib import Path

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import now
from django_q.models import OrmQ, Schedule, Task

from submissions.experts import links as expert_links
from submissions.experts import services as expert_services
from submissions.interview import calendar as interview_calendar
from submissions.interview import services as interview_services
from submissions.models import (
    Brand,
    Comment,
    Expert,
    MailboxMessage,
    NotificationTemplate,
    OutboxMessage,
    Photo,
    RecommendingBody,
    ReviewerProfile,
    Showcase,
    SiteSettings,
    Status,
    Submission,
)
from submissions.newsroom import publishing
from submissions.notice import services as notice_services
from submissions.notice.forms import CheckedEvidence
from submissions.recommend import services as recommend_services
from submissions.results import services as results_services
from submissions.results import tasks as results_tasks
from submissions.review import export_jobs
from submissions.video import services as video_services
from submissions.vote import services as vote_services
from tests.factories import (
    CampaignFactory,
    ShowcaseFactory,
    UserFactory,
    add_attachment,
    add_photo,
    assign,
    body_account,
    published_showcase,
    review,
    submission_in,
)
from tests.notice.helpers import DURING, notice_of
from tests.platform.test_video import make_clip
from tests.vote.helpers import PRINT, vote_on

ANON, OWNER, OTHER, REVIEWER, EDITOR, CHIEF = "anonymous", "owner", "other", "reviewer", "editor", "chief"
BODY, OTHER_BODY = "body", "other body"  # a recommending body's account, and another body's (not staff)
EXPERT = "expert"  # an expert of the panel with an account (not staff): their own commentary requests only
SECRET = "机密测试党支部"  # in the private entry's name: outsiders must never read it


def certificate_world(editor):
    """A thank-you letter issued by an editor, its PDF rendered and signed as the worker does after the commit."""
    certificate = results_services.issue_letter("thanks", CampaignFactory(slug="matrix-letters"), "吴十", actor=editor)
    results_tasks.render_certificate(certificate.pk)
    certificate.refresh_from_db()
    return {"certificate": certificate}


def notice_world():
    notice = notice_of(1, slug="matrix-notice")
    evidence = CheckedEvidence("证明.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n")
    data = {"name": "李四", "unit": "某单位", "phone": "13900001111", "email": "lisi@example.com", "facts": "事实" * 20}
    objection = notice_services.raise_objection(notice, notice.items.get(), data, [evidence], today=DURING)
    return {"notice": notice, "objection": objection, "evidence": objection.evidence.get()}


def vote_world():
    vote, (entry,) = vote_on(1, slug="matrix-vote")
    ballot = vote_services.cast(vote.campaign, entry, vote_services.keyed("phone", "13900001111"), PRINT)
    return {"vote": vote, "vote_entry": entry, "ballot": ballot}


def screening_world(users):
    """An entry sent in the campaign that asks for recommendation (with the body `BODY` acts for), one
    recommended with its stamped scan, and a second body of the same campaign (`OTHER_BODY`'s)."""
    screened = submission_in(Status.SUBMITTED, screened_by="recommendation")
    recommended = submission_in(Status.RECOMMENDED)
    scan = recommend_services.attach_scan(recommended.recommendation, ContentFile(b"%PDF-1.4\n%%EOF\n", name="scan.pdf"))
    other_body = RecommendingBody.objects.create(campaign=screened.campaign, name="青岛市委组织部", quota=3)
    other_body.members.add(users[OTHER_BODY])
    users[BODY].refresh_from_db()  # the factories set its password again (a stale hash would end its session)
    return {
        "screened": screened,
        "recommended": recommended,
        "body": screened.body,
        "check": recommended.eligibility_checks.get(),
        "recommendation": scan,
    }


def interview_world(accepted, editor):
    """An interview proposed to the accepted entry's contact, and one confirmed (its calendar file is served)."""
    reporter = UserFactory(username="m-reporter", role="editor")
    soon = [now() + timedelta(days=days, hours=2) for days in (3, 4)]
    proposed = interview_services.plan(accepted, editor=editor, reporters=[reporter], dates=soon)
    confirmed = interview_services.plan(accepted, editor=editor, reporters=[reporter], dates=soon)
    interview_services.pick(confirmed, confirmed.dates.first().pk, confirmed.version)
    confirmed.refresh_from_db()
    return {"interview": proposed, "confirmed_interview": confirmed, "feed_token": interview_calendar.feed_token(reporter)}


def expert_world(users, accepted, article):
    """EXPERT's request on the accepted entry (and its signed link), another expert's request, and an
    accepted commentary of another expert on the live article (their public page lists it)."""
    mine = expert_services.save_expert(Expert(slug="m-expert", name="陈明", title="教授", user=users[EXPERT]))
    theirs = expert_services.save_expert(Expert(slug="m-other-expert", name="李华", title="研究员"))
    due = now() + timedelta(days=7)
    request = expert_services.request(accepted, editor=users[EDITOR], expert=mine, due_at=due)
    other_request = expert_services.request(article.submission, editor=users[EDITOR], expert=theirs, due_at=due)
    expert_services.write(other_request, "expert_link", "点评正文：做法扎实，可复制可推广。", "", other_request.version)
    expert_services.accept(other_request, users[EDITOR])
    users[EXPERT].refresh_from_db()  # the factories set its password again (a stale hash would end its session)
    return {
        "commentary": request,
        "commentary_link": expert_links.sign(request),
        "other_commentary": other_request,
        "panel_expert": theirs,
        "brand": Brand.objects.get(key=article.submission.dedupe_key),  # made by the article's publication
    }


def video_world(entry):
    """A video of the private entry, as the upload form keeps it (a real clip, probed)."""
    folder = Path(tempfile.mkdtemp(prefix="matrix-video-"))
    clip = make_clip(folder / "clip.mp4", seconds=1)
    upload = SimpleUploadedFile("clip.mp4", clip.read_bytes(), content_type="video/mp4")
    return {"video": video_services.accept(upload, submission=entry, caption="视频")}


def export_job(editor):
    job = export_jobs.start(Submission.objects.all(), editor)
    export_jobs.run(job.pk)
    return job


class World(dict):
    def __getattr__(self, name):
        return self[name]


def world():
    entry = submission_in(Status.FIRST_REVIEW, org_name=f"{SECRET}第一支部")
    other = submission_in(Status.SUBMITTED)
    assigned = submission_in(Status.FIRST_REVIEW)
    staged_photo = add_photo(None)
    Photo.objects.filter(pk=staged_photo.pk).update(upload_key="k" * 32)
    saved_photo = add_photo(entry)
    Photo.objects.filter(pk=saved_photo.pk).update(upload_key="s" * 32)  # staged once, now the entry's
    draft_article = ShowcaseFactory()
    writer = UserFactory(username="m-writer", role="editor")
    for note in ("新建", "修改"):  # two revisions, to compare and revert
        publishing.edited(draft_article, writer, note=note)
    article = published_showcase()
    public_photo = add_photo(article.submission)
    article.photos.create(photo=public_photo, caption="活动照片")
    users = {
        REVIEWER: UserFactory(username="m-reviewer", role="reviewer"),
        EDITOR: UserFactory(username="m-editor", role="editor"),
        CHIEF: UserFactory(username="m-chief", role="chief"),
        BODY: body_account(),
        OTHER_BODY: UserFactory(username="m-other-body", role="recommender"),
        EXPERT: UserFactory(username="m-expert"),  # put in the 点评专家 role by its Expert (expert_world)
    }
    assignment = assign(assigned, users[REVIEWER])
    accepted = submission_in(Status.ACCEPTED)
    assign(entry, foreign := UserFactory(username="m-reviewer-2", role="reviewer"))
    AccessAttempt.objects.create(username="x", ip_address="192.0.2.1", user_agent="t", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="192.0.2.1", user_agent="t")
    AccessFailureLog.objects.create(username="x", ip_address="192.0.2.1", user_agent="t")
    return World(
        entry=entry,
        other=other,
        campaign=entry.campaign,
        region=entry.region,
        article=article,
        draft_article=draft_article,
        staged_photo=Photo.objects.get(pk=staged_photo.pk),
        saved_key="s" * 32,
        returned=submission_in(Status.RETURNED),
        accepted=accepted,
        assigned=assigned,
        entry_edit=entry.edits.order_by("history_id").first().history_id,
        assigned_edit=assigned.edits.order_by("history_id").first().history_id,
        public_photo=public_photo,
        private_photo=add_photo(entry),
        assigned_photo=add_photo(assigned),
        attachment=add_attachment(entry),
        review=review(assigned, users[REVIEWER]),
        foreign_review=review(entry, foreign),
        assignment=assignment,
        profile=ReviewerProfile.objects.create(reviewer=users[REVIEWER], affiliations="示范党委"),
        comment=Comment.objects.create(showcase=article, name="读者", body="很好"),
        site=SiteSettings.load(),
        template=NotificationTemplate.objects.first(),
        message=OutboxMessage.objects.create(event="received", to="a@example.com", subject="s", body="b"),
        mail=MailboxMessage.objects.create(
            campaign=entry.campaign,
            message_id="<matrix@example.com>",
            subject="来稿",
            raw=ContentFile(b"Subject: x\r\n\r\nbody\r\n", name="matrix.eml"),
        ),
        editor_user=users[EDITOR],
        group=Group.objects.first(),
        attempt=AccessAttempt.objects.first(),
        access_log=AccessLog.objects.first(),
        failure_log=AccessFailureLog.objects.first(),
        export_job=export_job(users[EDITOR]),
        schedule=Schedule.objects.create(name="m-schedule", func="math.floor"),
        task_done=Task.objects.create(id="d" * 32, name="done", func="math.floor", started=now(), stopped=now(), success=True),
        task_failed=Task.objects.create(
            id="f" * 32, name="failed", func="math.floor", started=now(), stopped=now(), success=False
        ),
        task_queued=OrmQ.objects.create(key="portal", payload="x", lock=now()),
        showcase_type=ContentType.objects.get_for_model(Showcase).pk,
        **screening_world(users),
        **interview_world(accepted, users[EDITOR]),
        **video_world(entry),
        **expert_world(users, accepted, article),
        **notice_world(),
        **vote_world(),
        **certificate_world(users[EDITOR]),
        users=users,
        tokens={OWNER: entry.tracking_token, OTHER: other.tracking_token},
    )
