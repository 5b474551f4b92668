"""Interviews as iCalendar (RFC 5545, written by the `icalendar` library): one appointment's file,
and a staff member's subscribable feed of the interviews they are sent to.

Times are written in the site's zone (Asia/Shanghai) with its VTIMEZONE, so a calendar abroad shows
them right. A feed's link is signed with the person's own secret (CalendarKey): a new secret
revokes every link given before.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from submissions.models import CalendarKey, Interview, InterviewStatus
from submissions.platform.people import display_name

FEED_STATUSES = (InterviewStatus.CONFIRMED, InterviewStatus.DONE)
_SALT = "interview-feed"


def _zone():
    return ZoneInfo(settings.TIME_ZONE)


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", "-//dzrb-brands//interviews//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def staff_names(interview):
    names = [display_name(user) for user in interview.reporters.all()]
    if interview.photographer_id:
        names.append(_("%(name)s（摄影）") % {"name": display_name(interview.photographer)})
    return "、".join(names)


def event(interview):
    """The appointment as a VEVENT (its date the one the contact picked)."""
    entry = interview.submission
    starts = interview.chosen_at.astimezone(_zone())
    item = Event()
    host = settings.SITE_URL.split("://", 1)[-1]
    item.add("uid", f"interview-{interview.pk}@{host}")
    item.add("dtstamp", interview.created_at)
    item.add("dtstart", starts)
    item.add("dtend", starts + timedelta(minutes=interview.duration_minutes))
    item.add("summary", _("采访：%(org)s %(brand)s") % {"org": entry.org_name, "brand": entry.brand_display})
    if interview.place:
        item.add("location", interview.place)
    lines = [
        _("报送编号：%(ref)s") % {"ref": entry.reference or "—"},
        _("记者：%(names)s") % {"names": staff_names(interview)},
        _("联系人：%(name)s %(phone)s") % {"name": entry.contact_name, "phone": entry.contact_phone},
    ]
    if interview.notes:
        lines.append(interview.notes)
    item.add("description", "\n".join(lines))
    item.add("status", "CONFIRMED")
    return item


def one(interview):
    """The .ics bytes of one confirmed interview."""
    calendar = _calendar(_("采访安排"))
    calendar.add_component(event(interview))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed(user, interviews):
    calendar = _calendar(_("我的采访安排"))
    for interview in interviews:
        calendar.add_component(event(interview))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def interviews_of(user):
    """The confirmed (and done) interviews `user` is sent to, for their feed."""
    sent = Q(reporters=user) | Q(photographer=user)
    return (
        Interview.objects.filter(sent, status__in=FEED_STATUSES, chosen_at__isnull=False)
        .select_related("submission", "photographer")
        .prefetch_related("reporters")
        .distinct()
        .order_by("chosen_at", "pk")
    )


def _signer(secret):
    return signing.Signer(salt=f"{_SALT}:{secret}", sep=".")


def feed_token(user):
    key, _created = CalendarKey.objects.get_or_create(user=user)
    return _signer(key.secret).sign(str(user.pk))


def feed_url(user):
    return f"{settings.SITE_URL}{reverse('interview:feed', args=[feed_token(user)])}"


def reset_feed(user):
    """A new secret: the links given before stop working."""
    CalendarKey.objects.update_or_create(user=user, defaults={"secret": CalendarKey._meta.get_field("secret").default()})


def user_of_feed(token):
    """The active staff user whose feed link this is, or None (forged, revoked, or not staff)."""
    pk = token.partition(".")[0]
    if not pk.isdigit() or len(token) > 200:
        return None
    key = CalendarKey.objects.select_related("user").filter(user_id=int(pk)).first()
    if key is None or not (key.user.is_active and key.user.is_staff):
        return None
    try:
        _signer(key.secret).unsign(token)
    except signing.BadSignature:
        return None
    return key.user


def appointment_url(interview):
    return f"{settings.SITE_URL}{reverse('interview:ics', args=[interview.pk, interview.token])}"
