"""公示 and objections: every write of the notice area.

A notice is prepared by an editor (its list chosen from the campaign's accepted and published
entries, its start and its length in working days), then published; its last day is counted in
Chinese working days (workdays.py) when it is saved, so the page, the form and the periodic close
all read the same date. Objections are taken only from the start to the end of that last day
(Beijing time, the site's TIME_ZONE). The notice closes by itself the day after (tasks.py); its
result is final once it is closed and no objection is still being handled.

Its phases are the workflow's moves (submissions.workflow.public_notice): publish, close and
finalise each go through workflow.transition(), which writes the status with the moment of the
phase, keeps the step and makes the public page stale; nothing here writes them. save() writes
only the fields an editor edits, never the ones the machine owns.

An objection moves through the workflow (submissions.workflow.objections); answering one upheld
takes its entry off the list in the same transaction, with the reason. The objector is mailed a
receipt here and the answer by the workflow's "objection_mail" effect (hooks.py).
"""

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import workflow
from submissions.models import NoticeItem, NoticeStatus, Objection, ObjectionEvidence, ObjectionStatus, PublicNotice
from submissions.notice import selectors, workdays
from submissions.platform import mail, pagecache
from submissions.workflow import public_notice

ANSWER_WORKDAYS = 10  # an objection is answered within 10 working days of its receipt
TASK = "close_notices"  # the history's "via" of the periodic close's moves (tasks.py)
# The fields an editor edits (save()): every one but the key and those the workflow owns.
EDITED_FIELDS = [
    field.name
    for field in PublicNotice._meta.concrete_fields
    if not field.primary_key and field.name not in public_notice.OWNED_FIELDS and field.name != "created_at"
]


def current_date():
    """The site's date (Beijing time): the day a notice's periods are counted in, the one its machine's close reads."""
    return public_notice.today()


class NoticeError(Exception):
    """A refused change; str() is a message for the editor (Chinese)."""


def plan(notice):
    """Work out the notice's last day from its start and length (UnknownYear: the calendar does not know it)."""
    notice.ends_on = workdays.last_day(notice.starts_on, notice.workdays)
    return notice.ends_on


def save(notice, entries=None):
    """Save a notice's dates and, before it is published, its list (`entries`, in the order given)."""
    plan(notice)
    with transaction.atomic():
        if notice.pk is None:
            notice.save()
        else:  # not the status and the moments: a form loaded before a move does not undo it
            notice.save(update_fields=EDITED_FIELDS)
        if entries is not None:
            set_entries(notice, entries)
    pagecache.bump()
    return notice


def set_entries(notice, entries):
    """The notice's list: only the campaign's accepted or published entries, and only before it is published."""
    if notice.is_published:
        raise NoticeError(_("公示已发布，名单不能再改；如有作品须撤出，请通过异议处理。"))
    allowed = set(selectors.candidates(notice.campaign).values_list("pk", flat=True))
    wrong = [str(entry) for entry in entries if entry.pk not in allowed]
    if wrong:
        raise NoticeError(_("只有本次征集中已采用或已发表的作品才能列入公示名单：%(entries)s") % {"entries": "、".join(wrong)})
    notice.items.all().delete()
    NoticeItem.objects.bulk_create(
        NoticeItem(notice=notice, submission=entry, position=number) for number, entry in enumerate(entries, 1)
    )


def publish(notice, actor, *, via="admin"):
    """Put the notice on its public page (at /notice/<campaign>/): its last day counted again, then the
    workflow's move (TransitionError: not the actor's to make, an empty list, already published).
    UnknownYear (a ValueError): the calendar does not know the notice's year."""
    with transaction.atomic():
        plan(notice)
        PublicNotice.objects.filter(pk=notice.pk).update(ends_on=notice.ends_on)
        return workflow.transition(notice, NoticeStatus.PUBLISHED, actor=actor, via=via)


def takes_objections(notice, today=None):
    """Whether an objection may be raised now: published, not closed, from its first to its last day."""
    today = today or current_date()
    return notice.status == NoticeStatus.PUBLISHED and notice.starts_on <= today <= notice.ends_on


def end_of(day):
    """The moment a day ends in the site's time zone (the notice's page is good until then)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def raise_objection(notice, item, data, evidence, *, today=None):
    """Keep an objection (the form checked every field and file: `evidence` are its CheckedEvidence)
    and send the objector a receipt. Its answer is due ANSWER_WORKDAYS working days after today."""
    today = today or current_date()
    if not takes_objections(notice, today):
        raise NoticeError(_("公示期已结束，不再受理网上异议。"))
    with transaction.atomic():
        objection = Objection.objects.create(
            notice=notice,
            item=item,
            due_on=workdays.add_workdays(today, ANSWER_WORKDAYS),
            **{field: data[field] for field in ("name", "unit", "phone", "email", "facts")},
        )
        for checked in evidence:
            stored = ObjectionEvidence(
                objection=objection,
                original_name=checked.name,
                content_type=checked.content_type,
                size=len(checked.content),
                warning=checked.warning,
            )
            stored.file.save(checked.name, ContentFile(checked.content), save=False)
            stored.save()
        mail.queue("objection_received", objection.email, _context(objection))
    return objection


def take(objection, actor, *, via="admin"):
    """An editor takes the objection to investigate it."""
    return workflow.transition(objection, ObjectionStatus.INVESTIGATING, actor=actor, via=via)


def answer(objection, actor, *, upheld, reason, via="admin"):
    """Answer an objection under investigation, with the reason sent to the objector. Upheld: the
    entry leaves the notice's list, the reason kept on its row. A closed notice whose last open
    objection this was becomes final."""
    to = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    with transaction.atomic():
        change = workflow.transition(objection, to, actor=actor, message=reason, via=via)
        if upheld:
            NoticeItem.objects.filter(pk=objection.item_id, removed_at__isnull=True).update(
                removed_at=timezone.now(), removed_reason=reason
            )
            pagecache.bump()
        notice = PublicNotice.objects.get(pk=objection.notice_id)
        _finalize_when_ready(notice, note=_("最后一件异议已答复，公示结果随之确定。"), via=via)
    return change


def close_due(today=None):
    """The periodic close (as SYSTEM): notices past their last day stop taking objections, and each
    closed notice with no objection still open becomes final. Returns (closed, finalized)."""
    today = today or current_date()
    closed = 0
    for notice in PublicNotice.objects.filter(status=NoticeStatus.PUBLISHED, ends_on__lt=today):
        closed += _moved(notice, NoticeStatus.CLOSED, note=_("公示期满，自动结束。"))
    finalized = sum(
        _finalize_when_ready(notice, note=_("公示期满且无未答复的异议，结果自动确定。"))
        for notice in PublicNotice.objects.filter(status=NoticeStatus.CLOSED)
    )
    return closed, finalized


def finalize(notice, actor, *, via="admin"):
    """An editor declares a closed notice's result final (TransitionError: not closed, an objection still open)."""
    return workflow.transition(notice, NoticeStatus.FINAL, actor=actor, via=via)


def _finalize_when_ready(notice, *, note, via=TASK):
    """Make a closed notice's result final (as SYSTEM) when no objection to it is still open; True when it did."""
    if notice.status != NoticeStatus.CLOSED or notice.objections.filter(status__in=public_notice.OPEN_OBJECTIONS).exists():
        return False
    return _moved(notice, NoticeStatus.FINAL, note=note, via=via)


def _moved(notice, to, *, note, via=TASK):
    """One move of the periodic job's, as SYSTEM; False when it is refused (someone else moved the notice first)."""
    try:
        workflow.transition(notice, to, actor=workflow.SYSTEM, note=note, via=via)
    except workflow.TransitionError:
        return False
    return True


def tell_objector(objection):
    """The answer, upheld or dismissed, mailed to the objector (the workflow's "objection_mail" effect)."""
    objection.refresh_from_db()
    event = "objection_upheld" if objection.status == ObjectionStatus.UPHELD else "objection_dismissed"
    return mail.queue(event, objection.email, {**_context(objection), "message": objection.answer})


def _context(objection):
    entry = objection.item.submission
    slug = objection.notice.campaign.slug
    return {
        "objector_name": objection.name,
        "notice_title": objection.notice.title,
        "entry_name": f"{entry.org_name}{entry.brand_display}",
        "due_date": f"{objection.due_on.year}年{objection.due_on.month}月{objection.due_on.day}日",
        "receipt_url": mail.absolute(reverse("notice:receipt", args=[slug, objection.token])),
    }
