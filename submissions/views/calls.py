from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from submissions.models import Campaign, Kind


def current(request):
    campaign = Campaign.current()
    if campaign is None:
        return render(request, "calls/none.html")
    return redirect("calls:detail", slug=campaign.slug)


def submit_current(request):
    campaign = Campaign.current()
    if campaign is None:
        return render(request, "calls/none.html")
    return redirect("calls:submit", slug=campaign.slug)


def detail(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    kinds = [(code, Kind(code).label) for code in campaign.kinds if code in Kind.values]
    return render(request, "calls/detail.html", {"campaign": campaign, "kinds": kinds, "is_open": campaign.is_open()})


def submit(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    if not campaign.is_open():
        return render(request, "calls/closed.html", {"campaign": campaign}, status=403)
    raise Http404  # the form arrives with the submit issue
