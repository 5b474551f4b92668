"""The call for submissions (征集启事) and the public submission form."""

import time

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from submissions import workflow
from submissions.intake import application_form, doc_jobs, once
from submissions.intake import tasks as intake_tasks
from submissions.intake.forms import word
from submissions.intake.forms.bundle import EntryBundle
from submissions.intake.forms.entry import PublicEntryForm
from submissions.models import Campaign, Kind, Photo, Status, Submission
from submissions.platform import abuse, documents, images, pagecache, tasks
from submissions.platform import mail as notifications
from submissions.platform.documents import writer

# New entries (and drafts) per IP per hour, and every post (each one checks photos) per IP per
# hour: settings.SUBMIT_RATE_LIMIT and SUBMIT_POST_RATE_LIMIT (5 and 60; 0 is off).
ENTRY_WINDOW = 3600
POST_WINDOW = 3600


def too_many_posts(request):
    return abuse.hit(request, "submit-post", limit=settings.SUBMIT_POST_RATE_LIMIT, window=POST_WINDOW)


def current(request):
    campaign = Campaign.current()
    if campaign is None:
        return render(request, "calls/none.html")
    return redirect("calls:detail", slug=campaign.slug)


def submit_current(request):
    campaign = Campaign.current()
    if campaign is None:
        return render(request, "calls/none.html")
    return redirect("calls:submit", slug=campaign.slug)


def detail(request, slug):
    """The call page, from the page cache (submissions/platform/pagecache.py); an unknown slug is a 404, not stored."""

    def render_page(shared):
        campaign = get_object_or_404(Campaign, slug=slug)
        kinds = [(code, Kind(code).label) for code in campaign.kinds if code in Kind.values]
        context = {"campaign": campaign, "kinds": kinds, "is_open": campaign.is_open(), **(pagecache.NO_TOKEN if shared else {})}
        response = render(request, "calls/detail.html", context)
        response.pagecache_until = Campaign.next_change()  # opens or closes: the page changes then
        return response

    return pagecache.whole_page(request, ("call", get_language(), slug), render_page)


@require_GET
def form_docx(request, slug):
    """The campaign's application form (申报表, intake/application_form.py) as a .docx download, while
    the call is open (else, like an unknown slug, a 404). Made once per page-cache version (a
    campaign or city saved moves it): the next download reads only the cache."""

    def compute():
        campaign = get_object_or_404(Campaign, slug=slug)
        names = application_form.file_names(campaign)
        return application_form.render(campaign), names, campaign.opens_at.timestamp(), campaign.closes_at.timestamp()

    _version, (data, (ascii_name, name), opens, closes) = pagecache.versioned(("form-docx", slug), compute, serve_stale=False)
    if not opens <= time.time() < closes:
        raise Http404
    response = HttpResponse(data, content_type=writer.CONTENT_TYPE)
    response["Content-Disposition"] = writer.disposition(ascii_name, name)
    return response


def closed(request, campaign):
    return render(request, "calls/closed.html", {"campaign": campaign}, status=403)


@never_cache
def submit(request, slug):
    if request.method != "POST" and pagecache.anonymous(request):
        page = empty_form(request, slug)
        if page is not None:
            return page
    campaign = get_object_or_404(Campaign, slug=slug)
    token = once.token_for(request)  # this page's key: a repeated post finds the entry the first one saved
    earlier = once.stored(token)
    if earlier is not None:
        if earlier.campaign_id == campaign.pk:  # checked before the deadline, too
            return answer_again(request, earlier)
        token = None  # the key posted to another call's form: a new post, with a random token
    if not campaign.is_open():
        return closed(request, campaign)
    entry = Submission(campaign=campaign)
    if token:
        entry.tracking_token = token
    if request.method != "POST":
        return show_form(request, EntryBundle(entry, form_class=PublicEntryForm), importer=word.WordImportForm())
    if too_many_posts(request):
        return render(request, "calls/limited.html", {"message": abuse.rate_limit_message(POST_WINDOW)}, status=429)
    if request.POST.get("action") in ("import", "import_replace", "import_job"):
        return import_word(request, entry)
    draft = request.POST.get("action") == "draft"
    bundle = EntryBundle(
        entry, request.POST, request.FILES, form_class=PublicEntryForm, draft=draft, client=abuse.client_ip(request)
    )
    if not bundle.is_valid():
        earlier = once.stored(token) if bundle.form.duplicate is not None else None
        if earlier is not None:  # the duplicate is this page's own first post, saved meanwhile
            return answer_again(request, earlier)
        bundle.stage_uploads()
        return show_form(request, bundle, importer=word.WordImportForm())
    if abuse.hit(request, "submit", limit=settings.SUBMIT_RATE_LIMIT, window=ENTRY_WINDOW):
        bundle.refuse(abuse.rate_limit_message(ENTRY_WINDOW))
        return show_form(request, bundle, status=429, importer=word.WordImportForm())
    try:
        saved = bundle.save(to=None if draft else Status.SUBMITTED, actor=workflow.SUBMITTER, via="web")
    except IntegrityError:  # the same page's other post won the race for its token (a draft: no duplicate check)
        saved = None
        if once.stored(token) is None:
            raise
    if saved is None:
        earlier = once.stored(token)  # the same page's other post saved it meanwhile (the duplicate is that one)
        if earlier is not None:
            return answer_again(request, earlier)
        return show_form(request, bundle, importer=word.WordImportForm())
    if draft:
        return draft_saved(request, saved, first=True)
    return redirect("track:receipt", token=saved.tracking_token)


def answer_again(request, entry):
    """The answer to the first post of this page, for a repeated one: the receipt, or the draft's
    page; a page first saved as a draft and now posted with 提交 (the browser's Back, then 提交) is
    not submitted from here: the draft's page says so, where the entry is checked and submitted."""
    if once.is_draft(entry):
        if request.POST.get("action", "draft") == "draft":
            return draft_saved(request, entry, first=False)
        messages.warning(request, _("本页内容此前已保存为草稿，尚未提交。请在下方核对内容，再按“提交报送”。"))
        return redirect("track:edit", token=entry.tracking_token)
    return redirect("track:receipt", token=entry.tracking_token)


def import_word(request, entry, *, form_class=PublicEntryForm):
    """从 Word 导入 (forms/word.py): the page comes back filled from the document; nothing is submitted.

    The post meets the form's guards like any other (honeypot, fill time, the address's staging
    allowance): one refused as a bot stages nothing and its document is not read; the message
    shows under the document field and the page comes back with what was typed (and a new stamp)."""
    posted = EntryBundle(entry, request.POST, request.FILES, form_class=form_class, draft=True, client=abuse.client_ip(request))
    posted.is_valid()  # checks what was uploaded with the page, so that it is staged, not lost
    posted.stage_uploads()
    staging = posted.staging()
    importer, result, job = word.WordImportForm(request.POST, request.FILES, staging=staging), None, None
    if request.POST.get("action") == "import_replace" and not staging.refused:
        importer, result = word.WordImportForm(), word.replace(posted, posted.data)
    elif request.POST.get("action") == "import_job":
        importer, result, job = converted_import(posted, staging, request.POST.get("import_job", ""))
    elif importer.is_valid() and importer.convert:  # an old .doc / .wps: the worker converts it
        job = doc_jobs.start(importer.cleaned_data["document"], keep=importer.cleaned_data["keep"])
        tasks.enqueue(intake_tasks.convert_word_document, job)
        importer, result, job = converted_import(posted, staging, job)  # done already when tasks run eagerly
    elif importer.is_valid():
        keep = importer.cleaned_data["document"] if importer.cleaned_data["keep"] else None
        result = word.merge(posted, importer.practice, keep_upload=keep)
    initial = result.initial if result else word.typed(posted)
    if staging.refused:
        initial["form"].pop("started", None)  # the page's new stamp, not the refused one
    bundle = EntryBundle(entry, form_class=form_class, initial=initial)
    if result is not None:
        word.mark(bundle, result)
    return show_form(
        request, bundle, importer=importer, word_import=result, word_summary=word.summary(bundle, result), word_job=job
    )


def converted_import(posted, staging, key):
    """从 Word 导入 of an old .doc / .wps (doc_jobs.py): (importer, result, job key while still converting).

    Every step is a post of the whole page, so what was typed meanwhile is kept: while the worker
    converts, the page comes back with the job's key (the page's script asks `import_status` and
    posts again when it is done; without JavaScript, the submitter presses the button); once done,
    the .docx is read by the guarded reader and merged exactly as an uploaded .docx; a failure is
    shown under the document field."""
    importer = word.WordImportForm(staging=staging)
    current = doc_jobs.state(key)
    if staging.refused:
        importer.refuse(staging.refused)
        return importer, None, None
    if current is None:
        importer.refuse(_("文档转换已过期，请重新选择文档导入。"))
        return importer, None, None
    if current["state"] in doc_jobs.PENDING:
        return importer, None, key
    upload = doc_jobs.converted(key) if current["state"] == "done" else None
    doc_jobs.finish(key)
    if upload is None:
        importer.refuse(current.get("message") or _("文档转换已过期，请重新选择文档导入。"))
        return importer, None, None
    try:
        practice = documents.read_practice(upload)
    except documents.DocumentRefused as exc:
        importer.refuse(exc.messages[0])
        return importer, None, None
    return importer, word.merge(posted, practice, keep_upload=upload if current.get("keep") else None), None


@never_cache
@require_GET
def import_status(request, key):
    """The state of an old document's conversion, for the page's script: {"state": …}."""
    current = doc_jobs.state(key)
    return JsonResponse({"state": current["state"] if current else "gone"})


def draft_saved(request, entry, *, first):
    """After a draft is stored: its private link goes to the contact e-mail (the first time) and on screen."""
    url = notifications.absolute(reverse("track:edit", kwargs={"token": entry.tracking_token}))
    if first:
        notifications.queue("draft_saved", entry.contact_email, {"draft_url": url}, entry)
    messages.success(
        request,
        _("草稿已保存。继续填写的专属链接已发送到 %(email)s；也可收藏本页地址，稍后继续填写。") % {"email": entry.contact_email},
    )
    return redirect("track:edit", token=entry.tracking_token)


# Stand-ins for what differs per request in the empty form: the reader's CSRF token and the
# form's signed `started` stamp. Neither can occur in the rendered page otherwise.
TOKEN_MARK = "csrf-token-d1c5f0e8a7b3"  # noqa: S105 (a placeholder, not a secret)
STAMP_MARK = "form-stamp-9b2e4a6c1f07"


def empty_form(request, slug):
    """The empty entry form, as submit() renders it (从 Word 导入 included), rendered once per campaign, language and
    page-cache version (submissions/platform/pagecache.py) with stand-ins for the reader's CSRF token and
    form stamp, which are put in per request. {% crispy form %} costs about 4 400 variable
    lookups a page (95 % of the page's time, bench/pages.py); this costs a string replace. The
    campaign is kept with it (a campaign saved moves the version): no query at all. None when
    the call is not open (submit() then shows why); an unknown slug is a 404, not stored."""

    def compute():
        campaign = get_object_or_404(Campaign, slug=slug)
        bundle = EntryBundle(Submission(campaign=campaign), form_class=PublicEntryForm)
        bundle.form.fields["started"].initial = STAMP_MARK
        html = show_form(request, bundle, csrf_token=TOKEN_MARK, importer=word.WordImportForm()).content.decode()
        return html, campaign.opens_at.timestamp(), campaign.closes_at.timestamp()

    # Never the form before a change: its choices (cities, the campaign) must be the current
    # ones, or the submitter's post would be refused with "选择一个有效的选项".
    _version, (html, opens, closes) = pagecache.versioned(("entry-form", get_language(), slug), compute, serve_stale=False)
    if not opens <= time.time() < closes:
        return None
    html = html.replace(TOKEN_MARK, get_token(request)).replace(STAMP_MARK, abuse.stamp())
    return HttpResponse(html)


def show_form(request, bundle, *, template="calls/submit.html", status=200, **extra):
    entry = bundle.entry
    context = {
        "bundle": bundle,
        "form": bundle.form,
        "campaign": entry.campaign,
        "entry": entry,
        "storage_key": f"portal-entry:{entry.tracking_token if entry.pk else 'new:' + entry.campaign.slug}",
        "photo_edge": images.MASTER_EDGE,  # photos are shrunk to it in the browser (static/js/photo-shrink.js)
        **extra,
    }
    return render(request, template, context, status=status)


@require_GET
def staged_photo(request, key):
    """The thumbnail of a photo staged on the form page; its random key is the only way to it."""
    photo = Photo.objects.filter(upload_key=key, submission__isnull=True).first()
    if photo is None or not photo.thumbnail:
        raise Http404
    response = FileResponse(photo.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
