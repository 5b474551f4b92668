from django.shortcuts import get_object_or_404, render

from submissions.models import Submission


def lookup(request):
    return render(request, "track/lookup.html")


def detail(request, token):
    submission = get_object_or_404(Submission.objects.select_related("campaign"), tracking_token=token)
    history = submission.history.all()
    return render(request, "track/detail.html", {"submission": submission, "history": history})


def receipt(request, token):
    submission = get_object_or_404(Submission, tracking_token=token)
    return render(request, "track/receipt.html", {"submission": submission})
