"""Long exports in the admin: each editor's export jobs, their progress, and the download."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from submissions.models import ExportJob

EXPORT_PERM = "submissions.export_submission"


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "requested_by", "state", "progress", "finished_at", "download"]
    list_filter = ["state"]
    readonly_fields = ["requested_by", "state", "progress", "total", "done", "error", "created_at", "finished_at", "download"]
    exclude = ["file"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("requested_by").defer("entry_ids")
        return queryset if request.user.is_superuser else queryset.filter(requested_by=request.user)

    def has_module_permission(self, request):
        return request.user.has_perm(EXPORT_PERM)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(EXPORT_PERM) and (
            obj is None or obj.requested_by_id == request.user.pk or request.user.is_superuser
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    @admin.display(description=_("进度"))
    def progress(self, job):
        return f"{job.done if job.state != ExportJob.State.DONE else job.total} / {job.total} ({job.percent}%)"

    @admin.display(description=_("下载"))
    def download(self, job):
        if job.state != ExportJob.State.DONE or not job.file:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("admin:submissions_exportjob_download", args=[job.pk]), _("下载 Excel"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.download_view)
        return [path("<int:pk>/download/", view, name="submissions_exportjob_download"), *super().get_urls()]

    def download_view(self, request, pk):
        job = self.get_queryset(request).filter(pk=pk).first()
        if job is None:
            raise Http404
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        if job.state != ExportJob.State.DONE or not job.file:
            raise Http404
        response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])
        response["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return response
