from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from submissions import roles
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


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["site_name", "publisher", "icp_number", "phone"]

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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "to", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "event"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    list_select_related = ["submission"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
