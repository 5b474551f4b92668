"""The entries in the admin: the list editors triage from, the entry's page with its workflow
buttons, plain edits guarded by the entry's version, and the reviewers' scoring pages.

Who sees what is asked of the authority (submissions.workflow.rules); the steps are the review area's
services (decisions, assignments, scoring) called through the workbench and the bulk actions."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from submissions import workflow
from submissions.admin import actions, screening, workbench
from submissions.admin.entry_parts import AttachmentInline, PhotoInline, SectionInline, VersionedSubmissionForm
from submissions.admin.listing import EstimatedCountPaginator, QuickActionCheckbox, ScoreBandFilter, SortsWithItsIndexes
from submissions.models import Photo, Section, Stage, StatusChange, Submission
from submissions.overlap import admin as overlap_admin
from submissions.overlap import panel as overlap_panel
from submissions.platform.search import entries as entry_search
from submissions.review import scoring as reviews
from submissions.review.forms import ScoreForm
from submissions.workflow import rules

# Fields a reviewer's list does not show (评分后可见): no filtering or sorting on them either.
HIDDEN_FROM_REVIEWERS = {"score", "review_count", "reviews", "assignments", "history", "edits"}
# The only fields a reviewer's list filters on (its filters): any other lookup would tell what the
# list hides by which entries remain (?org_name__contains=… under blind review, ?contact_name=…).
REVIEWER_LOOKUPS = {"status", "kind", "region"}


@admin.register(Submission)
class SubmissionAdmin(overlap_admin.OverlapColumn, QuickActionCheckbox, SortsWithItsIndexes, SimpleHistoryAdmin):
    form = VersionedSubmissionForm
    list_display = [
        "thumb",
        "reference",
        "org_name",
        "brand_name",
        "kind",
        "region",
        "status",
        "score_display",
        "review_count",
        "overlap_display",
        "submitted_display",
    ]
    list_display_links = ["reference", "org_name"]
    list_filter = ["campaign", "status", "kind", "region", "sector", ScoreBandFilter, overlap_admin.OverlapShareFilter]
    search_fields = ["reference", "org_name", "brand_name", "contact_name"]
    list_select_related = ["region"]
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a COUNT per filter choice is too slow at 100 000 entries
    paginator = EstimatedCountPaginator
    readonly_fields = ["reference", "status", "submitted_at", "score", "review_count", "entered_by", "via_email_text"]
    fieldsets = [
        (None, {"fields": ["reference", "status", "campaign", "kind"]}),
        (gettext_lazy("党组织"), {"fields": ["org_name", "org_parent", "org_type", "sector", "region"]}),
        (gettext_lazy("联系人"), {"fields": ["contact_name", "contact_phone", "contact_email"]}),
        (gettext_lazy("品牌"), {"fields": ["brand_name", "brand_slogan", "brand_idea"]}),
        (gettext_lazy("正文"), {"fields": ["introduction", "results", "model_story", "consent"]}),
        (gettext_lazy("来源与评分"), {"fields": ["via_email_text", "entered_by", "submitted_at", "score", "review_count"]}),
    ]
    inlines = [SectionInline, PhotoInline, AttachmentInline]
    actions = actions.ACTIONS

    # --- permissions: reviewers read only what they are assigned; editors run the workflow.
    def has_view_permission(self, request, obj=None):
        if rules.reads_assigned_only(request.user):
            return obj is None or request.user.has_perm(rules.READ_ENTRIES, obj)
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False  # entries come from the public form, or from e-mail through /admin/intake/

    def has_delete_permission(self, request, obj=None):
        return False  # an entry is withdrawn or declined, never deleted

    def has_workflow_permission(self, request):
        return request.user.has_perm("submissions.run_workflow")

    def has_export_permission(self, request):
        return request.user.has_perm("submissions.export_submission")

    def get_queryset(self, request):
        thumbs = Photo.objects.filter(submission=OuterRef("pk")).order_by("order", "pk").values("thumbnail")[:1]
        queryset = self.model._default_manager.get_queryset().annotate(first_thumb=Subquery(thumbs))
        queryset = overlap_admin.annotate(queryset)
        if rules.reads_assigned_only(request.user):
            queryset = reviews.for_reviewer(queryset, request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_list_display(self, request):
        if rules.reads_assigned_only(request.user):
            return [
                "thumb",
                "reference",
                "org_for_reviewer",
                "brand_name",
                "kind",
                "region",
                "status",
                "my_score",
                "score_display",
                "overlap_display",
            ]
        return self.list_display

    def get_list_display_links(self, request, list_display):
        if rules.reads_assigned_only(request.user):
            return ["reference"]
        return super().get_list_display_links(request, list_display)

    def get_search_fields(self, request):
        if rules.reads_assigned_only(request.user):
            return ["reference", "brand_name"]  # never by contact, nor by organization (blind review)
        return super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        # Chinese words: narrowed first by the bigram index, then Django's own filter on what is left.
        narrowed = entry_search.narrowed(queryset, search_term)
        return super().get_search_results(request, queryset if narrowed is None else narrowed, search_term)

    def get_list_filter(self, request):
        if rules.reads_assigned_only(request.user):
            return ["status", "kind", "region"]
        return self.list_filter

    def get_ordering(self, request):
        if rules.reads_assigned_only(request.user):
            return ["-my_total", "pk"]  # ranked by the reviewer's own weighted score
        return super().get_ordering(request)

    def get_sortable_by(self, request):
        if rules.reads_assigned_only(request.user):  # sorting by the average would rank what they may not see
            return [name for name in self.get_list_display(request) if name != "score_display"]
        return super().get_sortable_by(request)

    def lookup_allowed(self, lookup, value, request=None):
        """Reviewers filter only on what their filters offer: not on what the list hides from them
        (?score__gte=70 tells the score, ?org_name__contains=… the organization under blind review)."""
        if request is not None and rules.reads_assigned_only(request.user):
            field = lookup.split("__")[0]
            if field in HIDDEN_FROM_REVIEWERS or field not in REVIEWER_LOOKUPS:
                return False
        return super().lookup_allowed(lookup, value, request)

    # --- list columns
    @admin.display(description=gettext_lazy("图片"))
    def thumb(self, obj):
        if not obj.first_thumb:
            return "—"
        url = Photo._meta.get_field("thumbnail").storage.url(obj.first_thumb)
        return format_html('<img class="entry-thumb" src="{}" alt="" loading="lazy">', url)

    @admin.display(description=gettext_lazy("党组织全称"))
    def org_for_reviewer(self, obj):
        return _("（盲评）") if obj.campaign.blind_review and reviews.scoring_open(obj) else obj.org_name

    @admin.display(description=gettext_lazy("经邮箱报送"))
    def via_email_text(self, obj):
        """是 / 否 in words: Django shows a read-only yes/no as an icon, and "no" as a red ✖."""
        return _("是") if obj.via_email else _("否")

    # Short headings: the list fits 1280 px without a heading broken one character a line.
    @admin.display(description=gettext_lazy("得分"), ordering="score")
    def score_display(self, obj):
        if getattr(obj, "my_total", "editor") is None:
            return _("评分后可见")
        return obj.score if obj.score is not None else "—"

    @admin.display(description=gettext_lazy("报送时间"), ordering="submitted_at")
    def submitted_display(self, obj):
        """Date over time, so that the column stays narrow."""
        if obj.submitted_at is None:
            return "—"
        local = timezone.localtime(obj.submitted_at)
        return format_html("{}<br>{}", local.strftime("%Y-%m-%d"), local.strftime("%H:%M"))

    @admin.display(description=gettext_lazy("我的评分"), ordering="my_total")
    def my_score(self, obj):
        if obj.my_total is not None:
            return obj.my_total
        return _("未评") if obj.my_pending else "—"  # nothing to score: decided, or an earlier round

    # --- pages
    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/transition/", wrap(self.transition_view), name=f"{prefix}_transition"),
            path("<path:object_id>/assign/", wrap(self.assign_view), name=f"{prefix}_assign"),
            path("<path:object_id>/body/", wrap(self.body_view), name=f"{prefix}_body"),
            path("<path:object_id>/unassign/<int:assignment_id>/", wrap(self.unassign_view), name=f"{prefix}_unassign"),
            path("<path:object_id>/remind/", wrap(self.remind_view), name=f"{prefix}_remind"),
            path("remind-waiting/", wrap(self.remind_waiting_view), name=f"{prefix}_remind_waiting"),
            path("<path:object_id>/score/<str:stage>/", wrap(self.score_view), name=f"{prefix}_score"),
            path("next-unscored/", wrap(self.next_unscored_view), name=f"{prefix}_next_unscored"),
            path("export/<str:fmt>/", wrap(self.export_view), name=f"{prefix}_export"),
            *super().get_urls(),
        ]

    def _entry(self, request, object_id):
        obj = self.get_queryset(request).filter(pk=unquote(object_id)).first() if str(object_id).isdigit() else None
        if obj is None:
            raise Http404(_("没有这件作品，或您无权查看。"))
        return obj

    def entry_context(self, request, obj):
        """The entry as it will read, its history and the reviews this user may read."""
        entry = (
            Submission.objects.select_related("region", "campaign")
            .prefetch_related(
                Prefetch("sections", queryset=Section.objects.order_by("order")),
                Prefetch("photos", queryset=Photo.objects.order_by("order", "pk")),
                "attachments",
            )
            .get(pk=obj.pk)
        )
        history = StatusChange.objects.filter(submission=obj).select_related("actor").order_by("created_at", "pk")
        return {
            "entry": entry,
            "show_contacts": rules.reads_every_entry(request.user),
            "hide_org": reviews.hides_org(request.user, entry),
            "history": history,
            "reviews": reviews.visible_reviews(request.user, obj),
            "criteria": list(obj.campaign.criteria.all()),
            "assignments": obj.assignments.select_related("reviewer").order_by("stage", "pk"),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if rules.reads_assigned_only(request.user):
            obj = self._entry(request, object_id)
            stage = reviews.round_to_open(request.user, obj)
            if stage is None:
                raise PermissionDenied
            return redirect("admin:submissions_submission_score", obj.pk, stage)
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            moves = workflow.allowed_moves(obj, request.user) if self.has_workflow_permission(request) else []
            entry = self.entry_context(request, obj)
            extra_context = {
                **entry,
                **screening.context(request, entry["entry"]),  # 资格审查与推荐, where the campaign screens
                **(workbench.context(request, obj, moves) if self.has_workflow_permission(request) else {}),
                "moves": moves,
                "message_required": workflow.MESSAGE_REQUIRED,
                **self.overlap_context(request, obj),
                **(extra_context or {}),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def overlap_context(self, request, obj):
        """The overlap report's panel (submissions/overlap/panel.py): links to other entries for the newsroom only."""
        return {"overlap": overlap_panel.report_for(obj, editor=not rules.reads_assigned_only(request.user))}

    def transition_view(self, request, object_id):
        if request.method != "POST":
            return redirect("admin:submissions_submission_change", object_id)
        if not self.has_workflow_permission(request):
            raise PermissionDenied
        return workbench.move_and_assign(request, self._entry(request, object_id))  # one unit: both or neither

    def _workbench_post(self, request, object_id):
        if not self.has_workflow_permission(request):
            raise PermissionDenied
        return self._entry(request, object_id)

    def assign_view(self, request, object_id):
        if request.method != "POST":
            return redirect("admin:submissions_submission_change", object_id)
        return workbench.assign_view(request, self._workbench_post(request, object_id))

    def body_view(self, request, object_id):
        """An editor puts the entry with another recommending body (the panel's small form)."""
        if request.method != "POST":
            return redirect("admin:submissions_submission_change", object_id)
        if not screening.may_assign_body(request.user):
            raise PermissionDenied
        entry = self._entry(request, object_id)
        screening.assign_body(request, entry)
        return workbench.back(request, entry)

    def unassign_view(self, request, object_id, assignment_id):
        if request.method != "POST":
            return redirect("admin:submissions_submission_change", object_id)
        return workbench.unassign_view(request, self._workbench_post(request, object_id), assignment_id)

    def remind_view(self, request, object_id):
        if request.method != "POST":
            return redirect("admin:submissions_submission_change", object_id)
        return workbench.remind_view(request, self._workbench_post(request, object_id))

    def remind_waiting_view(self, request):
        if request.method != "POST" or not self.has_workflow_permission(request):
            raise PermissionDenied
        return workbench.remind_waiting_view(request)

    def score_view(self, request, object_id, stage):
        obj = self._entry(request, object_id)
        assignment = reviews.assignment(request.user, obj.pk, stage)
        if assignment is None or not request.user.has_perm(rules.SCORE, assignment):
            raise PermissionDenied
        review = reviews.own_review(request.user, obj, stage)
        criteria = obj.campaign.criteria.order_by("order", "pk")
        form = ScoreForm(request.POST or None, criteria=criteria, review=review)
        is_open = reviews.scoring_open(obj)
        if request.method == "POST" and not is_open:
            form.add_error(None, _("该作品当前为“%(status)s”，评分已结束。") % {"status": obj.get_status_display()})
        if request.method == "POST" and is_open and form.is_valid():
            reviews.save_review(obj, request.user, stage, form.scores(), form.cleaned_data["comment"])
            messages.success(request, _("已保存对 %(entry)s 的评分。") % {"entry": reviews.entry_label(request.user, obj)})
            if "save_next" in request.POST:
                return redirect("admin:submissions_submission_next_unscored")
            return redirect("admin:submissions_submission_score", obj.pk, stage)
        context = {
            **self.admin_site.each_context(request),
            **self.entry_context(request, obj),
            "title": _("评分：%(entry)s") % {"entry": reviews.entry_label(request.user, obj)},
            "opts": self.opts,
            "original": obj,
            "form": form,
            "stage": Stage(stage),
            "review": review,
            "scoring_open": is_open,
            "next_pending": reviews.next_unscored(request.user, exclude=assignment),
            **self.overlap_context(request, obj),
        }
        return TemplateResponse(request, "admin/submissions/submission/score.html", context)

    def history_view(self, request, object_id, extra_context=None):
        if rules.reads_assigned_only(request.user):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One past version, read only for everyone: simple_history would otherwise show an
        editable form and save a post (around the workflow, outside a transaction)."""
        if rules.reads_assigned_only(request.user) or request.method != "GET":
            raise PermissionDenied
        request.history_read_only = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "history_read_only", False):
            return [name for _title, options in self.get_fieldsets(request, obj) for name in options["fields"]]
        return super().get_readonly_fields(request, obj)

    def next_unscored_view(self, request):
        pending = reviews.next_unscored(request.user)
        if pending is None:
            messages.info(request, _("分派给您的作品都已评分，谢谢！"))
            return redirect("admin:submissions_submission_changelist")
        return redirect("admin:submissions_submission_score", pending.submission_id, pending.stage)

    def export_view(self, request, fmt):
        """The entries the list currently shows (its filters and search), as .xlsx or .csv."""
        if not self.has_export_permission(request) or fmt not in ("xlsx", "csv"):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
        return actions.xlsx_response(queryset, request) if fmt == "xlsx" else actions.csv_response(queryset)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "is_reviewer_only": rules.reads_assigned_only(request.user),
            "can_export": self.has_export_permission(request),
            "query_string": request.GET.urlencode(),
            # The ranking: scored entries by weighted average, best first.
            "rank_query": f"score_band=scored&o=-{self.get_list_display(request).index('score_display') + 1}",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)
