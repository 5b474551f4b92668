"""The interview's public ways in: the contact's answers under the entry's tracking link, one
appointment's calendar file, and a staff member's calendar feed (a signed link)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from submissions import workflow
from submissions.interview import calendar, notify, selectors, services
from submissions.interview.forms import CounterForm, PickForm
from submissions.models import InterviewStatus
from submissions.platform import abuse

POST_LIMIT, POST_WINDOW = 20, 3600
S = InterviewStatus


def date_choices(interview):
    return [(item.pk, notify.when(item.starts_at)) for item in interview.dates.all()]


def forms_for(interview, data=None, *, which=""):
    """The pick and counter forms of a proposed interview (the one posted bound, the other blank)."""
    ids = f"id_interview{interview.pk}_%s"  # several interviews on one page: ids of their own
    pick = PickForm(data if which == "pick" else None, interview=interview, choices=date_choices(interview), auto_id=ids)
    counter = CounterForm(data if which == "counter" else None, interview=interview, auto_id=ids)
    return pick, counter


def _page(request, interview, pick, counter, error="", status=200):
    items = [{"interview": interview, "pick": pick, "counter": counter, "error": error}]
    context = {"submission": interview.submission, "items": items}
    return render(request, "track/interview.html", context, status=status)


def _answer(request, token, pk, which):
    interview = selectors.of_entry_by_token(token, pk)
    if abuse.hit(request, "interview-answer", limit=POST_LIMIT, window=POST_WINDOW):
        pick, counter = forms_for(interview)
        return _page(request, interview, pick, counter, abuse.rate_limit_message(POST_WINDOW), status=429)
    if interview.status != S.PROPOSED:
        messages.info(request, _("这次采访当前为“%(status)s”，无需再选择时间。") % {"status": interview.get_status_display()})
        return redirect("track:detail", token=token)
    pick, counter = forms_for(interview, request.POST, which=which)
    form = pick if which == "pick" else counter
    if not form.is_valid():
        return _page(request, interview, pick, counter)
    data = form.cleaned_data
    try:
        if which == "pick":
            services.pick(interview, data["date"], data["version"])
        else:
            services.counter(interview, data["when"], data["message"], data["version"])
    except (services.InterviewError, workflow.TransitionError) as refused:
        # Someone acted first (the editor changed the proposal): the interview as it is now, and what was typed kept.
        interview = selectors.of_entry_by_token(token, pk)
        pick, _counter = forms_for(interview)
        kept = {"when": data.get("when"), "message": data.get("message", "")}
        ids = f"id_interview{interview.pk}_%s"
        counter = CounterForm(initial=kept if which == "counter" else None, interview=interview, auto_id=ids)
        if interview.status != S.PROPOSED:  # confirmed or put back to the editor meanwhile: nothing to answer
            pick = counter = None
        return _page(request, interview, pick, counter, str(refused))
    if which == "pick":
        messages.success(request, _("采访时间已确定，编辑部记者将按时前往。"))
    else:
        messages.success(request, _("已将您提议的时间转告编辑部，编辑部将重新安排。"))
    return redirect("track:detail", token=token)


@never_cache
@require_POST
def pick(request, token, pk):
    return _answer(request, token, pk, "pick")


@never_cache
@require_POST
def counter(request, token, pk):
    return _answer(request, token, pk, "counter")


def _ics(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def appointment(request, pk, token):
    """One confirmed interview's calendar file (the link in the reporters' mail)."""
    found = selectors.appointment(pk, token)
    if found is None:
        raise Http404
    return _ics(calendar.one(found), f"interview-{found.pk}.ics")


def feed(request, token):
    """A staff member's feed of their confirmed interviews (subscribed to by a calendar app)."""
    user = calendar.user_of_feed(token)
    if user is None:
        raise Http404
    return _ics(calendar.feed(user, calendar.interviews_of(user)), "interviews.ics")
