"""Test-only URLs, mounted (through TEST_ROOT_URLCONF) only in the server processes that
tests/platform/test_multiprocess.py starts: the portal's own URLs plus a few probes and editor's actions
on shared state. Entries come in through the real public form, not through these."""

import os
from datetime import timedelta

from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.urls import urlpatterns as portal_urlpatterns
from submissions.models import Campaign, Photo, Region, Showcase, SiteSettings, Submission
from submissions.newsroom import publishing


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
def call(request):
    """The open call the public form posts to (a transactional test before may have flushed it)."""
    now = timezone.now()
    Campaign.objects.get_or_create(
        slug="multiprocess",
        defaults={
            "title": "多进程测试",
            "call_text": "测试",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=30),
            "mailbox": "m@example.com",
        },
    )
    Region.objects.get_or_create(code="jinan", defaults={"name": "济南"})
    return HttpResponse("open")


@csrf_exempt
@require_POST
def article(request):
    """A published article, through the workflow (tests.factories.published_showcase)."""
    from tests.factories import published_showcase

    made = published_showcase(lead=request.POST["lead"])
    answer = {"slug": made.slug}
    if request.POST.get("photo"):  # with a published photo, and a private one of an entry in review
        from tests.factories import SubmissionFactory, add_photo

        shown = add_photo(made.submission)
        made.photos.create(photo=shown, caption="图")
        hidden = add_photo(SubmissionFactory())
        answer.update(photo=shown.display.url, private=hidden.display.url)
    return JsonResponse(answer)


@csrf_exempt
@require_POST
def article_edit(request):
    """An editor's edit of an article: saved, then publishing.edited() as the admin's save_related
    calls it, then signed off again and published (an edit of a published article needs a new
    sign-off). With quiet=1, a write behind the portal's back (no signal, no edited()), to show
    that the page is served from the shared cache."""
    found = Showcase.objects.get(slug=request.POST["slug"])
    if request.POST.get("quiet"):
        Showcase.objects.filter(pk=found.pk).update(lead=request.POST["lead"])
        return HttpResponse("written")
    found.lead = request.POST["lead"]
    found.save()
    publishing.edited(found, found.responsible_editor, note="多进程测试")
    from tests.factories import publish_again

    publish_again(found)
    return HttpResponse("edited")


@csrf_exempt
@require_POST
def article_unpublish(request):
    """A chief editor takes the article down (publishing.unpublish, through the workflow)."""
    found = Showcase.objects.get(slug=request.POST["slug"])
    publishing.unpublish(found, found.responsible_editor, "撤下测试")
    return HttpResponse("unpublished")


def counts(request):
    entries = Submission.objects.filter(campaign__slug="multiprocess").prefetch_related("photos")
    return JsonResponse(
        {
            "entries": {
                e.org_name: {"reference": e.reference, "photos": len(e.photos.all()), "status": e.status} for e in entries
            },
            "staged_photos": Photo.objects.filter(submission=None).count(),
        }
    )


def whoami(request):
    """The id the test gave this server (TEST_SERVER_ID): a test talks to its own server, not to
    another test's that took the port first."""
    return HttpResponse(os.environ.get("TEST_SERVER_ID", ""))


urlpatterns = [
    path("_test/whoami", whoami),
    path("_test/site-name", site_name),
    path("_test/call", call),
    path("_test/article", article),
    path("_test/article-edit", article_edit),
    path("_test/article-unpublish", article_unpublish),
    path("_test/counts", counts),
    *portal_urlpatterns,
]
