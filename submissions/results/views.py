"""The public verification page (/verify/): anyone holding a certificate, or its QR code, checks it here.

It shows what the certificate says and whether it is valid or revoked (with the date; the
internal reason stays in the admin). A number that cannot be one, or that no issued certificate
has, gets the same clear 404 page; lookups are counted per address like the other public forms.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from submissions.platform import abuse, pagecache
from submissions.results import selectors
from submissions.results.forms import VerifyForm, normalized_number

LOOKUP_LIMIT, LOOKUP_WINDOW = 60, 60  # lookups per address per minute: people check one or two, a scraper many


def _limited(request):
    if abuse.hit(request, "certificate-verify", limit=LOOKUP_LIMIT, window=LOOKUP_WINDOW):
        response = render(
            request, "results/verify.html", {"form": VerifyForm(), "limited": abuse.rate_limit_message(LOOKUP_WINDOW)}
        )
        response.status_code = 429
        return response
    return None


@require_safe
def lookup(request):
    """The form to type a number; a valid one goes to its page."""
    form = VerifyForm(request.GET if "number" in request.GET else None)
    if form.is_bound:
        if form.is_valid():
            return redirect("results:verify", number=form.cleaned_data["number"])
        return render(request, "results/verify.html", {"form": form}, status=400)
    return render(request, "results/verify.html", {"form": form})


@never_cache  # a revocation shows at once
@require_safe
def verify(request, number):
    limited = _limited(request)
    if limited:
        return limited
    normal = normalized_number(number)
    certificate = selectors.for_verification(normal) if normal else None
    if certificate is None:
        return render(request, "results/verify.html", {"form": VerifyForm(), "unknown": True}, status=404)
    if normal != number:
        return redirect("results:verify", number=normal)
    return render(request, "results/verify.html", {"form": VerifyForm(), "certificate": certificate})


def campaign(request, slug):
    """A campaign's results page (评选结果): the selected organizations, each with its award's number (to
    verify) and its article. Cached like the column; a certificate issued or revoked, a notice made
    final, makes it stale (the workflow's `cache` effect)."""

    def render_page(shared):
        found, notice, results = selectors.campaign_results(slug)
        if found is None:
            raise Http404
        context = {"campaign": found, "notice": notice, "results": results, **(pagecache.NO_TOKEN if shared else {})}
        return render(request, "results/campaign.html", context)

    return pagecache.whole_page(request, ("results", get_language(), slug), render_page)
