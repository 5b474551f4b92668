"""The editors' dashboard: counts by status, kind, city and week, and the reviewers' progress."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncWeek
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import Campaign, Kind, Region, Review, ReviewAssignment, Status, Submission
from submissions.platform.people import display_name
from submissions.recommend import selectors as screening
from submissions.workflow import rules

WEEKS = 12
DASHBOARD_SECONDS = 60
BAR_STEP = 22


def bars(rows, width=260):
    """A chart's rows for the server-drawn SVG: label, n, bar length (in viewBox units) and y."""
    top = max((n for _label, n in rows), default=0)
    return [
        {"label": label, "n": n, "length": round(width * n / top) if top else 0, "y": index * BAR_STEP}
        for index, (label, n) in enumerate(rows)
    ]


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


def figures(entries):
    """Total and counts by status, kind and city from one grouped scan (not four), and the weeks.
    Statuses and kinds in the order of the workflow, cities in the campaign's order of regions."""
    rows = list(entries.order_by().values("status", "kind", "region__name").annotate(n=Count("pk")))
    tally = {"status": {}, "kind": {}, "region__name": {}}
    for row in rows:
        for field, counted in tally.items():
            counted[row[field]] = counted.get(row[field], 0) + row["n"]

    def ordered(field, order, labels=None):
        rank = {value: i for i, value in enumerate(order)}
        pairs = sorted(tally[field].items(), key=lambda item: (rank.get(item[0], len(rank)), -item[1]))
        return [((labels(value).label if labels and value else value) or "—", n) for value, n in pairs]

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
    by_city = ordered("region__name", Region.objects.order_by("order", "pk").values_list("name", flat=True))
    return {
        "total": sum(row["n"] for row in rows),
        "by_status": ordered("status", Status.values, Status),
        "by_kind": ordered("kind", Kind.values, Kind),
        "by_city": by_city,
        "by_week": by_week,
        "city_chart": bars(by_city),
        "week_chart": bars([(week.strftime("%m-%d"), n) for week, n in by_week]),
    }


def cached_figures(entries, chosen):
    """figures(), kept DASHBOARD_SECONDS in the shared cache: at 100 000 entries the scan costs
    about 100 ms, and editors open the dashboard often; figures a minute old are good enough."""
    key = f"admin-dashboard:v2:{chosen or 'all'}"
    found = cache.get(key)
    if found is None:
        found = figures(entries)
        cache.set(key, found, DASHBOARD_SECONDS)
    return found


def body_progress(campaigns, chosen):
    """Per campaign that uses recommendation (the chosen one, else all): each body's received /
    checked / recommended / quota (推荐单位进度), two queries a campaign, none without one."""
    return [
        {"campaign": campaign, "rows": screening.progress(campaign)}
        for campaign in campaigns
        if campaign.uses_recommendation and (not chosen or str(campaign.pk) == chosen)
    ]


def dashboard_view(request, site):
    if not rules.reads_every_entry(request.user):
        raise PermissionDenied
    campaigns = list(Campaign.objects.order_by("-opens_at"))
    entries = Submission.objects.exclude(status=Status.DRAFT)
    chosen = request.GET.get("campaign", "")
    if chosen.isdigit():
        entries = entries.filter(campaign_id=int(chosen))
    context = {
        **site.each_context(request),
        "title": _("统计看板"),
        "campaigns": campaigns,
        "chosen": chosen,
        **cached_figures(entries, chosen if chosen.isdigit() else ""),
        "bar_step": BAR_STEP,
        "reviewers": reviewer_progress(),
        "body_progress": body_progress(campaigns, chosen if chosen.isdigit() else ""),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)
