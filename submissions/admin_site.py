"""The newsroom's admin site: Chinese titles, only people with a newsroom role get in, and the
editors' own screens (the dashboard, the mailbox intake) mounted inside it.

It is the project's default admin site (`submissions.apps.PortalAdminConfig` in INSTALLED_APPS),
so `admin.site` and every `@admin.register` are this site. It lives outside the
submissions.admin package on purpose: resolving the default site must not import the modules
that register models on it.
"""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from submissions import roles


class PortalAdminSite(admin.AdminSite):
    site_header = _("党建品牌征集 · 编辑部后台")
    site_title = _("编辑部后台")
    index_title = _("工作台")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_staff and roles.roles_of(user))

    def get_urls(self):
        from submissions.admin.dashboard import dashboard_view
        from submissions.views import intake

        return [
            path("dashboard/", self.admin_view(lambda request: dashboard_view(request, self)), name="dashboard"),
            # The intake answers for itself: to the login page when signed out, 403 without the permission.
            path("intake/", intake.entry, name="intake"),
            *super().get_urls(),
        ]
