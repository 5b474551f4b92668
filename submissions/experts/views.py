"""The experts' pages: the one focused page where an expert writes a commentary (by the signed link they
were mailed, or signed in with their account), the sign-in for experts with an account, and the
public pages (the panel's index and each expert's page, cached like the column)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from submissions import workflow
from submissions.experts import links, selectors, services
from submissions.experts.forms import DeclineForm, WriteForm
from submissions.models import CommentaryStatus
from submissions.platform import abuse, pagecache

S = CommentaryStatus
POST_LIMIT, POST_WINDOW = 30, 3600


class LoginView(auth_views.LoginView):
    """Django's login on the experts' own page (throttled like every authenticate())."""

    template_name = "experts/login.html"
    next_page = reverse_lazy("experts:mine")


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("experts:login")


def signed_in(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("experts:login"))
        return view(request, *args, **kwargs)

    return never_cache(wrapped)


def _forms(commentary, data=None, which=""):
    initial = {"text": commentary.text, "diagnosis": commentary.diagnosis, "version": commentary.version}
    write = WriteForm(data if which == "write" else None, initial=initial)
    decline = DeclineForm(data if which == "decline" else None, initial={"version": commentary.version})
    return write, decline


def _render(request, commentary, write, decline, *, post_url, error="", status=200):
    entry = commentary.submission
    context = {
        "commentary": commentary,
        "entry": entry,
        "sections": selectors.entry_sections(entry),
        "write": write if commentary.status == S.REQUESTED else None,
        "decline": decline if commentary.status == S.REQUESTED else None,
        "post_url": post_url,
        "error": error,
        "expires_at": links.expires_at(commentary),
        # What was typed, when the request can no longer take it (withdrawn meanwhile): kept to copy.
        "kept": write.data.get("text", "") if write is not None and write.is_bound and commentary.status != S.REQUESTED else "",
    }
    return render(request, "experts/write.html", context, status=status)


def _handle(request, commentary, *, actor, via, post_url, reload):
    """The focused page: GET shows it; POST saves a draft, submits, or declines (rate-limited; a stale
    form refused with what was typed kept)."""
    if request.method != "POST":
        return _render(request, commentary, *_forms(commentary), post_url=post_url)
    if abuse.hit(request, "commentary-write", limit=POST_LIMIT, window=POST_WINDOW):
        which = "decline" if "reason" in request.POST else "write"
        write, decline = _forms(commentary, request.POST, which)
        return _render(
            request, commentary, write, decline, post_url=post_url, error=abuse.rate_limit_message(POST_WINDOW), status=429
        )
    which = "decline" if request.POST.get("action") == "decline" else "write"
    write, decline = _forms(commentary, request.POST, which)
    form = decline if which == "decline" else write
    if commentary.status != S.REQUESTED:
        error = _("这份约稿当前为“%(status)s”，不能再修改。") % {"status": commentary.get_status_display()}
        return _render(request, commentary, write, decline, post_url=post_url, error=error, status=409)
    if not form.is_valid():
        return _render(request, commentary, write, decline, post_url=post_url, status=400)
    data = form.cleaned_data
    try:
        if which == "decline":
            services.decline(commentary, actor, data["reason"], data["version"], via=via)
            done = _("已告知编辑部您不便撰写，感谢您的回复。")
        elif data["action"] == "draft":
            services.save_draft(commentary, data["text"], data["diagnosis"], data["version"], actor)
            done = _("草稿已保存，您可随时回到此页面继续撰写。")
        else:
            services.write(commentary, actor, data["text"], data["diagnosis"], data["version"], via=via)
            done = _("点评已提交，感谢您的支持！编辑部审阅后将刊发。")
    except (services.CommentaryError, workflow.TransitionError) as refused:
        commentary = reload()  # as it is now; what was typed stays in the form, with the current version
        fresh = request.POST.copy()
        fresh["version"] = str(commentary.version)
        write, decline = _forms(commentary, fresh, which)
        return _render(request, commentary, write, decline, post_url=post_url, error=str(refused), status=409)
    messages.success(request, done)
    return redirect(post_url)  # after a post, the page as it now is (a reload posts nothing again)


_WHY = {
    links.BAD: (
        gettext_lazy("链接无效"),
        gettext_lazy("这个链接无效或已被更换。如需撰写点评，请使用编辑部最新发送的邮件中的链接，或与编辑部联系。"),
        404,
    ),
    links.EXPIRED: (
        gettext_lazy("链接已过期"),
        gettext_lazy("这个链接已过期（截稿后 7 天内有效）。如仍需撰写，请与编辑部联系。"),
        410,
    ),
    links.CLOSED: (gettext_lazy("约稿已办结"), gettext_lazy("这份约稿当前为“%(status)s”，无需再撰写。感谢您的支持。"), 410),
}


@never_cache
def write_link(request, signed):
    """/experts/write/<signed>/: the signed link (no account); a link that does not open says why, clearly."""
    commentary, why = links.open_link(signed)
    if why is not None:
        title, message, status = _WHY[why]
        if why == links.CLOSED:
            message = message % {"status": commentary.get_status_display()}
        return render(request, "experts/link_refused.html", {"title": title, "message": message}, status=status)

    def reload():
        return links.open_link(signed)[0] or commentary

    return _handle(request, commentary, actor=services.LINK_ACTOR, via="expert_link", post_url=request.path, reload=reload)


@signed_in
def write_account(request, pk):
    """/experts/request/<pk>/: the signed-in expert's own request (another expert's: 404)."""
    commentary = selectors.own_request(request.user, pk)

    def reload():
        return selectors.own_request(request.user, pk)

    return _handle(request, commentary, actor=request.user, via="expert_account", post_url=request.path, reload=reload)


@signed_in
def mine(request):
    """The signed-in expert's open requests."""
    return render(request, "experts/mine.html", {"requests": selectors.own_requests(request.user)})


def index(request):
    """/experts/: the panel's active experts with at least one commentary published."""

    def render_page(shared):
        context = {"experts": selectors.published_experts(), **(pagecache.NO_TOKEN if shared else {})}
        return render(request, "experts/index.html", context)

    return pagecache.whole_page(request, ("experts", get_language()), render_page)


def detail(request, slug):
    """/experts/<slug>/: an expert's page and their commentaries on live articles."""
    if len(slug) > 60:
        raise Http404

    def render_page(shared):
        found = selectors.public_page(slug)
        if found is None:
            raise Http404
        expert, commentaries = found
        context = {"expert": expert, "commentaries": commentaries, **(pagecache.NO_TOKEN if shared else {})}
        return render(request, "experts/detail.html", context)

    return pagecache.whole_page(request, ("expert", get_language(), slug), render_page)
