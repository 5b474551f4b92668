from django.contrib import admin

from submissions.admin.bounded import BoundedInline
from submissions.models import Campaign, Criterion, Region


class CriterionInline(BoundedInline, admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "column_name", "mailbox"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CriterionInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "code", "order"]
    list_filter = ["province"]
