"""Reviews and assignments in the admin. Scores are entered on the entry's scoring page
(SubmissionAdmin.score_view), so that the entry's average stays right; here they are read."""

from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy

from submissions.admin.bounded import BoundedInline
from submissions.admin.listing import QuickActionCheckbox
from submissions.admin.readonly import ReadOnlyAdmin
from submissions.models import Review, ReviewAssignment, ReviewerProfile, ReviewScore
from submissions.review import assignments
from submissions.review import scoring as reviews
from submissions.workflow import rules


class ReviewScoreInline(BoundedInline, admin.TabularInline):
    model = ReviewScore
    extra = 0
    fields = ["criterion", "score"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin, QuickActionCheckbox, admin.ModelAdmin):
    list_display = ["submission", "reviewer", "stage", "total", "created_at"]
    list_filter = ["stage"]
    list_select_related = ["submission", "reviewer"]
    readonly_fields = ["submission", "reviewer", "stage", "comment", "total", "created_at"]
    fields = readonly_fields
    inlines = [ReviewScoreInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if rules.reads_assigned_only(request.user):
            hidden = Q(submission__campaign__blind_review=True) & ~Q(submission__status__in=reviews.SCORING_CLOSED)
            return queryset.filter(reviewer=request.user).annotate(
                org_hidden=ExpressionWrapper(hidden, output_field=BooleanField())
            )
        return queryset

    # A reviewer reads the entry by its reference and brand: no organization under blind review.
    @admin.display(description=gettext_lazy("报送作品"))
    def entry(self, obj):
        entry = obj.submission
        return f"{entry.reference} {entry.brand_display}" if getattr(obj, "org_hidden", False) else str(entry)

    def _for_reviewer(self, request, names):
        return [("entry" if n == "submission" else n) for n in names] if rules.reads_assigned_only(request.user) else names

    def get_list_display(self, request):
        return self._for_reviewer(request, super().get_list_display(request))

    def get_list_display_links(self, request, list_display):
        return [list_display[0]]

    def get_fields(self, request, obj=None):
        return self._for_reviewer(request, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self._for_reviewer(request, super().get_readonly_fields(request, obj))


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "stage", "assigned_by", "assigned_at"]
    list_filter = ["stage", "reviewer"]
    list_select_related = ["submission", "reviewer", "assigned_by"]
    raw_id_fields = ["submission"]
    fields = ["submission", "reviewer", "stage"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            kwargs["queryset"] = assignments.reviewer_pool()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    """The affiliations (and city) a reviewer declared: automatic distribution skips such entries."""

    list_display = ["reviewer", "region", "affiliations"]
    list_select_related = ["reviewer", "region"]
    fields = ["reviewer", "region", "affiliations"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            kwargs["queryset"] = assignments.reviewer_pool()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Editors (who run the workflow and distribute the entries) keep these; no extra role permissions.
    def has_module_permission(self, request):
        return request.user.has_perm("submissions.run_workflow")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("submissions.run_workflow")

    def has_add_permission(self, request):
        return request.user.has_perm("submissions.run_workflow")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("submissions.run_workflow")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("submissions.run_workflow")
