"""The overlap share in the entries list: a column with a mark above the campaign's threshold,
a filter, and the annotation both need (one join, no text loaded)."""

from django.contrib import admin
from django.db.models import ExpressionWrapper, F, FloatField, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


def annotate(queryset):
    return queryset.annotate(overlap_share=F("overlap__share"), overlap_threshold=F("campaign__overlap_threshold"))


def _flagged():
    return Q(overlap__share__gte=ExpressionWrapper(F("campaign__overlap_threshold") / 100.0, output_field=FloatField()))


class OverlapShareFilter(admin.SimpleListFilter):
    title = _("文字复制比")
    parameter_name = "overlap"
    CHOICES = {
        "flagged": (_("达到警示线"), _flagged),
        "some": (_("有重合"), lambda: Q(overlap__share__gt=0)),
        "none": (_("无重合"), lambda: Q(overlap__share=0)),
        "pending": (_("尚未检测"), lambda: Q(overlap__isnull=True) | Q(overlap__share__isnull=True)),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _q) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        choice = self.CHOICES.get(self.value())
        return queryset.filter(choice[1]()) if choice else queryset


class OverlapColumn:
    """ModelAdmin mixin: the 复制比 column (the queryset is annotate()d)."""

    @admin.display(description=_("复制比"), ordering="overlap_share")
    def overlap_display(self, obj):
        share = getattr(obj, "overlap_share", None)
        if share is None:
            return "—"
        percent = round(share * 100, 1)
        if obj.overlap_threshold is not None and percent >= obj.overlap_threshold:
            return format_html('<span class="overlap-flag" title="{}">⚠ {}%</span>', _("达到警示线"), percent)
        return f"{percent}%"
