from django.contrib import admin

from submissions.models import Review, ReviewAssignment, ReviewScore


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "stage", "total", "created_at"]
    list_filter = ["stage"]
    list_select_related = ["submission", "reviewer"]
    inlines = [ReviewScoreInline]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "stage", "assigned_at"]
    list_filter = ["stage"]
    list_select_related = ["submission", "reviewer"]
