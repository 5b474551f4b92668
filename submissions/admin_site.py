"""The newsroom's admin site: Chinese titles, only people with a newsroom role get in, and the
editors' own screens (the dashboard, the mailbox intake) mounted inside it.

It is the project's default admin site (`submissions.apps.PortalAdminConfig` in INSTALLED_APPS),
so `admin.site` and every `@admin.register` are this site. It lives outside the
submissions.admin package on purpose: resolving the default site must not import the modules
that register models on it.
"""

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from submissions.intake.views import mail_entry as intake
from submissions.workflow import rules

# The admin's index and sidebar, in the order of the work: entries (and the mailbox entries
# waiting to become one), reviews, the public vote, the 公示 and its objections, certificates,
# articles, comments, then campaigns, settings, the outbox and the export jobs.
MODEL_ORDER = [
    "Submission",
    "MailboxMessage",
    "RecommendingBody",
    "EligibilityCheck",
    "Recommendation",
    "ReviewAssignment",
    "Review",
    "ReviewerProfile",
    "VoteSettings",
    "Vote",
    "PublicNotice",
    "Objection",
    "Interview",
    "CommentaryRequest",
    "Expert",
    "Certificate",
    "Showcase",
    "Video",
    "Comment",
    "Campaign",
    "Region",
    "SiteSettings",
    "NotificationTemplate",
    "OutboxMessage",
    "ExportJob",
]


class PortalAdminSite(admin.AdminSite):
    site_header = _("党建品牌征集 · 编辑部后台")
    site_title = _("编辑部后台")
    index_title = _("工作台")

    def has_permission(self, request):
        return rules.in_newsroom(request.user)

    # The first page: each role's waiting work above the models, ordered by the work.
    index_template = "admin/queues_index.html"

    def index(self, request, extra_context=None):
        from submissions.admin import queues  # inside: the admin package registers its models on this very site

        return super().index(request, {"queues": queues.summary(request.user), **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["models"].sort(
                key=lambda m: (MODEL_ORDER.index(m["object_name"]) if m["object_name"] in MODEL_ORDER else 99, m["name"])
            )
        return sorted(apps, key=lambda a: 0 if a["app_label"] == "submissions" else 1)

    def get_urls(self):
        from submissions.admin import queues  # inside: the admin package registers its models on this very site
        from submissions.admin.dashboard import dashboard_view  # inside: as above

        wrap = self.admin_view
        return [
            path("dashboard/", wrap(lambda request: dashboard_view(request, self)), name="dashboard"),
            path("queue/<slug:name>/", wrap(lambda request, name: queues.queue_view(request, self, name)), name="queue"),
            path("queue/<slug:name>/next/", wrap(lambda request, name: queues.next_view(request, self, name)), name="queue_next"),
            # The intake answers for itself: to the login page when signed out, 403 without the permission.
            path("intake/", intake.entry, name="intake"),
            path("r/<path:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site), name="view_on_site"),
            *super().get_urls(),
        ]

    def autocomplete_view(self, request):
        """Not for reviewers: no form of theirs has an autocomplete field, and its answer names each
        entry they are assigned as str() does, with the organization (blind review)."""
        if rules.reads_assigned_only(request.user):
            raise PermissionDenied
        return super().autocomplete_view(request)

    def view_on_site(self, request, content_type_id, object_id):
        """The admin's "view on site" link (/admin/r/<ct>/<id>/), for objects this user may view in
        the admin only: Django's own resolves any object for any staff member, so a reviewer learnt
        an unpublished article's address. Anything else is a 404. (Shadows Django's, listed first.)"""
        if not str(content_type_id).isdigit() or not str(object_id).isdigit():
            raise Http404
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model_admin = self._registry.get(content_type.model_class() if content_type else None)
        if model_admin is None:
            raise Http404
        obj = model_admin.get_queryset(request).filter(pk=object_id).first()
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)
