"""The intake queue of mailbox entries (邮箱来稿): read only; an editor opens one in the intake form."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from submissions import mailbox, roles
from submissions.admin.readonly import ReadOnlyAdmin
from submissions.models import MailboxMessage


@admin.register(MailboxMessage)
class MailboxMessageAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["subject", "sender", "fetched_at", "outcome", "open_link"]
    list_filter = ["outcome", "campaign"]
    search_fields = ["subject", "sender", "message_id"]
    list_select_related = ["campaign", "entry"]
    readonly_fields = [
        "campaign",
        "message_id",
        "sender",
        "subject",
        "body",
        "sent_at",
        "fetched_at",
        "notes",
        "outcome",
        "entry",
    ]
    fields = readonly_fields
    actions = ["reject_selected"]

    def has_module_permission(self, request):
        return roles.has_role(request.user, roles.EDITOR, roles.CHIEF)

    def has_view_permission(self, request, obj=None):
        return roles.has_role(request.user, roles.EDITOR, roles.CHIEF)

    @admin.display(description=_("操作"))
    def open_link(self, item):
        if item.outcome != MailboxMessage.Outcome.PENDING:
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
        for item in queryset.filter(outcome=MailboxMessage.Outcome.PENDING):
            mailbox.reject(item, request.user)
            count += 1
        messages.success(request, gettext("已拒收 %(count)s 封邮箱来稿。") % {"count": count})
