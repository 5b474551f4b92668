from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("品牌征集")

    def ready(self):
        from submissions.platform import pagecache, people, public_media, search

        pagecache._connect()
        search._connect()
        public_media._connect()

        from submissions.platform.search import entries

        entries.connect()
        people.install()

        from submissions.overlap import hooks

        hooks.connect()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the newsroom's site as the default one (submissions.admin_site)."""

    default = False  # named in INSTALLED_APPS; the app's own config is SubmissionsConfig
    default_site = "submissions.admin_site.PortalAdminSite"
