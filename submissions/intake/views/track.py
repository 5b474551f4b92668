"""Tracking (进度查询): an entry seen, revised, resubmitted or withdrawn through its private link only."""

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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


# What happens to an entry, stage by stage, and who acts at each (the tracking page's 接下来).
# (key, name, who acts, the statuses that stand at that stage). The screening stage only where the
# campaign screens; RESUBMITTED stands at the first stage again (the editors look at it anew).
STAGES = [
    ("submitted", gettext_lazy("已报送"), gettext_lazy("报送单位（您）"), {Status.SUBMITTED, Status.RESUBMITTED}),
    ("screening", gettext_lazy("资格审查与推荐"), gettext_lazy("推荐单位"), {Status.ELIGIBLE, Status.RECOMMENDED}),
    ("review", gettext_lazy("初审、复审"), gettext_lazy("评审专家"), {Status.FIRST_REVIEW, Status.SECOND_REVIEW}),
    (
        "shortlist",
        gettext_lazy("入围、终审"),
        gettext_lazy("编辑部确定入围，评审专家终审"),
        {Status.SHORTLISTED, Status.FINAL_REVIEW},
    ),
    ("accepted", gettext_lazy("采用"), gettext_lazy("编辑部"), {Status.ACCEPTED}),
    ("published", gettext_lazy("发表"), gettext_lazy("编辑部"), {Status.PUBLISHED}),
]
# Statuses off the main line: the stage shown is the one the entry last stood at, marked so.
STOPPED_MARKS = {
    Status.RETURNED: gettext_lazy("待您修改"),
    Status.DECLINED: gettext_lazy("未获采用"),
    Status.WITHDRAWN: gettext_lazy("已撤回"),
}
# What happens next, in plain words, and who acts.
NEXT = {
    Status.DRAFT: gettext_lazy("这份报送还是草稿，编辑部还看不到。请点“继续填写并提交”，填完后提交报送。"),
    Status.SUBMITTED: gettext_lazy("编辑部已收到，接下来安排评审专家初审。此阶段无需您操作，有进展会在本页显示。"),
    Status.RESUBMITTED: gettext_lazy("编辑部已收到修改稿，将继续审阅。此阶段无需您操作，有进展会在本页显示。"),
    Status.ELIGIBLE: gettext_lazy("资格审查已通过，接下来由编辑部安排评审专家初审。此阶段无需您操作。"),
    Status.RECOMMENDED: gettext_lazy("推荐单位已推荐，接下来由编辑部安排评审专家初审。此阶段无需您操作。"),
    Status.FIRST_REVIEW: gettext_lazy("评审专家正在初审，通过后进入复审。此阶段无需您操作。"),
    Status.SECOND_REVIEW: gettext_lazy("评审专家正在复审，复审后编辑部确定入围名单。此阶段无需您操作。"),
    Status.SHORTLISTED: gettext_lazy("已入围。接下来编辑部决定是否采用，其间可能联系您安排采访，请留意电话和邮件。"),
    Status.FINAL_REVIEW: gettext_lazy("评审专家正在终审，之后编辑部决定是否采用。此阶段无需您操作。"),
    Status.ACCEPTED: gettext_lazy("已采用。编辑部正在撰写和编辑文章，发表后本页会显示文章链接。"),
    Status.PUBLISHED: gettext_lazy("文章已发表，流程全部完成。欢迎分享文章链接。"),
    Status.RETURNED: gettext_lazy("编辑部请您修改（意见见上方）。请点“修改并重新提交”，按意见修改后提交，编辑部会继续审阅。"),
    Status.DECLINED: gettext_lazy("这份报送未获采用，审阅到此结束。感谢您的参与。"),
    Status.WITHDRAWN: gettext_lazy("这份报送已撤回，编辑部不再审阅。"),
}
NEXT_SCREENED = {  # where the campaign screens, before review
    (Status.SUBMITTED, True): gettext_lazy("接下来由推荐单位进行资格审查并决定是否推荐。此阶段无需您操作，结果会在本页显示。"),
    (Status.SUBMITTED, False): gettext_lazy("接下来由编辑部进行资格审查。此阶段无需您操作，结果会在本页显示。"),
    (Status.RESUBMITTED, True): gettext_lazy("修改稿已收到，推荐单位将重新审查。此阶段无需您操作，结果会在本页显示。"),
    (Status.RESUBMITTED, False): gettext_lazy("修改稿已收到，编辑部将重新进行资格审查。此阶段无需您操作。"),
    (Status.ELIGIBLE, True): gettext_lazy("资格审查已通过，接下来由推荐单位决定是否推荐。此阶段无需您操作。"),
}
SAME_MOMENT_SECONDS = 60  # created and sent in within this: one step (提交报送), not a draft saved first


def stages(entry, history):
    """The stages of this entry's campaign: [{key, name, who, state, mark}] with state "done",
    "current" or "todo"; the current one is where the entry stands (or last stood, when it was
    returned, declined or withdrawn)."""
    campaign = entry.campaign
    rows = [row for row in STAGES if row[0] != "screening" or campaign.screens]
    at = {status: index for index, row in enumerate(rows) for status in row[3]}
    current = at.get(entry.status)
    if current is None and entry.status in STOPPED_MARKS:
        reached = [at[step.to_status] for step in history if step.to_status in at]
        current = reached[-1] if reached else 0
    found = []
    for index, (key, name, who, _statuses) in enumerate(rows):
        if key == "screening" and not campaign.uses_recommendation:
            name, who = _("资格审查"), _("编辑部")
        state = "todo" if current is None or index > current else "done" if index < current else "current"
        mark = STOPPED_MARKS.get(entry.status, _("当前阶段")) if state == "current" else ""
        found.append({"key": key, "name": name, "who": who, "state": state, "mark": mark})
    return found


def next_step(entry):
    """One sentence: what happens next, and who acts."""
    screened = entry.campaign.screens and (entry.status, entry.campaign.uses_recommendation) in NEXT_SCREENED
    return NEXT_SCREENED[(entry.status, entry.campaign.uses_recommendation)] if screened else NEXT.get(entry.status, "")


def first_step(entry, history):
    """The timeline's first line when the entry was saved as a draft before it was sent in (or is
    still one): 保存草稿 and when; None when it was sent in at once (its first move says 提交报送)."""
    label = _("编辑部根据邮件录入") if entry.via_email else _("保存草稿")
    if entry.status == Status.DRAFT or not history:
        return {"label": label, "at": entry.created_at}
    if (history[0].created_at - entry.created_at).total_seconds() > SAME_MOMENT_SECONDS:
        return {"label": label, "at": entry.created_at}
    return None


def step_label(step):
    return _("提交报送") if step.to_status == Status.SUBMITTED else step.to_label


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
        "stages": stages(entry, history),
        "next_step": next_step(entry),
        "first_step": first_step(entry, history),
        "steps": [(step, step_label(step)) for step in history],
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
