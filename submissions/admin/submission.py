from django.contrib import admin

from submissions.models import Photo, Section, StatusChange, Submission


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["order", "caption", "image"]


class HistoryInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "actor_role", "message", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["reference", "org_name", "brand_name", "kind", "region", "status", "score", "review_count", "submitted_at"]
    list_filter = ["campaign", "status", "kind", "region", "sector"]
    search_fields = ["reference", "org_name", "brand_name", "contact_name"]
    list_select_related = ["region", "campaign"]
    readonly_fields = ["reference", "status", "submitted_at", "score", "review_count"]
    inlines = [SectionInline, PhotoInline, HistoryInline]
