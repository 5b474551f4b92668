"""Tracking (进度查询): an entry seen, revised, resubmitted or withdrawn through its private link only."""

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from submissions import workflow
from submissions.brands import selectors as brands
from submissions.intake import screening
from submissions.intake import services as intake
from submissions.intake.forms.bundle import EntryBundle
from submissions.intake.forms.entry import PublicEntryForm
from submissions.intake.forms.track import LinkResendForm, WithdrawForm
from submissions.intake.views.calls import POST_WINDOW, closed, draft_saved, show_form, too_many_posts
from submissions.models import Status, Submission
from submissions.models.status import EDITABLE  # declared once, beside the statuses
from submissions.platform import abuse
from submissions.platform import mail as notifications

RESEND_LIMIT, RESEND_WINDOW = 5, 3600
RESEND_PER_ADDRESS_SECONDS = 600


def _entry(token):
    """The entry of a tracking link, with its brand's slug (the page's link to 品牌档案 asks nothing more)."""
    entries = brands.with_brand_slug(Submission.objects.select_related("campaign", "showcase", "body"))
    return get_object_or_404(entries, tracking_token=token)


def _published_article(entry):
    """The entry's article if readers can see it (the tracking page links to it), else None."""
    article = getattr(entry, "showcase", None)
    return article if article is not None and article.is_public else None


@never_cache
def lookup(request):
    """How to follow an entry, and the form that re-sends lost links (always the same answer)."""
    form = LinkResendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if abuse.hit(request, "link-resend", limit=RESEND_LIMIT, window=RESEND_WINDOW):
            form.add_error(None, abuse.rate_limit_message(RESEND_WINDOW))
            return render(request, "track/lookup.html", {"form": form}, status=429)
        if form.is_valid():
            resend(form.cleaned_data["email"])
            messages.info(request, neutral_message())
            return redirect("track:lookup")
    return render(request, "track/lookup.html", {"form": form})


def neutral_message():
    return _("如果该邮箱报送过作品，查询链接已发送到该邮箱，请查收（也请检查垃圾邮件）。")


def resend(email):
    """E-mail the links of every entry with this contact address, at most once per address every ten minutes."""
    address = email.strip().lower()
    marker = "resend:" + salted_hmac("link-resend", address).hexdigest()
    if not cache.add(marker, 1, timeout=RESEND_PER_ADDRESS_SECONDS):
        return
    entries = intake.resend_links(address, notifications.tracking_url)
    if entries:
        notifications.queue("link_resend", email.strip(), {"entries": entries})


@never_cache
def detail(request, token):
    entry = _entry(token)
    history = list(entry.history.all())
    returned = next((step for step in reversed(history) if step.to_status == Status.RETURNED and step.message), None)
    moves = {move.to for move in workflow.allowed_moves(entry, workflow.SUBMITTER)}
    context = {
        "submission": entry,
        "history": history,
        "returned": returned if entry.status == Status.RETURNED else None,
        "can_edit": entry.status in EDITABLE,
        "can_withdraw": Status.WITHDRAWN in moves,
        "article": _published_article(entry),
        "screening": screening.for_submitter(entry, history),  # 资格审查与推荐, where the campaign screens
    }
    return render(request, "track/detail.html", context)


@never_cache
def receipt(request, token):
    entry = _entry(token)
    if entry.status == Status.DRAFT:
        return redirect("track:edit", token=token)
    url = notifications.tracking_url(entry)
    return render(request, "track/receipt.html", {"submission": entry, "tracking_url": url})


@never_cache
def edit(request, token):
    """Continue a draft and send it in, or revise a returned entry and resubmit it."""
    entry = _entry(token)
    if entry.status not in EDITABLE:
        messages.info(request, _("当前状态为“%(status)s”，不能修改。") % {"status": entry.get_status_display()})
        return redirect("track:detail", token=token)
    is_draft = entry.status == Status.DRAFT
    if is_draft and not entry.campaign.is_open():
        return closed(request, entry.campaign)
    extra = {"is_draft": is_draft, "template": "track/edit.html"}
    if request.method != "POST":
        return show_form(request, EntryBundle(entry, form_class=PublicEntryForm), **extra)
    if too_many_posts(request):
        return render(request, "calls/limited.html", {"message": abuse.rate_limit_message(POST_WINDOW)}, status=429)
    save_draft = is_draft and request.POST.get("action") == "draft"
    bundle = EntryBundle(
        entry, request.POST, request.FILES, form_class=PublicEntryForm, draft=save_draft, client=abuse.client_ip(request)
    )
    if not bundle.is_valid():
        bundle.stage_uploads()
        return show_form(request, bundle, **extra)
    to = None if save_draft else (Status.SUBMITTED if is_draft else Status.RESUBMITTED)
    saved = bundle.save(to=to, actor=workflow.SUBMITTER, via="web")
    if saved is None:
        return show_form(request, bundle, **extra)
    if save_draft:
        return draft_saved(request, saved, first=False)
    if is_draft:
        return redirect("track:receipt", token=token)
    messages.success(request, _("修改稿已重新报送，编辑部将尽快审阅。"))
    return redirect("track:detail", token=token)


@never_cache
def withdraw(request, token):
    entry = _entry(token)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.transition(entry, Status.WITHDRAWN, actor=workflow.SUBMITTER, via="web")
        except workflow.TransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已撤回这份报送。"))
        return redirect("track:detail", token=token)
    allowed = Status.WITHDRAWN in {move.to for move in workflow.allowed_moves(entry, workflow.SUBMITTER)}
    return render(request, "track/withdraw.html", {"submission": entry, "form": form, "allowed": allowed})
