"""Test-only URLs, mounted (through TEST_ROOT_URLCONF) only in the server processes that
tests/test_multiprocess.py starts: the portal's own URLs plus a few probes of shared state."""

from datetime import timedelta

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.urls import urlpatterns as portal_urlpatterns
from submissions import abuse, workflow
from submissions.models import Campaign, Region, Section, SiteSettings, Submission


def hit(request):
    """One action counted against a per-IP limit in the shared cache (submissions.abuse.hit)."""
    scope = request.GET["scope"]
    if abuse.hit(request, scope, limit=int(request.GET.get("limit", 5)), window=10**9):
        return HttpResponse("limited", status=429)
    return HttpResponse("ok")


@csrf_exempt
@require_POST
def site_name(request):
    """An editor's change of the site settings, made through this process."""
    settings = SiteSettings.load()
    settings.site_name = request.POST["name"]
    settings.save()
    return HttpResponse("saved")


@csrf_exempt
@require_POST
def entry(request):
    """An entry sent by a submitter: the rows the form will write, moved on by the workflow."""
    now = timezone.now()
    campaign, _created = Campaign.objects.get_or_create(
        slug="multiprocess",
        defaults={
            "title": "多进程测试",
            "call_text": "测试",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=30),
            "mailbox": "m@example.com",
        },
    )
    # A transactional test before this one may have flushed the regions the migration made.
    region, _created = Region.objects.get_or_create(code="jinan", defaults={"name": "济南"})
    with transaction.atomic():
        submission = Submission.objects.create(
            campaign=campaign,
            org_name=request.POST["org"],
            org_type="branch",
            sector="other",
            region=region,
            contact_name="张三",
            contact_phone="13800138000",
            contact_email="a@example.com",
            brand_name=request.POST["brand"],
            brand_idea="内涵",
            introduction="概述",
            results="成效",
            consent=True,
        )
        Section.objects.create(submission=submission, order=1, heading="做法", body="一是……")
        workflow.transition(submission, "submitted", actor=workflow.SUBMITTER, via="multiprocess")
    return JsonResponse({"reference": submission.reference})


def counts(request):
    campaign = Campaign.objects.filter(slug="multiprocess").first()
    entries = Submission.objects.filter(campaign=campaign)
    return JsonResponse(
        {
            "entries": entries.count(),
            "references": sorted(entries.values_list("reference", flat=True)),
            "orgs": sorted(entries.values_list("org_name", flat=True)),
        }
    )


urlpatterns = [
    path("_test/hit", hit),
    path("_test/site-name", site_name),
    path("_test/entry", entry),
    path("_test/counts", counts),
    *portal_urlpatterns,
]
