"""The upload form: a clip judged by its content (platform.video.probe) before anything is kept."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from submissions.models import Submission, Video
from submissions.platform import video
from submissions.platform.video import limits

ACCEPT = "video/mp4,video/quicktime,video/3gpp,video/webm,.mp4,.mov,.3gp,.m4v,.webm"


def max_megabytes():
    return limits.current().max_bytes // (1024 * 1024)


class EntryField(forms.CharField):
    """An entry by its reference (报送编号) or its number."""

    def clean(self, value):
        value = super().clean(value).strip()
        found = Submission.objects.filter(reference=value).first()
        if found is None and value.isdigit() and len(value) < 12:
            found = Submission.objects.filter(pk=int(value)).first()
        if found is None:
            raise ValidationError(_("找不到该作品，请填写报送编号。"), code="no_entry")
        return found


class VideoUploadForm(forms.Form):
    submission = EntryField(label=_("所属作品"), max_length=20, help_text=_("报送编号，如 2026-0001。"))
    in_article = forms.BooleanField(label=_("放入该作品的文章"), required=False, initial=True)
    caption = forms.CharField(label=_("视频说明"), max_length=100, required=False)
    file = forms.FileField(label=_("视频文件"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        self.fields["file"].help_text = _(
            "手机拍摄的 MP4、MOV、3GP 或 WebM 视频，不超过 %(mb)s MB、%(seconds)s 秒；上传后在后台转码，完成后即可播放。"
        ) % {"mb": max_megabytes(), "seconds": int(limits.current().max_seconds)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = video.probe(upload)  # size, first bytes, ffprobe and one reading pass; ValidationError in Chinese
        upload.seek(0)
        return upload

    def article(self):
        """The entry's article the clip goes in, when asked and there is one."""
        entry = self.cleaned_data["submission"]
        if not self.cleaned_data.get("in_article"):
            return None
        return getattr(entry, "showcase", None)


class VideoChangeForm(forms.ModelForm):
    """A video's caption, order and article in the admin: only its own entry's article."""

    class Meta:
        model = Video
        fields = ["showcase", "caption", "order"]

    def clean_showcase(self):
        article = self.cleaned_data.get("showcase")
        if article is not None and article.submission_id != self.instance.submission_id:
            raise ValidationError(_("视频只能放入其所属作品的文章。"), code="other_entry")
        return article


def too_big(data=None):
    """The form, refused by the request's declared length before a byte of the file was read."""
    form = VideoUploadForm(data=data or {}, files={})
    form.errors.clear()
    form.add_error("file", ValidationError(_("视频超过 %(mb)s MB，请剪短或压缩后再上传。") % {"mb": max_megabytes()}))
    return form
