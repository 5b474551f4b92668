"""The editors' dashboard: counts by status, kind, city and week, and the reviewers' progress."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncWeek
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions import reviews
from submissions.models import Campaign, Kind, Region, Review, ReviewAssignment, Status, Submission
from submissions.people import display_name

WEEKS = 12


def counts(queryset, field, labels=None, order=None):
    """[(label, n)], biggest first, or in the given order of values (e.g. the workflow's)."""
    rows = queryset.order_by().values(field).annotate(n=Count("pk")).order_by("-n")
    if order is not None:
        rank = {value: i for i, value in enumerate(order)}
        rows = sorted(rows, key=lambda row: rank.get(row[field], len(rank)))
    return [((labels(row[field]).label if labels and row[field] else row[field]) or "—", row["n"]) for row in rows]


def bars(rows, width=260):
    """A chart's rows for the server-drawn SVG: label, n, bar length (in viewBox units) and y."""
    top = max((n for _label, n in rows), default=0)
    return [
        {"label": label, "n": n, "length": round(width * n / top) if top else 0, "y": index * BAR_STEP}
        for index, (label, n) in enumerate(rows)
    ]


BAR_STEP = 22


def reviewer_progress():
    done = Review.objects.filter(submission=OuterRef("submission"), reviewer=OuterRef("reviewer"), stage=OuterRef("stage"))
    rows = (
        ReviewAssignment.objects.annotate(scored=Exists(done))
        .order_by()
        .values("reviewer")
        .annotate(assigned=Count("pk"), scored_n=Count("pk", filter=Q(scored=True)))
    )
    users = get_user_model().objects.in_bulk([row["reviewer"] for row in rows])
    result = []
    for row in rows:
        user = users[row["reviewer"]]
        result.append(
            {
                "name": display_name(user),
                "assigned": row["assigned"],
                "scored": row["scored_n"],
                "percent": round(100 * row["scored_n"] / row["assigned"]) if row["assigned"] else 0,
            }
        )
    return sorted(result, key=lambda r: (r["percent"], r["name"]))


def dashboard_view(request, site):
    if not reviews.is_editor(request.user):
        raise PermissionDenied
    campaigns = list(Campaign.objects.order_by("-opens_at"))
    entries = Submission.objects.exclude(status=Status.DRAFT)
    chosen = request.GET.get("campaign", "")
    if chosen.isdigit():
        entries = entries.filter(campaign_id=int(chosen))
    since = timezone.now() - timedelta(weeks=WEEKS)
    weeks = (
        entries.filter(submitted_at__gte=since)
        .annotate(week=TruncWeek("submitted_at"))
        .order_by()
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    by_week = [(timezone.localtime(row["week"]) if timezone.is_aware(row["week"]) else row["week"], row["n"]) for row in weeks]
    # Cities in the campaign's own order of regions (data), not by count.
    by_city = counts(entries, "region__name", order=list(Region.objects.order_by("order", "pk").values_list("name", flat=True)))
    context = {
        **site.each_context(request),
        "title": _("统计看板"),
        "campaigns": campaigns,
        "chosen": chosen,
        "total": entries.count(),
        "by_status": counts(entries, "status", Status, order=Status.values),  # in the order of the workflow
        "by_kind": counts(entries, "kind", Kind, order=Kind.values),
        "by_city": by_city,
        "by_week": by_week,
        "city_chart": bars(by_city),
        "week_chart": bars([(week.strftime("%m-%d"), n) for week, n in by_week]),
        "bar_step": BAR_STEP,
        "reviewers": reviewer_progress(),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)
