"""Screening in the admin: the recommending bodies (推荐单位) with their progress, and the eligibility
checks and recommendations to read. The bodies themselves work in their own workspace (/recommend/),
never here; these rows are written there, through submissions.recommend.services."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from submissions.admin.readonly import ReadOnlyAdmin
from submissions.models import EligibilityCheck, Recommendation, RecommendingBody
from submissions.recommend import selectors
from submissions.workflow import roles
from submissions.workflow.screening import RECOMMEND


class ProgressChangeList(ChangeList):
    """The bodies' list, each row with its progress (selectors.progress): two queries per campaign on the page."""

    def get_results(self, request):
        super().get_results(request)
        found = {}
        for campaign_id in sorted({body.campaign_id for body in self.result_list}):
            found.update({row.body.pk: row for row in selectors.progress(campaign_id)})
        for body in self.result_list:
            body.progress = found.get(body.pk)


def _count(name, description):
    @admin.display(description=description)
    def column(self, obj):
        progress = getattr(obj, "progress", None)
        return getattr(progress, name) if progress is not None else "—"

    return column


@admin.register(RecommendingBody)
class RecommendingBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "quota", "received", "checked", "recommended"]
    list_filter = ["campaign"]
    list_select_related = ["campaign"]
    search_fields = ["name"]
    fields = ["campaign", "name", "regions", "organizations", "quota", "members", "order"]
    filter_horizontal = ["regions", "members"]

    received = _count("received", _("收到"))
    checked = _count("checked", _("已审查"))
    recommended = _count("recommended", _("已推荐"))

    def get_changelist(self, request, **kwargs):
        return ProgressChangeList

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":  # only accounts given the body's role (推荐单位) may act for a body
            kwargs["queryset"] = roles.users_with(get_user_model().objects.order_by("username"), RECOMMEND, superusers=False)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # its entries and recommendations keep it (a body without members acts for nobody)


def _entry_link(submission):
    url = reverse("admin:submissions_submission_change", args=[submission.pk])
    return format_html('<a href="{}">{}</a>', url, submission)


@admin.register(EligibilityCheck)
class EligibilityCheckAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["created_at", "entry", "body", "passed", "checked_by"]
    list_filter = ["passed", "submission__campaign"]
    list_select_related = ["submission", "body", "checked_by"]
    search_fields = ["submission__reference", "submission__org_name"]
    fields = ["entry", "body", "checked_by", "created_at", "passed", "items"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("报送作品"))
    def entry(self, obj):
        return _entry_link(obj.submission)

    @admin.display(description=_("未通过的项目"))
    def items(self, obj):
        failures = obj.failures()
        if not failures:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}：{}</li>", failures))


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["recommended_at", "entry", "body", "recommended_by", "scan_link"]
    list_filter = ["body__campaign", "body"]
    list_select_related = ["submission", "body", "recommended_by"]
    search_fields = ["submission__reference", "submission__org_name", "body__name"]
    # The stamped form is private: read through the workspace's checked download, never the media URL.
    fields = ["entry", "body", "opinion", "recommended_by", "recommended_at", "scan_link", "scan_uploaded_at"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("报送作品"))
    def entry(self, obj):
        return _entry_link(obj.submission)

    @admin.display(description=_("盖章推荐表"))
    def scan_link(self, obj):
        if not obj.scan:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("recommend:scan", args=[obj.submission_id]), _("下载"))
