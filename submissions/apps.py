from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("品牌征集")

    def ready(self):
        from submissions import pagecache, people

        pagecache._connect()
        people.install()
