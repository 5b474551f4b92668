"""公示 and objections: every read of the notice area (the public page, the admin's lists)."""

from django.db.models import Prefetch

from submissions.models import NoticeItem, NoticeStatus, Objection, ObjectionStatus, PublicNotice, Status, Submission

SELECTABLE = (Status.ACCEPTED, Status.PUBLISHED)  # the entries a notice may list


def candidates(campaign):
    """The campaign's entries an editor may put on its notice: accepted or published."""
    return Submission.objects.filter(campaign=campaign, status__in=SELECTABLE).order_by("reference", "pk")


def published_notice(slug):
    """The campaign's published notice with its whole list (entries that left it included), or None."""
    items = NoticeItem.objects.select_related("submission", "submission__region").order_by("position", "pk")
    return (
        PublicNotice.objects.select_related("campaign")
        .prefetch_related(Prefetch("items", queryset=items))
        .filter(campaign__slug=slug)
        .exclude(status=NoticeStatus.DRAFT)
        .first()
    )


def listed(notice):
    """The items still on the list (prefetched by published_notice)."""
    return [item for item in notice.items.all() if item.removed_at is None]


def removed(notice):
    return [item for item in notice.items.all() if item.removed_at is not None]


def objectable_items(notice):
    """What an objection may be raised against: the entries still on the list."""
    return (
        NoticeItem.objects.filter(notice=notice, removed_at__isnull=True).select_related("submission").order_by("position", "pk")
    )


def receipt(slug, token):
    return (
        Objection.objects.select_related("notice", "notice__campaign", "item__submission")
        .filter(notice__campaign__slug=slug, token=token)
        .first()
    )


def overdue(today):
    """Objections still open past their answer date."""
    return Objection.objects.filter(status__in=(ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING), due_on__lt=today)
