"""专家智库 in the admin (thin): the experts (list, search; a linked account is put in the 点评专家 role),
and the commentary requests: an editor asks an expert from an entry (the add form, the entry by its
number: `?submission=<pk>` from the entry's page), then accepts the commentary, asks for a revision or
withdraws the request on its page (办理…); the expert's link can be replaced (the old one stops).
Every move goes through submissions.experts.services (the workflow); who may is the authority's answer
("submissions.request_commentary")."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import workflow
from submissions.admin.readonly import StepInline
from submissions.experts import links, services
from submissions.models import CommentaryRequest, CommentaryStatus, CommentaryStep, Expert
from submissions.workflow.commentaries import REQUEST

VIA = "admin"
S = CommentaryStatus
REASON_MAX = services.REASON_MAX


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "affiliation", "email", "active"]
    list_filter = ["active"]
    search_fields = ["name", "title", "affiliation", "email"]
    raw_id_fields = ["user"]
    fields = ["name", "title", "affiliation", "bio", "slug", "email", "user", "active"]

    def has_delete_permission(self, request, obj=None):
        return False  # credited in articles: kept, made inactive instead

    def save_model(self, request, obj, form, change):
        services.save_expert(obj)


class RequestAddForm(forms.ModelForm):
    due_at = forms.DateTimeField(
        label=gettext_lazy("截稿时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": gettext_lazy("请填写截稿时间。"), "invalid": gettext_lazy("时间格式不正确，请重新选择。")},
    )

    class Meta:
        model = CommentaryRequest
        fields = ["submission", "expert", "due_at", "brief"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.filter(active=True)

    def clean(self):
        data = super().clean()
        entry, expert, due_at = data.get("submission"), data.get("expert"), data.get("due_at")
        if entry is not None and entry.status not in services.COMMENTABLE:
            self.add_error("submission", _("只有已入围或已采用的作品才能约请专家点评。"))
        elif due_at is not None and due_at <= timezone.now():
            self.add_error("due_at", _("截稿时间不能早于现在。"))
        elif not self.errors and entry is not None and expert is not None:
            try:
                services.check_request(entry, expert, due_at, data.get("brief", ""))
            except services.CommentaryError as refused:
                raise forms.ValidationError(str(refused)) from None
        return data


class CommentaryStepInline(StepInline):
    model = CommentaryStep


class ReasonForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("说明（发给专家）"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("请填写说明（原因）。"),
            "max_length": gettext_lazy("说明不能超过 %(limit_value)d 字。"),
        },
    )


@admin.register(CommentaryRequest)
class CommentaryRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "due_at", "requested_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["expert", "submission", "requested_by"]
    search_fields = ["expert__name", "submission__org_name", "submission__brand_name", "submission__reference"]
    raw_id_fields = ["submission"]
    inlines = [CommentaryStepInline]
    readonly = ["status", "text", "diagnosis", "written_at", "accepted_at", "reminders_sent", "act_link"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = RequestAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["submission", "expert", "due_at", "brief"]
        return ["submission", "expert", "due_at", "brief", *self.readonly]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["submission", "expert", *self.readonly]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn, with a reason, and kept

    def has_add_permission(self, request):
        return request.user.has_perm(REQUEST)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["due_at", "brief", "updated_at"])
            return
        data = form.cleaned_data
        try:
            made = services.request(
                data["submission"], editor=request.user, expert=data["expert"], due_at=data["due_at"], brief=data.get("brief", "")
            )
        except services.CommentaryError as refused:
            raise PermissionDenied(str(refused)) from None
        obj.pk, obj._state.adding = made.pk, False
        messages.info(request, _("约稿已发出，专家将收到带专属链接的邮件。"))

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:submissions_commentaryrequest_act", obj.pk)

    @admin.display(description=gettext_lazy("办理"))
    def act_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:submissions_commentaryrequest_act", args=[obj.pk]), _("办理…"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("<int:pk>/act/", wrap(self.act_view), name="submissions_commentaryrequest_act"), *super().get_urls()]

    def act_view(self, request, pk):
        """Accept, ask for a revision, withdraw, or replace the expert's link: what this editor may do now."""
        commentary = get_object_or_404(CommentaryRequest.objects.select_related("expert", "submission"), pk=pk)
        user = request.user
        if not user.has_perm(REQUEST, commentary):
            raise PermissionDenied
        action = request.POST.get("action") if request.method == "POST" else None
        revise = ReasonForm(request.POST if action == "revise" else None, prefix="revise")
        withdraw = ReasonForm(request.POST if action == "withdraw" else None, prefix="withdraw")
        error = ""
        seen = request.POST.get("version")
        try:
            if action and seen != str(commentary.version):
                raise workflow.TransitionError(_("这份约稿刚刚有了变化，请查看最新内容后再办理。"))
            if action == "accept":
                services.accept(commentary, user, via=VIA)
                messages.success(request, _("点评已采用，将显示在巡展文章和专家页面。"))
                return redirect("admin:submissions_commentaryrequest_act", pk)
            if action == "revise" and revise.is_valid():
                services.ask_revision(commentary, user, revise.cleaned_data["message"], via=VIA)
                messages.success(request, _("已请专家修改，专家将收到邮件。"))
                return redirect("admin:submissions_commentaryrequest_act", pk)
            if action == "withdraw" and withdraw.is_valid():
                services.withdraw(commentary, user, withdraw.cleaned_data["message"], via=VIA)
                messages.success(request, _("约稿已撤回。"))
                return redirect("admin:submissions_commentaryrequest_act", pk)
            if action == "rotate":
                services.rotate_link(commentary)
                messages.success(request, _("已更换专属链接，旧链接已失效。"))
                return redirect("admin:submissions_commentaryrequest_act", pk)
        except (services.CommentaryError, workflow.TransitionError) as refused:
            error = str(refused)
        moves = {move.to for move in workflow.allowed_moves(commentary, user)}
        context = {
            **self.admin_site.each_context(request),
            "title": _("办理专家点评"),
            "opts": self.opts,
            "original": commentary,
            "error": error,
            "can_accept": S.ACCEPTED in moves,
            "can_revise": S.REQUESTED in moves,
            "can_withdraw": S.WITHDRAWN in moves,
            "can_rotate": commentary.status in (S.REQUESTED, S.WRITTEN),
            "revise": revise,
            "withdraw": withdraw,
            "write_url": links.write_url(commentary) if commentary.status in (S.REQUESTED, S.WRITTEN) else "",
        }
        return TemplateResponse(request, "admin/submissions/commentaryrequest/act.html", context)
