from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from submissions.admin.bounded import BoundedInline
from submissions.models import Campaign, Criterion, Region, ReviewDeadline
from submissions.recommend.forms import CampaignForm

# Screening before review (submissions/recommend): its own fieldset on the campaign's page.
SCREENING_FIELDS = ["eligibility_items", "eligible_org_types", "uses_recommendation"]
# Every other field the admin edits, in the model's order (a field added to Campaign shows up by itself).
MAIN_FIELDS = [
    field.name
    for field in Campaign._meta.concrete_fields
    if field.editable and not field.auto_created and field.name not in SCREENING_FIELDS
]


class CriterionInline(BoundedInline, admin.TabularInline):
    model = Criterion
    extra = 0


class ReviewDeadlineInline(BoundedInline, admin.TabularInline):
    """Each round's due date: shown to its reviewers; those who have not scored are reminded before it
    (settings.REVIEW_REMINDER_DAYS, the remind_reviewers task)."""

    model = ReviewDeadline
    extra = 0
    max_num = len(ReviewDeadline._meta.get_field("stage").choices)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "column_name", "mailbox"]
    prepopulated_fields = {"slug": ["title"]}
    form = CampaignForm  # the checklist and the organization types as checkboxes
    fieldsets = [
        (None, {"fields": MAIN_FIELDS}),
        (_("资格审查与推荐"), {"fields": SCREENING_FIELDS}),
    ]
    inlines = [CriterionInline, ReviewDeadlineInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "code", "order"]
    list_filter = ["province"]
