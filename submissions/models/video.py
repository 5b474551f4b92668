import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models.showcase import Showcase
from submissions.models.status import LIVE
from submissions.models.submission import Submission


def video_path(instance, filename):
    """A random name, like a photo's: the name tells nothing and cannot be guessed."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"videos/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}"


class VideoQuerySet(models.QuerySet):
    def live(self):
        """The converted videos of the articles readers may see (Showcase.objects.live())."""
        return self.filter(state=VideoState.READY, showcase__state__in=LIVE)


class VideoState(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    PROCESSING = "processing", _("转码中")
    READY = "ready", _("可播放")
    FAILED = "failed", _("转码失败")


class Video(models.Model):
    """A short clip of an entry (the submitter's or a reporter's), shown in its article once converted.

    `state` is the processing state of a file (uploaded → processing → ready / failed), not a
    workflow step: no move, permission or notice hangs on it, so it does not go through
    submissions.workflow.transition(). It is written only by submissions/video/services.py and
    its task. The original upload is kept only until it is converted (then deleted); what is
    shown is the MP4 and its poster, under random names like a photo's.
    """

    State = VideoState

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="videos", verbose_name=_("所属作品"))
    showcase = models.ForeignKey(
        Showcase,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="videos",
        verbose_name=_("所在文章"),
        help_text=_("视频放在哪篇文章里；留空则不在文章中显示。"),
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    caption = models.CharField(_("视频说明"), max_length=100, blank=True)
    state = models.CharField(
        _("处理状态"), max_length=12, choices=VideoState.choices, default=VideoState.UPLOADED, editable=False
    )
    original = models.FileField(_("原始文件"), upload_to=video_path, blank=True, editable=False)
    # Indexed: the media view finds a video by the stored name asked for (submissions/views/media.py).
    mp4 = models.FileField(_("视频"), upload_to=video_path, blank=True, editable=False, db_index=True)
    poster = models.FileField(_("封面"), upload_to=video_path, blank=True, editable=False, db_index=True)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    duration = models.FloatField(_("时长（秒）"), default=0, editable=False)
    size = models.PositiveBigIntegerField(_("原始大小"), default=0, editable=False)
    error = models.CharField(_("失败原因"), max_length=300, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # When a worker took it to convert: a conversion claimed longer ago than the task's timeout was
    # left by a worker that died, and the task run again takes it over.
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    converted_at = models.DateTimeField(_("转码完成时间"), null=True, blank=True, editable=False)

    objects = VideoQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "order", "pk"]
        verbose_name = _("视频")
        verbose_name_plural = _("视频")
        indexes = [models.Index(fields=["showcase", "state", "order"], name="video_showcase_state")]

    def __str__(self):
        return self.caption or f"#{self.pk}"
