"""公示 and objections in the admin: the notice (its list chosen, then published; its status and
history; its result declared final), the objections with their answer dates (overdue ones marked),
taking one and answering it with a reason, and the evidence downloads.

Thin: every write is submissions.notice.services (the notice's and the objection's moves through the
workflow: a refused move is shown as a message), every list its selectors; who may is the permission
authority's answer ("submissions.publish_notice" and "submissions.handle_objection": editors and chief
editors; reviewers see nothing of it).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import workflow
from submissions.admin.readonly import StepInline
from submissions.models import NoticeItem, NoticeStep, Objection, ObjectionEvidence, ObjectionStep, PublicNotice
from submissions.notice import services
from submissions.notice.forms import AnswerForm, NoticeAdminForm
from submissions.workflow.objections import HANDLE
from submissions.workflow.public_notice import PUBLISH

VIA = "admin"


class NoticeItemInline(admin.TabularInline):
    model = NoticeItem
    extra = 0
    can_delete = False
    fields = ["position", "submission", "removed_at", "removed_reason"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submission")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the list is chosen in the form's "公示名单" (services.save); an item leaves it by an upheld objection


class NoticeStepInline(StepInline):
    """The notice's history: published, closed, final (who or the periodic job, when)."""

    model = NoticeStep
    fields = ["created_at", "from_label", "to_label", "actor", "actor_role", "note", "via"]

    @admin.display(description=gettext_lazy("原状态"))
    def from_label(self, obj):
        return obj.from_label

    @admin.display(description=gettext_lazy("新状态"))
    def to_label(self, obj):
        return obj.to_label


@admin.register(PublicNotice)
class PublicNoticeAdmin(admin.ModelAdmin):
    form = NoticeAdminForm
    list_display = ["title", "campaign", "starts_on", "workdays", "ends_on", "status"]
    list_filter = ["status"]
    list_select_related = ["campaign"]
    readonly_fields = ["status", "ends_on", "published_at", "closed_at", "final_at", "public_link"]
    inlines = [NoticeItemInline, NoticeStepInline]
    actions = ["publish", "finalize"]

    def get_fields(self, request, obj=None):
        return ["campaign", "title", "intro", "contact", "starts_on", "workdays", "entries", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_published)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH)

    @admin.display(description=gettext_lazy("公示页面"))
    def public_link(self, obj):
        if not obj.pk or not obj.is_published:
            return "—"
        url = reverse("notice:detail", args=[obj.campaign.slug])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        entries = None
        if "entries" in form.cleaned_data and not obj.is_published and obj.campaign_id and change:
            entries = list(form.cleaned_data["entries"])
        services.save(obj, entries)

    @admin.action(description=gettext_lazy("发布公示"), permissions=["publish"])
    def publish(self, request, queryset):
        for notice in queryset:
            try:
                services.publish(notice, request.user, via=VIA)
            except (workflow.TransitionError, ValueError) as refused:  # ValueError: the calendar lacks its year
                messages.error(request, f"{notice}：{refused}")
            else:
                messages.success(request, _("已发布：%(notice)s，公示至 %(end)s。") % {"notice": notice, "end": notice.ends_on})

    @admin.action(description=gettext_lazy("确定公示结果"), permissions=["publish"])
    def finalize(self, request, queryset):
        """For a closed notice whose objections are all answered, before the periodic job gets to it."""
        for notice in queryset:
            try:
                services.finalize(notice, request.user, via=VIA)
            except workflow.TransitionError as refused:
                messages.error(request, f"{notice}：{refused}")
            else:
                messages.success(request, _("公示结果已确定：%(notice)s。") % {"notice": notice})


class ObjectionStepInline(StepInline):
    model = ObjectionStep


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["received_at", "name", "unit", "item", "status", "due_on", "overdue"]
    list_filter = ["status", "notice"]
    list_select_related = ["item__submission", "notice"]
    search_fields = ["name", "unit", "phone"]
    fields = [
        "notice",
        "item",
        "name",
        "unit",
        "phone",
        "email",
        "facts",
        "evidence_links",
        "status",
        "received_at",
        "due_on",
        "overdue",
        "handler",
        "answered_at",
        "answer",
        "handle_link",
    ]
    readonly_fields = fields
    inlines = [ObjectionStepInline]

    def has_add_permission(self, request):
        return False  # objections come from the public form only

    def has_change_permission(self, request, obj=None):
        return False  # moved by take/answer below, through the workflow

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("逾期"))
    def overdue(self, obj):
        if obj.is_open and obj.due_on < services.current_date():
            return format_html('<strong class="errornote" data-overdue>{}</strong>', _("已逾期"))
        return "—"

    @admin.display(description=gettext_lazy("证明材料"))
    def evidence_links(self, obj):
        files = list(obj.evidence.all())
        if not files:
            return "—"
        rows = (
            (reverse("admin:submissions_objection_evidence", args=[obj.pk, item.pk]), item.original_name, item.warning)
            for item in files
        )
        return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a> {}', rows)

    @admin.display(description=gettext_lazy("办理"))
    def handle_link(self, obj):
        if not obj.is_open:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:submissions_objection_handle", args=[obj.pk]), _("办理…"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/handle/", wrap(self.handle_view), name="submissions_objection_handle"),
            path("<int:pk>/evidence/<int:file_pk>/", wrap(self.evidence_view), name="submissions_objection_evidence"),
            *super().get_urls(),
        ]

    def handle_view(self, request, pk):
        """Take a received objection, or answer one under investigation (upheld or dismissed, with a reason)."""
        objection = get_object_or_404(Objection.objects.select_related("item__submission"), pk=pk)
        if not request.user.has_perm(HANDLE, objection):
            raise PermissionDenied
        form = AnswerForm(request.POST or None)
        error = ""
        action = request.POST.get("action")
        if request.method == "POST" and action in ("take", "uphold", "dismiss"):
            try:
                if action == "take":
                    services.take(objection, request.user, via=VIA)
                    messages.success(request, _("已接办，请在答复期限内核查答复。"))
                    return redirect("admin:submissions_objection_handle", objection.pk)
                if form.is_valid():
                    upheld = action == "uphold"
                    services.answer(objection, request.user, upheld=upheld, reason=form.cleaned_data["reason"], via=VIA)
                    messages.success(request, _("已答复，异议人将收到邮件。"))
                    return redirect("admin:submissions_objection_change", objection.pk)
            except workflow.TransitionError as refused:
                error = str(refused)
        context = {
            **self.admin_site.each_context(request),
            "title": _("办理异议"),
            "opts": self.opts,
            "original": objection,
            "form": form,
            "error": error,
            "overdue": objection.is_open and objection.due_on < services.current_date(),
        }
        return TemplateResponse(request, "admin/submissions/objection/handle.html", context)

    def evidence_view(self, request, pk, file_pk):
        item = get_object_or_404(ObjectionEvidence.objects.select_related("objection"), pk=file_pk, objection_id=pk)
        if not request.user.has_perm(HANDLE, item.objection):
            raise PermissionDenied
        response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
        response["Content-Type"] = item.content_type
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
