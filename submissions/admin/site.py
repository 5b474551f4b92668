from django.contrib import admin, messages
from django.db import models
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from submissions import roles, tasks
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
        from submissions.admin.dashboard import dashboard_view

        view = site.admin_view(lambda request: dashboard_view(request, site))
        return [path("dashboard/", view, name="dashboard"), *original_get_urls()]

    site.get_urls = get_urls


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
    """Queue the selected messages for a worker now, past their backoff (never sent in the request)."""
    pks = list(queryset.exclude(state=OutboxMessage.State.SENT).values_list("pk", flat=True))
    for pk in pks:
        tasks.enqueue_on_commit(tasks.send_message, pk, force=True)
    messages.info(request, gettext("已将 %(count)d 封邮件加入发送队列。") % {"count": len(pks)})


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
