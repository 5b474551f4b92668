"""专题融媒采访 in the admin: an editor plans an interview from an entry (the add form, the entry by its
number), proposes new dates when the contact asks, or cancels with a reason; a reporter or the
photographer sent to it brings back notes and photos (the photos through the platform's image
pipeline), which closes it. Every move goes through submissions.interview.services (the workflow);
who may is the authority's answer ("submissions.plan_interview", and the interview's own people for
"submissions.report_interview"). Each person's calendar feed link is shown, and can be replaced.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import workflow
from submissions.admin.readonly import StepInline
from submissions.interview import calendar, notify, services
from submissions.interview.forms import CancelForm, PlanForm, ReportForm, ReproposeForm
from submissions.models import Interview, InterviewStatus, InterviewStep
from submissions.workflow.interviews import PLAN, REPORT

VIA = "admin"
S = InterviewStatus


class AdminPlanForm(PlanForm):
    """The add form: the checks of services.plan() shown next to the fields."""

    def clean(self):
        data = super().clean()
        entry = data.get("submission")
        if entry is not None and entry.status not in services.PLANNABLE:
            self.add_error("submission", _("只有已入围或已采用的作品才能安排采访。"))
        if not self.errors:
            try:
                services.check_dates(self.dates())
            except services.InterviewError as refused:
                raise ValidationError(str(refused)) from None
        return data


class InterviewStepInline(StepInline):
    model = InterviewStep


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "chosen_at", "photographer", "created_at"]
    list_filter = ["status"]
    list_select_related = ["submission", "photographer"]
    search_fields = ["submission__org_name", "submission__brand_name", "submission__reference"]
    raw_id_fields = ["submission"]
    filter_horizontal = ["reporters"]
    inlines = [InterviewStepInline]
    readonly = ["status", "proposed_dates", "chosen_at", "counter_at", "cancel_reason", "report", "photo_list", "act_link"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AdminPlanForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["submission", "reporters", "photographer", "date_1", "date_2", "date_3", "place", "notes", "duration_minutes"]
        return ["submission", "reporters", "photographer", "place", "notes", "duration_minutes", *self.readonly]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["submission", *self.readonly]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submission", "photographer")

    def has_delete_permission(self, request, obj=None):
        return False  # cancelled, with a reason, and kept

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["photographer", "place", "notes", "duration_minutes"])
            return
        data = form.cleaned_data
        created = services.plan(
            data["submission"],
            editor=request.user,
            reporters=list(data["reporters"]),
            photographer=data.get("photographer"),
            dates=form.dates(),
            place=data.get("place", ""),
            notes=data.get("notes", ""),
            duration_minutes=data.get("duration_minutes") or 120,
        )
        obj.pk, obj._state.adding = created.pk, False

    def response_add(self, request, obj, post_url_continue=None):
        """Back to the entry the interview was planned from, where the next step (a commentary, a video) is."""
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        messages.success(request, _("采访安排已发出，报送单位联系人将收到建议时间。"))
        return redirect("admin:submissions_submission_change", obj.submission_id)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.display(description=gettext_lazy("建议时间"))
    def proposed_dates(self, obj):
        dates = [(notify.when(item.starts_at),) for item in obj.dates.all()]
        return format_html_join(mark_safe("<br>"), "{}", dates) if dates else "—"

    @admin.display(description=gettext_lazy("采访照片"))
    def photo_list(self, obj):
        photos = [(photo.thumbnail.url,) for photo in obj.photos.all() if photo.thumbnail]
        return format_html_join("", '<img class="article-photo-thumb" src="{}" alt="">', photos) if photos else "—"

    @admin.display(description=gettext_lazy("办理"))
    def act_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:submissions_interview_act", args=[obj.pk]), _("办理…"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/act/", wrap(self.act_view), name="submissions_interview_act"),
            path("calendar/", wrap(self.calendar_view), name="submissions_interview_calendar"),
            *super().get_urls(),
        ]

    def act_view(self, request, pk):
        """Propose new dates, cancel, or bring back the material: what this person may do now."""
        interview = get_object_or_404(Interview.objects.select_related("submission"), pk=pk)
        user = request.user
        plans = user.has_perm(PLAN, interview)
        reports = plans or user.has_perm(REPORT, interview)
        if not reports:
            raise PermissionDenied
        action = request.POST.get("action") if request.method == "POST" else None
        repropose = ReproposeForm(request.POST if action == "repropose" else None, prefix="dates")
        cancel = CancelForm(request.POST if action == "cancel" else None, prefix="cancel")
        report = ReportForm(request.POST if action == "report" else None, prefix="report")
        error = ""
        try:
            if action == "repropose" and plans and repropose.is_valid():
                services.repropose(interview, user, repropose.dates(), via=VIA)
                messages.success(request, _("已重新提出建议时间，报送单位将收到邮件。"))
                return redirect("admin:submissions_interview_act", interview.pk)
            if action == "cancel" and plans and cancel.is_valid():
                services.cancel(interview, user, cancel.cleaned_data["reason"], via=VIA)
                messages.success(request, _("采访已取消。"))
                return redirect("admin:submissions_interview_act", interview.pk)
            if action == "report" and report.is_valid():
                uploads = request.FILES.getlist("report-photos")
                services.report(interview, user, report.cleaned_data["notes"], uploads, via=VIA)
                messages.success(request, _("采访材料已保存，采访已完成。"))
                return redirect("admin:submissions_interview_act", interview.pk)
        except (services.InterviewError, workflow.TransitionError) as refused:
            error = str(refused)
        except ValidationError as refused:  # a photo refused by its content: nothing was stored
            error = " ".join(refused.messages)
        context = {
            **self.admin_site.each_context(request),
            "title": _("办理采访"),
            "opts": self.opts,
            "original": interview,
            "plans": plans,
            "repropose": repropose,
            "cancel": cancel,
            "report": report,
            "error": error,
            "max_photos": services.MAX_PHOTOS,
            "dates": [notify.when(item.starts_at) for item in interview.dates.all()],
            "calendar_url": calendar.appointment_url(interview) if interview.status in calendar.FEED_STATUSES else "",
        }
        return TemplateResponse(request, "admin/submissions/interview/act.html", context)

    def calendar_view(self, request):
        """My calendar feed's link; a new one revokes the old."""
        if request.method == "POST" and request.POST.get("action") == "reset":
            calendar.reset_feed(request.user)
            messages.success(request, _("已生成新的订阅链接，旧链接已失效。"))
            return redirect("admin:submissions_interview_calendar")
        context = {
            **self.admin_site.each_context(request),
            "title": _("我的采访日历"),
            "opts": self.opts,
            "feed_url": calendar.feed_url(request.user),
        }
        return TemplateResponse(request, "admin/submissions/interview/calendar.html", context)
