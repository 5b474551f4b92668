"""The intake queue of mailbox entries (邮箱来稿): read only; an editor opens one in the intake form.

Quarantined messages (读取失败) are listed with their reason; “重新读取” reads them again from
their stored raw bytes, and the raw message downloads as an .eml file (editors and chief
editors only, with the media view's headers: no sniffing, a sandboxing CSP, never shown inline).
The list says how many are quarantined. A message from an unverified sender, or reusing an
earlier one's Message-ID, is marked.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from submissions.admin.readonly import ReadOnlyAdmin
from submissions.intake import mailbox
from submissions.models import MailboxMessage
from submissions.views.media import MEDIA_CSP

Outcome = MailboxMessage.Outcome
ENTER_ENTRIES = "submissions.add_submission"


@admin.register(MailboxMessage)
class MailboxMessageAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["subject", "sender", "fetched_at", "outcome", "marks", "open_link"]
    list_filter = ["outcome", "sender_check", "campaign"]
    search_fields = ["subject", "sender", "message_id"]
    list_select_related = ["campaign", "entry", "same_id_as__entry"]
    readonly_fields = [
        "campaign",
        "message_id",
        "sender",
        "sender_check",
        "sender_confirmed_by",
        "subject",
        "body",
        "sent_at",
        "fetched_at",
        "notes",
        "outcome",
        "failure",
        "attempts",
        "same_id_as",
        "raw_link",
        "entry",
    ]
    fields = readonly_fields
    actions = ["reject_selected", "retry_selected"]

    # Those who enter mailbox entries (/admin/intake/ asks the same permission) see the messages.
    def has_module_permission(self, request):
        return request.user.has_perm(ENTER_ENTRIES)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(ENTER_ENTRIES)

    def get_urls(self):
        raw = path("<int:pk>/raw/", self.admin_site.admin_view(self.raw_view), name="submissions_mailboxmessage_raw")
        return [raw, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        quarantined = MailboxMessage.objects.filter(outcome=Outcome.QUARANTINED).count()
        if quarantined and request.method == "GET":
            url = reverse("admin:submissions_mailboxmessage_changelist") + f"?outcome__exact={Outcome.QUARANTINED}"
            notice = gettext("有 %(count)s 封邮件读取失败（已隔离），未进入代录入队列：请查看原因，重新读取或下载原始邮件。")
            messages.warning(
                request, format_html('{} <a href="{}">{}</a>', notice % {"count": quarantined}, url, gettext("查看"))
            )
        return super().changelist_view(request, extra_context)

    def raw_view(self, request, pk):
        """The raw message as received, as a download (.eml)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        item = get_object_or_404(MailboxMessage, pk=pk)
        if not item.raw:
            raise Http404
        try:
            handle = item.raw.open("rb")
        except (OSError, ValueError):
            raise Http404
        response = FileResponse(handle, as_attachment=True, filename=f"mail-{item.pk}.eml", content_type="message/rfc822")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = MEDIA_CSP
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.display(description=_("提示"))
    def marks(self, item):
        found = []
        if item.outcome == Outcome.QUARANTINED:
            found.append(
                gettext("读取失败：%(reason)s（已读取 %(count)s 次）") % {"reason": item.failure, "count": item.attempts}
            )
        if item.sender_check != MailboxMessage.SenderCheck.PASSED and not item.sender_confirmed_by_id:
            found.append(gettext("发件人未验证"))
        label = mailbox.same_id_label(item)
        if label:
            found.append(label)
        return format_html_join("", "<div>{}</div>", ((text,) for text in found)) or "—"

    @admin.display(description=_("原始邮件"))
    def raw_link(self, item):
        if not item.raw:
            return "—"
        url = reverse("admin:submissions_mailboxmessage_raw", args=[item.pk])
        return format_html('<a href="{}" download>{}</a>', url, gettext("下载原始邮件（.eml）"))

    @admin.display(description=_("操作"))
    def open_link(self, item):
        if item.outcome == Outcome.QUARANTINED:
            return self.raw_link(item)
        if item.outcome != Outcome.PENDING:
            if item.entry_id:
                return format_html(
                    '<a href="{}">{}</a>', reverse("admin:submissions_submission_change", args=[item.entry_id]), item.entry
                )
            return "—"
        return format_html(
            '<a class="button" href="{}?mail={}">{}</a>', reverse("admin:intake"), item.pk, gettext("打开并代录入")
        )

    @admin.action(description=_("拒收所选邮箱来稿"))
    def reject_selected(self, request, queryset):
        count = 0
        for item in queryset.filter(outcome__in=[Outcome.PENDING, Outcome.QUARANTINED]):
            mailbox.reject(item, request.user)
            count += 1
        messages.success(request, gettext("已拒收 %(count)s 封邮箱来稿。") % {"count": count})

    @admin.action(description=_("重新读取所选的读取失败邮件"))
    def retry_selected(self, request, queryset):
        read = failed = 0
        for item in queryset.filter(outcome=Outcome.QUARANTINED):
            if mailbox.retry(item):
                read += 1
            else:
                failed += 1
        if read:
            messages.success(request, gettext("已重新读取 %(count)s 封邮件，已进入代录入队列。") % {"count": read})
        if failed:
            messages.warning(request, gettext("%(count)s 封邮件仍读取失败，原因已更新。") % {"count": failed})
        if not read and not failed:
            messages.info(request, gettext("所选邮件中没有读取失败的邮件。"))
