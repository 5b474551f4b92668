"""E-mail intake: an editor enters an entry that arrived in the campaign mailbox, on the organization's behalf.

The same form, checks and photo handling as the public form, in the admin's look. The entry is
marked via_email and entered_by the editor, and sent in through the workflow in the editor's
name, so the organization still gets its receipt and tracking link by e-mail.

A message whose sender is not verified (mailbox/senders.py: no passing Authentication-Results)
is shown with a warning, and its addresses (the sender's, the one its document names) are not
taken as the contact until the editor ticks “我已核实发件人”: otherwise the form asks for that
or another address, so no receipt and no tracking link go to a forged sender's address. The
editor who confirmed is recorded on the message (`sender_confirmed_by`).
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from submissions.intake import mailbox
from submissions.intake.forms.bundle import EntryBundle
from submissions.intake.forms.entry import CampaignChoiceForm, IntakeEntryForm
from submissions.models import Campaign, MailboxMessage, Status, Submission


class MailIntakeForm(IntakeEntryForm):
    """The intake form for a message from an unverified sender: its addresses need the editor's confirmation."""

    sender_confirmed = forms.BooleanField(
        label=gettext_lazy("我已核实发件人"),
        required=False,
        help_text=gettext_lazy(
            "发件人未经邮件服务器验证。核实邮件确为报送单位所发（例如电话联系）后勾选，回执和查询链接才会发往该邮箱。"
        ),
    )

    def __init__(self, *args, unverified=(), **kwargs):
        self.unverified = set(unverified)
        super().__init__(*args, **kwargs)

    def layout_parts(self):
        parts = super().layout_parts()
        contact = next(part for part in parts if "contact_email" in getattr(part, "fields", []))
        contact.fields.insert(contact.fields.index("contact_email") + 1, "sender_confirmed")
        return parts

    def clean(self):
        cleaned = super().clean()
        address = (cleaned.get("contact_email") or "").lower()
        if address in self.unverified and not cleaned.get("sender_confirmed"):
            self.add_error(
                "contact_email",
                _("发件人未验证：回执和查询链接不会发往未核实的邮箱。请先核实后勾选“我已核实发件人”，或改填已核实的联系人邮箱。"),
            )
        return cleaned


def mail_item(request):
    """The pending mailbox message this page enters (?mail=<pk>, kept in a hidden field), if any."""
    pk = request.POST.get("mail") or request.GET.get("mail") or ""
    if not pk.isdigit():
        return None
    pending = MailboxMessage.objects.filter(pk=int(pk), outcome=MailboxMessage.Outcome.PENDING)
    return pending.select_related("campaign", "same_id_as__entry").first()


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
    context["mail_same_id"] = mailbox.same_id_label(mail) if mail is not None else ""
    if campaign is None:
        return render(request, "intake/entry.html", context)
    if not chooser.is_bound:
        chooser.initial["campaign"] = campaign.pk
    new = Submission(campaign=campaign, via_email=True, entered_by=request.user)
    unverified = mailbox.unverified_addresses(mail) if mail is not None else set()
    form_class = partial(MailIntakeForm, unverified=unverified) if unverified else IntakeEntryForm
    if request.method != "POST":
        bundle = EntryBundle(new, form_class=form_class, initial=mailbox.initial_of(mail) if mail else None)
    else:
        bundle = EntryBundle(new, request.POST, request.FILES, form_class=form_class)
        if bundle.is_valid():
            saved = bundle.save(to=Status.SUBMITTED, actor=request.user, via="email")
            if saved is not None:
                if mail is not None:
                    confirmed = bool(unverified and bundle.form.cleaned_data.get("sender_confirmed"))
                    mailbox.entered(mail, saved, request.user, confirmed=confirmed)
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
