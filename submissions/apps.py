from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("品牌征集")

    def ready(self):
        # Imported here, not at the top: these modules import the models, which exist only once the apps are loaded.
        from submissions.platform import pagecache, people, public_media, search

        pagecache._connect()
        search._connect()
        public_media._connect()

        from submissions.platform.search import entries

        entries.connect()
        people.install()

        from submissions.overlap import hooks

        hooks.connect()  # its signals, and the workflow's "overlap" effect

        from portal import db_session

        db_session.register()  # behind PgBouncer: the statement timeout is the database's default (portal.E001)

        from submissions.notice import hooks as notice_hooks

        notice_hooks.connect()  # the workflow's "objection_mail" effect

        from submissions.interview import hooks as interview_hooks

        interview_hooks.connect()  # the workflow's "interview_mail" effect

        from submissions.results import hooks as results_hooks

        results_hooks.connect()  # the workflow's "certificate_pdf" effect, the signing key's deploy check

        from submissions.video import hooks as video_hooks

        video_hooks.connect()  # a deleted video's files

        from submissions.experts import hooks as expert_hooks

        expert_hooks.connect()  # the workflow's "commentary_mail" effect; an expert's details bump the page cache

        from submissions.brands import hooks as brand_hooks

        brand_hooks.connect()  # the workflow's "brand" effect

        # The task modules (docs/tasks.md): each declares its periodic tasks when imported, so every
        # process, the worker's schedules above all, knows them all. Here, not at the top: they import the models.
        from submissions.column import tasks as column_tasks  # noqa: F401
        from submissions.experts import tasks as expert_tasks  # noqa: F401
        from submissions.intake import tasks as intake_tasks  # noqa: F401
        from submissions.management import tasks as command_tasks  # noqa: F401
        from submissions.newsroom import tasks as newsroom_tasks  # noqa: F401
        from submissions.notice import tasks as notice_tasks  # noqa: F401
        from submissions.overlap import tasks as overlap_tasks  # noqa: F401
        from submissions.platform import mail  # noqa: F401
        from submissions.review import tasks as review_tasks  # noqa: F401
        from submissions.vote import tasks as vote_tasks  # noqa: F401
        from submissions.workflow import effects

        effects.check()  # last: every declared effect of a move has its one handler by now


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the newsroom's site as the default one (submissions.admin_site)."""

    default = False  # named in INSTALLED_APPS; the app's own config is SubmissionsConfig
    default_site = "submissions.admin_site.PortalAdminSite"
