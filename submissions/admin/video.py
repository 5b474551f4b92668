"""Videos in the admin: the upload page (editors), and each video's caption, order and article.

The upload is bounded before it is read: the request's declared length is checked before the
CSRF check or the form read a byte of the body (the view is exempt from the middleware's check
and makes it itself, after the length), then the file is probed (submissions/video/forms.py)
and only then kept and queued for conversion (submissions/video/services.py).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.models import Submission, Video
from submissions.platform import bodies
from submissions.platform.video import limits
from submissions.video import forms, services

FORM_OVERHEAD = 64 * 1024  # the form's other fields and the multipart boundaries, beyond the file


def max_post_bytes():
    return limits.current().max_bytes + FORM_OVERHEAD


def _player(obj):
    if obj.state != Video.State.READY or not obj.mp4:
        return obj.get_state_display()
    return format_html(
        '<video class="admin-video" controls playsinline preload="none" poster="{}" src="{}" width="320"></video>',
        obj.poster.url if obj.poster else "",
        obj.mp4.url,
    )


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "submission", "showcase", "state", "duration", "created_at"]
    list_filter = ["state"]
    list_select_related = ["submission", "showcase"]
    raw_id_fields = ["submission", "showcase"]
    fields = ["player", "submission", "showcase", "caption", "order", "state", "error"]
    # showcase: the entry's own article only (forms.VideoChangeForm)
    readonly_fields = ["player", "submission", "state", "error"]
    search_fields = ["caption", "submission__reference", "submission__org_name"]
    form = forms.VideoChangeForm

    def get_urls(self):
        view = bodies.bounded(max_post_bytes)(self.upload_view)  # the body unread when over; CSRF checked in the view
        upload = self.admin_site.admin_view(view)
        return [path("add/", upload, name="submissions_video_add"), *super().get_urls()]

    @admin.display(description=gettext_lazy("视频"))
    def player(self, obj):
        return _player(obj)

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        entry = request.GET.get("submission", "")
        initial = {"submission": self._reference(entry)} if entry else {}
        if request.method != "POST":
            return self._page(request, forms.VideoUploadForm(initial=initial))
        if bodies.declared_length(request) > max_post_bytes():
            return self._page(request, forms.too_big(initial), status=413)  # the body is not read
        refused = bodies.csrf_refusal(request)
        if refused is not None:
            return refused
        form = forms.VideoUploadForm(request.POST, request.FILES)
        if not form.is_valid():  # nothing is kept of a refused file
            return self._page(request, form, status=400)
        data = form.cleaned_data
        services.accept(
            data["file"], submission=data["submission"], showcase=form.article(), caption=data["caption"], actor=request.user
        )
        messages.success(request, _("视频已上传，正在后台转码，完成后即可在文章中播放。"))
        return redirect(reverse("admin:submissions_video_changelist") + f"?submission__id__exact={data['submission'].pk}")

    @staticmethod
    def _reference(value):
        entry = Submission.objects.filter(pk=value).values_list("reference", flat=True).first() if value.isdigit() else None
        return entry or value

    def _page(self, request, form, status=200):
        context = {
            **self.admin_site.each_context(request),
            "title": _("上传视频"),
            "form": form,
            "opts": self.opts,
            "max_bytes": limits.current().max_bytes,
        }
        return TemplateResponse(request, "admin/submissions/video/upload.html", context, status=status)
