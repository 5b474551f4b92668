from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from submissions.admin.listing import QuickActionCheckbox
from submissions.admin.readonly import ReadOnlyAdmin
from submissions.models import NotificationTemplate, OutboxMessage, SiteSettings
from submissions.platform import mail, mailtemplates, tasks


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["site_name", "publisher", "icp_number", "phone"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a bare host means https://

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class NotificationTemplateForm(forms.ModelForm):
    """Subject and body may use only the event's placeholders (submissions/platform/mailtemplates.py)."""

    class Meta:
        model = NotificationTemplate
        fields = ["description", "subject", "body"]

    def _checked(self, name):
        value = self.cleaned_data.get(name, "")
        found = mailtemplates.problems(value, self.instance.event)
        if found:
            raise forms.ValidationError(found)
        return value

    def clean_subject(self):
        return self._checked("subject")

    def clean_body(self):
        return self._checked("body")


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    form = NotificationTemplateForm
    list_display = ["event", "description", "subject", "updated_at"]
    fields = ["event", "description", "placeholders", "subject", "body"]
    readonly_fields = ["event", "placeholders"]

    @admin.display(description=_("可用占位符"))
    def placeholders(self, obj):
        rows = format_html_join("", "<li><code>{}</code> {}</li>", mailtemplates.help_text(obj.event if obj else ""))
        note = gettext("标题和正文中只能使用以下占位符，原样写出（含两侧花括号）；不支持其他标签或过滤器。")
        return format_html('<p>{}</p><ul class="portal-placeholders">{}</ul>', note, rows)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("立即重新发送所选邮件"), permissions=["view"])
def resend(modeladmin, request, queryset):
    """Queue the selected messages for a worker now, past their backoff (never sent in the request)."""
    pks = list(queryset.exclude(state=OutboxMessage.State.SENT).values_list("pk", flat=True))
    for pk in pks:
        tasks.enqueue_on_commit(mail.send, pk, force=True)
    messages.info(request, gettext("已将 %(count)d 封邮件加入发送队列。") % {"count": len(pks)})


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin, QuickActionCheckbox, admin.ModelAdmin):  # the outbox is the record of every mail
    list_display = ["created_at", "event", "to", "subject", "state", "attempts", "sent_at", "next_attempt_at", "error"]
    list_filter = ["state", "event"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    list_select_related = ["submission"]
    actions = [resend]
    show_full_result_count = False

    @admin.display(description=_("最近错误"))
    def error(self, obj):
        return obj.last_error[:80]
