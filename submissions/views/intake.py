"""E-mail intake: an editor enters an entry that arrived in the campaign mailbox, on the organization's behalf.

The same form, checks and photo handling as the public form, in the admin's look. The entry is
marked via_email and entered_by the editor, and sent in through the workflow in the editor's
name, so the organization still gets its receipt and tracking link by e-mail.
"""

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from submissions import mailbox
from submissions.forms.bundle import EntryBundle
from submissions.forms.entry import CampaignChoiceForm, IntakeEntryForm
from submissions.models import Campaign, MailboxMessage, Status, Submission


def mail_item(request):
    """The pending mailbox message this page enters (?mail=<pk>, kept in a hidden field), if any."""
    pk = request.POST.get("mail") or request.GET.get("mail") or ""
    if not pk.isdigit():
        return None
    return MailboxMessage.objects.filter(pk=int(pk), outcome=MailboxMessage.Outcome.PENDING).select_related("campaign").first()


@never_cache
def entry(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not (request.user.is_staff and request.user.has_perm("submissions.add_submission")):
        raise PermissionDenied
    chooser = CampaignChoiceForm(request.GET if "campaign" in request.GET else None)
    campaign = chooser.cleaned_data["campaign"] if chooser.is_bound and chooser.is_valid() else Campaign.current()
    mail = mail_item(request)
    if mail is not None:
        campaign = mail.campaign
        if request.method == "POST" and request.POST.get("action") == "reject":
            mailbox.reject(mail, request.user)
            messages.success(request, _("已拒收邮箱来稿“%(subject)s”。") % {"subject": mail.subject})
            return redirect("admin:submissions_mailboxmessage_changelist")
    context = {**admin.site.each_context(request), "title": _("代录入邮箱报送"), "chooser": chooser, "campaign": campaign}
    context["mail"] = mail
    if campaign is None:
        return render(request, "intake/entry.html", context)
    if not chooser.is_bound:
        chooser.initial["campaign"] = campaign.pk
    new = Submission(campaign=campaign, via_email=True, entered_by=request.user)
    if request.method != "POST":
        bundle = EntryBundle(new, form_class=IntakeEntryForm, initial=mailbox.initial_of(mail) if mail else None)
    else:
        bundle = EntryBundle(new, request.POST, request.FILES, form_class=IntakeEntryForm)
        if bundle.is_valid():
            saved = bundle.save(to=Status.SUBMITTED, actor=request.user, via="email")
            if saved is not None:
                if mail is not None:
                    mailbox.entered(mail, saved, request.user)
                messages.success(
                    request,
                    _("已代录入 %(reference)s，回执和查询链接已发往 %(email)s。")
                    % {"reference": saved.reference, "email": saved.contact_email},
                )
                return redirect("admin:submissions_submission_change", saved.pk)
        else:
            bundle.stage_uploads()
    context.update({"bundle": bundle, "form": bundle.form, "entry": new, "storage_key": ""})
    return render(request, "intake/entry.html", context)
