"""Bulk actions on the entries list. The steps are the review area's services (decisions.move_many,
assignments.assign_evenly; every status change goes through workflow.transition()); each action asks
what it needs and reports what was done and what was refused, and why."""

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.admin.results import issue_awards
from submissions.models import Status as S
from submissions.review import assignments, decisions, export_jobs
from submissions.review import exports as entry_export
from submissions.review.forms import AssignReviewersForm, MessageForm

VIA = "admin-bulk"


def apply_transition(request, queryset, to, message="", note=""):
    """Move each selected entry to `to`; report done and refused (with reasons)."""
    done, refused = decisions.move_many(queryset.order_by("pk"), to, by=request.user, message=message, note=note, via=VIA)
    report(request, done, refused, S(to).label)
    return done, refused


def report(request, done, refused, what):
    if done:
        messages.success(
            request, _("已将 %(n)d 件作品办理为“%(what)s”：%(refs)s") % {"n": len(done), "what": what, "refs": _("、").join(done)}
        )
    if refused:
        messages.warning(request, _("%(n)d 件未办理：") % {"n": len(refused)} + _("；").join(refused))
    if not done and not refused:
        messages.info(request, _("没有选中任何作品。"))


def _move(to, label, name=None):
    @admin.action(description=label, permissions=["workflow"])
    def action(modeladmin, request, queryset):
        apply_transition(request, queryset, to)

    action.__name__ = name or f"move_to_{to}"
    return action


move_to_first_review = _move(S.FIRST_REVIEW, gettext_lazy("移入初审"))
move_to_second_review = _move(S.SECOND_REVIEW, gettext_lazy("移入复审"))
move_to_final_review = _move(S.FINAL_REVIEW, gettext_lazy("移入终审"))
shortlist = _move(S.SHORTLISTED, gettext_lazy("入围"), "shortlist")


def _intermediate(modeladmin, request, queryset, form, title, action):
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(request, "admin/submissions/submission/bulk_form.html", context)


def _with_message(modeladmin, request, queryset, to, title, action):
    """A move that needs a message to the submitter: ask for it on an intermediate page, then apply."""
    form = MessageForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        apply_transition(request, queryset, to, form.cleaned_data["message"], form.cleaned_data["note"])
        return None
    return _intermediate(modeladmin, request, queryset, form, title, action)


@admin.action(description=gettext_lazy("不予采用（需填写说明）"), permissions=["workflow"])
def decline(modeladmin, request, queryset):
    return _with_message(modeladmin, request, queryset, S.DECLINED, _("不予采用：给报送单位的说明"), "decline")


@admin.action(description=gettext_lazy("退回修改（需填写说明）"), permissions=["workflow"])
def return_for_revision(modeladmin, request, queryset):
    return _with_message(modeladmin, request, queryset, S.RETURNED, _("退回修改：给报送单位的说明"), "return_for_revision")


@admin.action(description=gettext_lazy("分派评审专家（可自动均衡分配）"), permissions=["workflow"])
def assign_reviewers(modeladmin, request, queryset):
    """Each chosen reviewer on every entry, or N per entry spread evenly over the chosen pool.
    The round follows each entry's status (an entry in 复审 is given for 复审)."""
    form = AssignReviewersForm(request.POST if "apply" in request.POST else None)
    if not form.is_valid():
        return _intermediate(modeladmin, request, queryset, form, _("分派评审专家"), "assign_reviewers")
    selected = list(queryset.select_related("campaign").order_by("pk"))
    created, refused = assignments.assign_evenly(
        selected, form.cleaned_data["reviewers"], form.cleaned_data["per_entry"], by=request.user
    )
    if created:
        done = [f"{a.submission.reference or a.submission_id}→{a.reviewer}（{a.get_stage_display()}）" for a in created]
        messages.success(request, _("已分派 %(n)d 项：%(items)s") % {"n": len(done), "items": _("、").join(done)})
    if refused:
        messages.warning(request, _("%(n)d 项未分派：") % {"n": len(refused)} + _("；").join(refused))
    return None


def _download(content, content_type, ext):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{entry_export.filename(ext)}"'
    return response


def xlsx_response(queryset, request=None):
    """The Excel file now, or, past EXPORT_ASYNC_THRESHOLD entries, a job for a worker and the
    page of export jobs, where its progress and then its download link appear."""
    if request is not None and queryset.count() > settings.EXPORT_ASYNC_THRESHOLD:
        job = export_jobs.start(queryset, request.user)
        messages.info(
            request,
            _("共 %(n)d 项，导出较大，已转入后台处理；完成后可在本页下载。") % {"n": job.total},
        )
        return redirect("admin:submissions_exportjob_changelist")
    return _download(entry_export.to_xlsx(queryset), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


def csv_response(queryset):
    return _download(entry_export.to_csv(queryset), "text/csv; charset=utf-8", "csv")


@admin.action(description=gettext_lazy("导出所选作品（Excel）"), permissions=["export"])
def export_xlsx(modeladmin, request, queryset):
    return xlsx_response(queryset, request)


@admin.action(description=gettext_lazy("导出所选作品（CSV）"), permissions=["export"])
def export_csv(modeladmin, request, queryset):
    return csv_response(queryset)


ACTIONS = [
    assign_reviewers,
    move_to_first_review,
    move_to_second_review,
    move_to_final_review,
    shortlist,
    return_for_revision,
    decline,
    export_xlsx,
    export_csv,
    issue_awards,
]
