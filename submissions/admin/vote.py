"""The public vote in the admin: its settings per campaign, the standings with the final score, and
the audit log of every vote, where held votes are accepted or rejected in bulk.

Thin: decisions go through submissions.vote.services.decide (who decided and when is kept on each
vote), the standings come from its selectors. Who may decide is the permission authority's answer
("submissions.moderate_vote": editors and chief editors); reviewers see nothing of the vote.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.models import Vote, VoteSettings
from submissions.vote import selectors, services

MODERATE = "submissions.moderate_vote"


@admin.register(VoteSettings)
class VoteSettingsAdmin(admin.ModelAdmin):
    list_display = ["campaign", "enabled", "opens_at", "closes_at", "weight", "daily_cap", "standings_link", "public_link"]
    list_select_related = ["campaign"]
    fields = ["campaign", "enabled", "opens_at", "closes_at", "weight", "daily_cap"]

    def has_delete_permission(self, request, obj=None):
        return False  # turned off, never deleted: the votes keep pointing at the campaign

    def save_model(self, request, obj, form, change):
        services.save_settings(obj)

    @admin.display(description=gettext_lazy("排名与最终得分"))
    def standings_link(self, obj):
        url = reverse("admin:submissions_votesettings_standings", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("查看"))

    @admin.display(description=gettext_lazy("投票页面"))
    def public_link(self, obj):
        url = reverse("vote:board", args=[obj.campaign.slug])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/standings/", wrap(self.standings_view), name="submissions_votesettings_standings"),
            *super().get_urls(),
        ]

    def standings_view(self, request, pk):
        """The standing entries: experts' score, counted and held votes, vote share, final score."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        vote_settings = get_object_or_404(VoteSettings.objects.select_related("campaign"), pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(campaign)s：网络投票排名") % {"campaign": vote_settings.campaign},
            "opts": self.opts,
            "original": vote_settings,
            "vote": vote_settings,
            "rows": selectors.standings(vote_settings),
            "held_url": reverse("admin:submissions_vote_changelist")
            + f"?campaign__id__exact={vote_settings.campaign_id}&state=held",
        }
        return TemplateResponse(request, "admin/submissions/vote/standings.html", context)


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["created_at", "entry", "state", "reason_labels", "voter_short", "network_short", "decided_by", "decided_at"]
    list_filter = ["state", "campaign", "day"]
    list_select_related = ["entry", "decided_by"]
    readonly_fields = [
        "campaign",
        "entry",
        "voter",
        "day",
        "created_at",
        "address",
        "network",
        "agent",
        "device",
        "state",
        "reason_labels",
        "decided_by",
        "decided_at",
    ]
    fields = readonly_fields
    actions = ["accept", "reject"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # votes come from the public page only

    def has_change_permission(self, request, obj=None):
        return False  # decided by the actions below, never edited

    def has_delete_permission(self, request, obj=None):
        return False  # the audit log keeps every vote

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE)

    @admin.display(description=gettext_lazy("标记原因"))
    def reason_labels(self, obj):
        return "；".join(str(services.REASONS.get(reason, reason)) for reason in obj.reasons) or "—"

    @admin.display(description=gettext_lazy("投票人"))
    def voter_short(self, obj):
        return obj.voter[:10]

    @admin.display(description=gettext_lazy("网段"))
    def network_short(self, obj):
        return obj.network[:10]

    def _decide(self, request, queryset, accept):
        count = services.decide(queryset, request.user, accept=accept)
        skipped = queryset.count() - count
        text = _("已通过 %(n)s 票。") if accept else _("已驳回 %(n)s 票。")
        messages.success(request, text % {"n": count})
        if skipped > 0:
            messages.warning(request, _("%(n)s 票不是待审核状态，未作改动。") % {"n": skipped})

    @admin.action(description=gettext_lazy("审核通过所选投票（计入票数）"), permissions=["moderate"])
    def accept(self, request, queryset):
        self._decide(request, queryset, accept=True)

    @admin.action(description=gettext_lazy("审核不通过所选投票（不计票）"), permissions=["moderate"])
    def reject(self, request, queryset):
        self._decide(request, queryset, accept=False)
