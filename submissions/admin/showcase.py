from django.contrib import admin

from submissions.models import Comment, RelatedLink, Showcase, ShowcasePhoto, ShowcaseSection


class SectionInline(admin.StackedInline):
    model = ShowcaseSection
    extra = 0


class PhotoInline(admin.TabularInline):
    model = ShowcasePhoto
    extra = 0
    raw_id_fields = ["photo"]


class LinkInline(admin.TabularInline):
    model = RelatedLink
    extra = 0


@admin.register(Showcase)
class ShowcaseAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "responsible_editor", "signed_off_by", "published_at"]
    list_filter = ["state", "campaign"]
    search_fields = ["title"]
    list_select_related = ["responsible_editor", "signed_off_by"]
    inlines = [SectionInline, PhotoInline, LinkInline]
    raw_id_fields = ["submission"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["showcase", "name", "state", "created_at"]
    list_filter = ["state"]
    list_select_related = ["showcase"]
