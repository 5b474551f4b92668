"""Reviews and assignments in the admin. Scores are entered on the entry's scoring page
(SubmissionAdmin.score_view), so that the entry's average stays right; here they are read."""

from django.contrib import admin

from submissions import reviews
from submissions.admin.bounded import BoundedInline
from submissions.admin.listing import QuickActionCheckbox
from submissions.models import Review, ReviewAssignment, ReviewScore


class ReviewScoreInline(BoundedInline, admin.TabularInline):
    model = ReviewScore
    extra = 0
    fields = ["criterion", "score"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(QuickActionCheckbox, admin.ModelAdmin):
    list_display = ["submission", "reviewer", "stage", "total", "created_at"]
    list_filter = ["stage"]
    list_select_related = ["submission", "reviewer"]
    readonly_fields = ["submission", "reviewer", "stage", "comment", "total", "created_at"]
    fields = readonly_fields
    inlines = [ReviewScoreInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if reviews.is_reviewer_only(request.user):
            return queryset.filter(reviewer=request.user)
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "stage", "assigned_by", "assigned_at"]
    list_filter = ["stage", "reviewer"]
    list_select_related = ["submission", "reviewer", "assigned_by"]
    raw_id_fields = ["submission"]
    fields = ["submission", "reviewer", "stage"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            from submissions.forms.review import AssignReviewersForm

            kwargs["queryset"] = AssignReviewersForm().fields["reviewers"].queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)
