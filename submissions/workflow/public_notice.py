"""The public notice's machine (公示): a draft is published, closes by itself after its last working
day, and its result becomes final once no objection to it is still open.

Editors publish (the permission "submissions.publish_notice": editors and chief editors), only a
notice with a list and planned dates. The close is the periodic job's (SYSTEM), never before the
notice's last day has ended (Beijing time, the site's TIME_ZONE). The result becomes final by
itself (SYSTEM: the periodic job, or the answer to the last open objection) or by an editor, and
only once no objection is still received or under investigation. The moment of each phase
(published_at, closed_at, final_at) is written with the move; the public page's cache is made
stale by the move's declared effect (effects.RULES). The last day itself is counted in working
days by the notice area (submissions.notice.workdays) when the notice is saved and published.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from submissions.models import NoticeItem, NoticeStatus, NoticeStep, Objection, ObjectionStatus, PublicNotice
from submissions.workflow.machine import Machine, TransitionError

S = NoticeStatus

PUBLISH = "submissions.publish_notice"  # editors and chief editors: publish, and declare the result final
SYSTEM = "system"  # the actor token of machines.SYSTEM (not imported from there: machines lists this machine)
OPEN_OBJECTIONS = (ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING)

TABLE = {
    (S.DRAFT, S.PUBLISHED): {PUBLISH},  # with a list and its dates planned
    (S.PUBLISHED, S.CLOSED): {SYSTEM},  # the periodic close, after the last day
    (S.CLOSED, S.FINAL): {SYSTEM, PUBLISH},  # no objection still open
}
OWNED_FIELDS = frozenset({"status", "version", "published_at", "closed_at", "final_at"})
MOMENTS = {S.PUBLISHED: "published_at", S.CLOSED: "closed_at", S.FINAL: "final_at"}


def today():
    """The site's date (Beijing time): the day a notice's period is counted in."""
    return timezone.localdate()


def record(obj, **step):
    return NoticeStep.objects.create(notice=obj, **step)


def side_updates(obj, to, actor, now, message):
    """The moment each phase was reached, shown on the public page and in the admin."""
    return {MOMENTS[to]: now} if to in MOMENTS else {}


def rules(notice, to, actor):
    """Published: a list and planned dates. Closed: its last day is over. Final: no objection still open."""
    if to == S.PUBLISHED:
        if not NoticeItem.objects.filter(notice=notice, removed_at__isnull=True).exists():
            raise TransitionError(_("公示名单是空的：请先选择列入公示的作品。"))
        if notice.starts_on is None or notice.ends_on is None or notice.ends_on < notice.starts_on:
            raise TransitionError(_("公示日期尚未确定：请先保存公示的开始日期和公示期。"))
    if to == S.CLOSED and today() <= notice.ends_on:
        end = notice.ends_on
        raise TransitionError(_("公示期至 %(date)s 结束，之后才能结束公示。") % {"date": date_format(end, "DATE_FORMAT")})
    if to == S.FINAL:
        still_open = Objection.objects.filter(notice=notice, status__in=OPEN_OBJECTIONS).count()
        if still_open:
            raise TransitionError(_("还有 %(count)s 件异议尚未答复，答复后才能确定结果。") % {"count": still_open})


NOTICE = Machine(
    "notice",
    PublicNotice,
    "status",
    S,
    TABLE,
    frozenset(),
    OWNED_FIELDS,
    record,
    side_updates=side_updates,
    rules=rules,
    heading="A public notice (公示)",
)
