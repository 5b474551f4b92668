"""Certificates in the admin: the list, a certificate's page with its history, the letter form,
the revocation form (chief editors) and the PDF download; and the entries' action that issues awards.

Thin: every issue and revocation is submissions.results.services (and so the workflow), every list
and lookup its selectors; who may is the permission authority's answer (issue: editors and chief
editors; revoke: chief editors).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions.admin.readonly import StepInline
from submissions.models import Certificate, CertificateStep
from submissions.results import selectors, services
from submissions.results.forms import LetterForm, RevokeForm
from submissions.workflow.certificates import ISSUE, REVOKE

VIA = "admin"


class CertificateStepInline(StepInline):
    model = CertificateStep
    fields = ["created_at", "from_label", "to_label", "actor", "actor_role", "message", "via"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "recipient", "campaign", "state", "issued_at", "download"]
    list_filter = ["kind", "state", "campaign"]
    search_fields = ["number", "recipient"]
    list_select_related = ["campaign"]
    fields = [
        "number",
        "kind",
        "campaign",
        "submission",
        "recipient",
        "wording",
        "state",
        "issued_at",
        "revoked_at",
        "revoked_reason",
        "download",
        "revoke_link",
    ]
    readonly_fields = fields
    inlines = [CertificateStepInline]

    def has_add_permission(self, request):
        return request.user.has_perm(ISSUE)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a number once printed stays: revoke instead

    @admin.display(description=gettext_lazy("证书文件"))
    def download(self, obj):
        if not obj.pdf:
            return _("生成中") if obj.state == Certificate.State.ISSUED else "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:submissions_certificate_pdf", args=[obj.pk]), _("下载 PDF"))

    @admin.display(description=gettext_lazy("撤销"))
    def revoke_link(self, obj):
        if obj.state != Certificate.State.ISSUED:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:submissions_certificate_revoke", args=[obj.pk]), _("撤销证书…"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", wrap(self.pdf_view), name="submissions_certificate_pdf"),
            path("<int:pk>/revoke/", wrap(self.revoke_view), name="submissions_certificate_revoke"),
            *super().get_urls(),
        ]

    def _page(self, request, title, form, obj=None):
        context = {**self.admin_site.each_context(request), "title": title, "form": form, "opts": self.opts, "original": obj}
        return TemplateResponse(request, "admin/submissions/certificate/form.html", context)

    def add_view(self, request, form_url="", extra_context=None):
        """The letter form: a thank-you letter or an appointment letter (awards are issued from the entries' list)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = LetterForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                certificate = services.issue_letter(
                    data["kind"], data["campaign"], data["recipient"], wording=data["wording"], actor=request.user, via=VIA
                )
            except services.CertificateError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("已颁发 %(certificate)s。") % {"certificate": certificate})
                return redirect("admin:submissions_certificate_change", certificate.pk)
        return self._page(request, _("颁发感谢状或聘书"), form)

    def revoke_view(self, request, pk):
        certificate = get_object_or_404(Certificate, pk=pk)
        if not request.user.has_perm(REVOKE, certificate):
            raise PermissionDenied
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.revoke(certificate, actor=request.user, reason=form.cleaned_data["reason"], via=VIA)
            except services.CertificateError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("已撤销 %(certificate)s。") % {"certificate": certificate})
                return redirect("admin:submissions_certificate_change", certificate.pk)
        return self._page(request, _("撤销证书 %(number)s") % {"number": certificate.number}, form, certificate)

    def pdf_view(self, request, pk):
        certificate = get_object_or_404(Certificate, pk=pk)
        if not self.has_view_permission(request, certificate):
            raise PermissionDenied
        if not certificate.pdf:
            raise Http404
        response = FileResponse(certificate.pdf.open("rb"), as_attachment=True, filename=f"{certificate.number}.pdf")
        response["Content-Type"] = "application/pdf"
        response["X-Content-Type-Options"] = "nosniff"
        return response


@admin.action(description=gettext_lazy("颁发荣誉证书"), permissions=["workflow"])
def issue_awards(modeladmin, request, queryset):
    """The entries' action: an award for each selected entry that is accepted or published and has none yet."""
    entries = list(queryset.select_related("campaign").order_by("pk"))
    already = selectors.awarded_entry_ids([entry.pk for entry in entries])
    done, refused = [], []
    for entry in entries:
        if entry.pk in already:
            refused.append(_("%(entry)s 已有荣誉证书") % {"entry": entry})
            continue
        try:
            done.append(services.issue_award(entry, actor=request.user, via="admin-bulk").number)
        except services.CertificateError as error:
            refused.append(str(error))
    if done:
        messages.success(request, _("已颁发 %(n)d 份荣誉证书：%(numbers)s") % {"n": len(done), "numbers": _("、").join(done)})
    if refused:
        messages.warning(request, _("%(n)d 件未颁发：") % {"n": len(refused)} + _("；").join(refused))
