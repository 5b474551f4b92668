"""专题融媒采访: every write of the interview area.

An editor plans an interview of a shortlisted or accepted entry (or one further on) with its
reporters, photographer and two or three proposed dates; the contact is mailed the proposal and
answers on the tracking page: a pick confirms it, a request for another date puts it back to the
editor, who proposes again. The reporters close it with their notes and photos. Every status change
goes through workflow.transition() (submissions.workflow.interviews); the date picked or asked for
is written here, in the same transaction as the move, and only if the contact's form still shows
the interview as it is (its version): an answer to an older proposal is refused, not applied.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import workflow
from submissions.interview import notify
from submissions.models import Interview, InterviewDate, InterviewStatus, Photo, Status
from submissions.platform import images
from submissions.workflow.interviews import MAX_DATES, MIN_DATES, PLAN

S = InterviewStatus
PLANNABLE = (Status.SHORTLISTED, Status.FINAL_REVIEW, Status.ACCEPTED, Status.PUBLISHED)
MAX_PHOTOS = 12  # per report


class InterviewError(Exception):
    """A refused change; str() is a message for the person (Chinese)."""


def check_dates(dates):
    """Two or three distinct dates, none in the past (InterviewError)."""
    dates = sorted(set(dates))
    if not MIN_DATES <= len(dates) <= MAX_DATES:
        raise InterviewError(_("请提供 2 至 3 个不同的建议采访时间。"))
    if dates[0] <= timezone.now():
        raise InterviewError(_("建议采访时间不能早于现在。"))
    return dates


def plan(entry, *, editor, reporters, dates, photographer=None, place="", notes="", duration_minutes=120):
    """A new interview of `entry`, proposed to its contact (mailed once the transaction commits)."""
    if not editor.has_perm(PLAN):
        raise InterviewError(_("您没有安排采访的权限。"))
    if entry.status not in PLANNABLE:
        raise InterviewError(_("只有已入围或已采用的作品才能安排采访。"))
    if not reporters:
        raise InterviewError(_("请至少选择一位文字记者。"))
    dates = check_dates(dates)
    with transaction.atomic():
        interview = Interview.objects.create(
            submission=entry,
            photographer=photographer,
            place=place,
            notes=notes,
            duration_minutes=duration_minutes,
            created_by=editor,
        )
        interview.reporters.set(reporters)
        InterviewDate.objects.bulk_create(InterviewDate(interview=interview, starts_at=when) for when in dates)
        transaction.on_commit(lambda: notify.proposed(interview))
    return interview


def repropose(interview, editor, dates, *, via=""):
    """New dates for an interview whose contact asked for another (rescheduling → proposed)."""
    dates = check_dates(dates)
    with transaction.atomic():
        interview.dates.all().delete()
        InterviewDate.objects.bulk_create(InterviewDate(interview=interview, starts_at=when) for when in dates)
        workflow.transition(interview, S.PROPOSED, actor=editor, via=via)  # the contact is mailed (effect)
    return interview


def _claim(interview, seen_version, **fields):
    """Write the contact's answer only if the interview is still the proposal their form showed."""
    won = Interview.objects.filter(pk=interview.pk, status=S.PROPOSED, version=seen_version).update(**fields)
    if not won:
        raise InterviewError(_("编辑部刚刚更新了采访安排，请查看最新的安排后再选择。"))
    for name, value in fields.items():
        setattr(interview, name, value)


def pick(interview, date_pk, seen_version, *, via="track"):
    """The contact picks one of the proposed dates: the interview is confirmed, the staff mailed."""
    with transaction.atomic():
        chosen = interview.dates.filter(pk=date_pk).values_list("starts_at", flat=True).first()
        if chosen is None:
            raise InterviewError(_("请从建议的采访时间中选择一个。"))
        _claim(interview, seen_version, chosen_at=chosen)
        workflow.transition(interview, S.CONFIRMED, actor=workflow.SUBMITTER, via=via)
    return interview


def counter(interview, when, message, seen_version, *, via="track"):
    """The contact asks for another date, with a message: back to the editor who planned it."""
    if when <= timezone.now():
        raise InterviewError(_("提议的时间不能早于现在。"))
    with transaction.atomic():
        _claim(interview, seen_version, counter_at=when)
        workflow.transition(interview, S.RESCHEDULING, actor=workflow.SUBMITTER, message=message, via=via)
    return interview


def cancel(interview, editor, reason, *, via=""):
    workflow.transition(interview, S.CANCELLED, actor=editor, message=reason, via=via)
    return interview


def report(interview, user, notes, uploads=(), *, via=""):
    """The reporters' material after the visit: notes, and photos added to the entry through the
    image pipeline (each checked before any is stored); the interview is then done."""
    uploads = list(uploads)
    if len(uploads) > MAX_PHOTOS:
        raise InterviewError(_("每次最多上传 %(count)s 张照片。") % {"count": MAX_PHOTOS})
    if not notes.strip() and not uploads:
        raise InterviewError(_("请填写采访笔记或上传照片。"))
    workflow.check(interview, S.DONE, user)  # before a photo is decoded
    checked = [images.make_renditions(upload) for upload in uploads]  # ValidationError: nothing stored
    entry = interview.submission
    written = []
    try:
        with transaction.atomic():
            start = (entry.photos.order_by("-order").values_list("order", flat=True).first() or 0) + 1
            for number, renditions in enumerate(checked):
                photo = images.store_renditions(Photo(submission=entry, order=start + number), renditions)
                written.append(photo)
                photo.caption = _("采访照片")
                photo.save()
            interview.photos.add(*written)
            Interview.objects.filter(pk=interview.pk).update(report=notes, version=F("version") + 1)
            interview.refresh_from_db(fields=["report", "version"])
            workflow.transition(interview, S.DONE, actor=user, via=via)
    except BaseException:
        for photo in written:
            images.delete_files(photo)
        raise
    return interview
