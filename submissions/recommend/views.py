"""The recommending bodies' workspace (推荐单位工作台) at /recommend/.

A body's account (not staff: never the admin) logs in here, sees each body it acts for with its
progress and its area's entries, opens one, checks its eligibility item by item, recommends it
within the body's quota or declines to, downloads the 推荐表 (.docx) and uploads it stamped. Editors
(who check every entry's eligibility) see the entries of screening campaigns waiting for a check.

Who sees what is the authority's answer (submissions.workflow.rules): an entry is shown only to
those who may check its eligibility, and to anyone else it does not exist (404, never 403). What
may be done to it is the workflow's (workflow.allowed_moves, workflow.may). Reviewers' scores,
reviews and assignments are never read here.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from submissions import workflow
from submissions.models import Status as S
from submissions.models import Submission
from submissions.models.status import NOT_LIVE
from submissions.platform import bodies
from submissions.recommend import docx, selectors, services
from submissions.recommend.forms import MAX_SCAN_POST_BYTES, DeclineForm, EligibilityForm, RecommendForm, ScanForm
from submissions.workflow import rules
from submissions.workflow.screening import CHECK_ELIGIBILITY, RECOMMEND

PER_PAGE = 30
BODY, EDITOR = "body", "editor"
# The statuses a body's list may be filtered by (?status=): its entries are live; anything else is ignored.
BODY_STATUSES = tuple(value for value in S.values if value not in NOT_LIVE)
EDITOR_STATUSES = (S.SUBMITTED, S.RESUBMITTED)  # the editors' list: awaiting an eligibility check
FILE_CSP = "default-src 'none'; sandbox"


class LoginView(auth_views.LoginView):
    """Django's login, on our page; throttled like the admin's (django-axes: AxesStandaloneBackend and
    submissions.platform.login_throttle, for every authenticate())."""

    template_name = "recommend/login.html"
    next_page = reverse_lazy("recommend:index")

    def dispatch(self, request, *args, **kwargs):
        # Already in with an account of the workspace: to it. With another account (a reviewer's, say):
        # the form, to sign in with the body's account (its page says so), not a 403 it cannot leave.
        self.redirect_authenticated_user = request.user.is_authenticated and _role(request.user) is not None
        return super().dispatch(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("recommend:login")


def _role(user):
    if rules.reads_every_entry(user) and user.has_perm(CHECK_ELIGIBILITY):
        return EDITOR
    if rules.acts_for_bodies(user):
        return BODY
    return None


def workspace(view):
    """Signed in (else the workspace's login) and a body's account or an editor (else 403); never cached."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("recommend:login"))
        request.workspace_role = _role(request.user)
        if request.workspace_role is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


def _entry(request, pk):
    """The entry, live, if this user may check its eligibility; else 404 (its existence is not confirmed)."""
    entry = (
        Submission.objects.select_related("campaign", "region", "body", "recommendation")
        .exclude(status__in=[*NOT_LIVE])
        .filter(pk=pk)
        .first()
    )
    if entry is None or not request.user.has_perm(CHECK_ELIGIBILITY, entry):
        raise Http404
    return entry


def _recommendation(entry):
    return getattr(entry, "recommendation", None)


# The list ---------------------------------------------------------------------------------------


@workspace
@require_safe
def index(request):
    if request.workspace_role == BODY:
        pks = rules.bodies_of(request.user)
        progress, entries, statuses = selectors.progress_of(pks), selectors.entries_for(pks), BODY_STATUSES
    else:
        progress, entries, statuses = [], selectors.awaiting_check(), EDITOR_STATUSES
    status = request.GET.get("status", "")
    status = status if status in statuses else ""  # anything else: ignored
    if status:
        entries = entries.filter(status=status)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "role": request.workspace_role,
        "progress": progress,
        "page": page,
        "status": status,
        "statuses": [(value, S(value).label) for value in statuses],
        "several_bodies": len(progress) > 1 or request.workspace_role == EDITOR,
    }
    return render(request, "recommend/index.html", context)


# One entry --------------------------------------------------------------------------------------


def _may_check(user, entry):
    """The eligibility form: a screening campaign's entry waiting for its check, by one who may make
    the check's move (passed: eligible; the move's own rule asks for the passed check being made)."""
    who = workflow.TRANSITIONS.get((entry.status, S.ELIGIBLE))
    return entry.campaign.screens and who is not None and workflow.may(user, who, entry)


def _may_recommend(user, entry):
    who = workflow.TRANSITIONS.get((entry.status, S.RECOMMENDED))
    return entry.campaign.uses_recommendation and who is not None and workflow.may(user, who, entry)


def _refusal(user, entry, to):
    """The workflow's reason for refusing this move now (the quota used up …), or ""."""
    try:
        workflow.check(entry, to, user, message="-")
    except workflow.TransitionError as refused:
        return str(refused)
    return ""


def _page(request, entry, *, status=200, **bound):
    """The entry's page, with the forms the workflow allows this user now (`bound`: a posted form, kept)."""
    user = request.user
    recommendation = _recommendation(entry)
    allowed = {move.to for move in workflow.allowed_moves(entry, user)}
    body = entry.body
    context = {
        "entry": entry,
        "role": request.workspace_role,
        "sections": list(entry.sections.all()),
        "photos": list(entry.photos.all()),
        "attachments": list(entry.attachments.all()),
        "checks": list(entry.eligibility_checks.select_related("checked_by")),
        "recommendation": recommendation,
        "body": body,
        "may_upload": recommendation is not None and user.has_perm(RECOMMEND, entry),
    }
    if body is not None and entry.campaign.uses_recommendation:
        context["quota_used"], context["quota"] = selectors.quota_used(body), body.quota
    if _may_check(user, entry):
        context["check_form"] = bound.get("check_form") or EligibilityForm(entry)
    if _may_recommend(user, entry):
        context["recommend_form"] = bound.get("recommend_form") or RecommendForm()
        context["recommend_refused"] = "" if S.RECOMMENDED in allowed else _refusal(user, entry, S.RECOMMENDED)
    if entry.status == S.ELIGIBLE and S.DECLINED in allowed and user.has_perm(RECOMMEND, entry):
        context["decline_form"] = bound.get("decline_form") or DeclineForm()
    if context["may_upload"]:
        context["scan_form"] = bound.get("scan_form") or ScanForm()
    return render(request, "recommend/entry.html", context, status=status)


@workspace
@require_safe
def entry(request, pk):
    return _page(request, _entry(request, pk))


def _not_now(request, entry):
    """A form posted from a page that is out of date (someone else acted first): the page as it is now."""
    messages.error(request, _("这件作品的状态已经变化，不能再这样办理。请看当前状态。"))
    return redirect("recommend:entry", entry.pk)


def _refused(form, refused):
    form.add_error(None, str(refused))


@workspace
@require_POST
def check(request, pk):
    entry = _entry(request, pk)
    if not _may_check(request.user, entry):
        return _not_now(request, entry)
    form = EligibilityForm(entry, request.POST)
    if form.is_valid():
        outcome = form.cleaned_data["outcome"] or services.RETURN
        try:
            made = services.check(entry, actor=request.user, results=form.results(), outcome=outcome)
        except (services.ScreeningError, workflow.TransitionError) as refused:
            _refused(form, refused)
        else:
            if made.passed:
                messages.success(request, _("资格审查已通过。"))
            elif outcome == services.RETURN:
                messages.success(request, _("资格审查未通过，已退回报送单位修改，并告知未通过的项目和原因。"))
            else:
                messages.success(request, _("资格审查未通过，已不予采用，并告知报送单位原因。"))
            return redirect("recommend:entry", entry.pk)
    return _page(request, entry, status=400, check_form=form)


@workspace
@require_POST
def recommend(request, pk):
    entry = _entry(request, pk)
    if not _may_recommend(request.user, entry):
        return _not_now(request, entry)
    form = RecommendForm(request.POST)
    if form.is_valid():
        try:
            services.recommend(entry, actor=request.user, opinion=form.cleaned_data["opinion"])
        except (services.ScreeningError, workflow.TransitionError) as refused:
            _refused(form, refused)
        else:
            messages.success(request, _("已推荐。请下载推荐表，盖章后扫描上传。"))
            return redirect("recommend:entry", entry.pk)
    return _page(request, entry, status=400, recommend_form=form)


@workspace
@require_POST
def decline(request, pk):
    entry = _entry(request, pk)
    if entry.status != S.ELIGIBLE or not request.user.has_perm(RECOMMEND, entry):
        return _not_now(request, entry)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline(entry, actor=request.user, reason=form.cleaned_data["reason"])
        except (services.ScreeningError, workflow.TransitionError) as refused:
            _refused(form, refused)
        else:
            messages.success(request, _("已不予推荐，并告知报送单位原因。"))
            return redirect("recommend:entry", entry.pk)
    return _page(request, entry, status=400, decline_form=form)


# Files ------------------------------------------------------------------------------------------


def _download(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


@workspace
@require_safe
def form_docx(request, pk):
    entry = _entry(request, pk)
    response = HttpResponse(docx.render(entry, _recommendation(entry)), content_type=docx.CONTENT_TYPE)
    response["Content-Disposition"] = docx.disposition(entry)
    return _download(response)


@workspace
@require_safe
def scan(request, pk):
    """The stamped recommendation form, as a download, to the body's accounts and editors only."""
    entry = _entry(request, pk)
    recommendation = _recommendation(entry)
    if recommendation is None or not recommendation.scan:
        raise Http404
    try:
        handle = recommendation.scan.open("rb")
    except (OSError, ValueError):  # the row names a file that is gone
        raise Http404 from None
    name = f"{entry.reference or entry.pk}-{_('盖章推荐表')}.pdf"
    return _download(FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf"))


@bodies.bounded(lambda: MAX_SCAN_POST_BYTES)
@workspace
@require_POST
def scan_upload(request, pk):
    entry = _entry(request, pk)
    recommendation = _recommendation(entry)
    if recommendation is None or not request.user.has_perm(RECOMMEND, entry):
        return _not_now(request, entry)
    if bodies.declared_length(request) > MAX_SCAN_POST_BYTES:  # refused before a byte of the file is looked at
        form = ScanForm(data={}, files={})
        form.errors["scan"] = form.error_class([_("文件超过 10 MB，请压缩后重新上传。")])
        return _page(request, entry, status=413, scan_form=form)
    refused = bodies.csrf_refusal(request)
    if refused is not None:
        return refused
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():  # nothing is stored from a refused file
        return _page(request, entry, status=400, scan_form=form)
    services.attach_scan(recommendation, ContentFile(form.checked, name="scan.pdf"))
    messages.success(request, _("盖章推荐表已上传。"))
    return redirect("recommend:entry", entry.pk)
