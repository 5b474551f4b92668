from django.contrib import admin, messages
from django.db import models
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from submissions import notifications, roles
from submissions.admin.listing import QuickActionCheckbox
from submissions.models import NotificationTemplate, OutboxMessage, SiteSettings


def configure_admin_site(site):
    """Chinese titles, and only people with a newsroom role (or superusers) get in."""
    site.site_header = _("党建品牌征集 · 编辑部后台")
    site.site_title = _("编辑部后台")
    site.index_title = _("工作台")

    def has_permission(request):
        user = request.user
        return bool(user.is_active and user.is_staff and roles.roles_of(user))

    site.has_permission = has_permission

    original_get_urls = site.get_urls

    def get_urls():
        from submissions.admin import queues
        from submissions.admin.dashboard import dashboard_view

        wrap = site.admin_view
        return [
            path("dashboard/", wrap(lambda request: dashboard_view(request, site)), name="dashboard"),
            path("queue/<slug:name>/", wrap(lambda request, name: queues.queue_view(request, site, name)), name="queue"),
            path("queue/<slug:name>/next/", wrap(lambda request, name: queues.next_view(request, site, name)), name="queue_next"),
            *original_get_urls(),
        ]

    site.get_urls = get_urls

    # The first page: each role's waiting work above the models, ordered by the work.
    site.index_template = "admin/queues_index.html"
    original_index = site.index

    def index(request, extra_context=None):
        from submissions.admin import queues

        return original_index(request, {"queues": queues.summary(request.user), **(extra_context or {})})

    site.index = index

    original_app_list = site.get_app_list

    def get_app_list(request, app_label=None):
        apps = original_app_list(request, app_label)
        for app in apps:
            app["models"].sort(
                key=lambda m: (MODEL_ORDER.index(m["object_name"]) if m["object_name"] in MODEL_ORDER else 99, m["name"])
            )
        return sorted(apps, key=lambda a: 0 if a["app_label"] == "submissions" else 1)

    site.get_app_list = get_app_list


# The admin's index and sidebar, in the order of the work: entries, reviews, articles, comments,
# then campaigns, settings and the outbox.
MODEL_ORDER = [
    "Submission",
    "ReviewAssignment",
    "Review",
    "ReviewerProfile",
    "Showcase",
    "Comment",
    "Campaign",
    "Region",
    "SiteSettings",
    "NotificationTemplate",
    "OutboxMessage",
]


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["site_name", "publisher", "icp_number", "phone"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a bare host means https://

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    list_display = ["event", "description", "subject", "updated_at"]
    readonly_fields = ["event"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("立即重新发送所选邮件"), permissions=["view"])
def resend(modeladmin, request, queryset):
    sent = failed = 0
    for pk in queryset.exclude(state=OutboxMessage.State.SENT).values_list("pk", flat=True):
        if notifications.send(pk):
            sent += 1
        else:
            failed += 1
    messages.info(request, gettext("已发送 %(sent)d 封，仍失败 %(failed)d 封。") % {"sent": sent, "failed": failed})


@admin.register(OutboxMessage)
class OutboxMessageAdmin(QuickActionCheckbox, admin.ModelAdmin):
    list_display = ["created_at", "event", "to", "subject", "state", "attempts", "sent_at", "next_attempt_at", "error"]
    list_filter = ["state", "event"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    list_select_related = ["submission"]
    actions = [resend]
    show_full_result_count = False

    @admin.display(description=_("最近错误"))
    def error(self, obj):
        return obj.last_error[:80]

    def has_delete_permission(self, request, obj=None):
        return False  # the outbox is the record of every mail

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
