"""The newsroom's admin of showcase articles: create from an accepted entry, edit with a preview
that is the public page itself, revisions (diff, revert), workflow buttons, Word export, comments."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from submissions import workflow
from submissions.admin.article_photos import PhotoInline  # thumbnails and sections (newsroom)
from submissions.admin.bounded import BoundedInline
from submissions.admin.listing import QuickActionCheckbox
from submissions.column import articles, viewcounts
from submissions.column.forms import CommentForm
from submissions.models import Comment, RelatedLink, Showcase, ShowcaseSection, Submission
from submissions.models import Status as S
from submissions.models.status import LIVE
from submissions.newsroom import article_docx, material, publishing, revisions
from submissions.newsroom.forms import FromEntryForm, MoveForm, ShowcaseAdminForm


def queue_name(request):
    """The queue the page was opened from (?queue=…, or the form's queue), when it looks like one."""
    name = request.POST.get("queue", "") or request.GET.get("queue", "")
    return name if name.isidentifier() and len(name) < 40 else ""


@admin.display(description=gettext_lazy("阅读量"), ordering="views__count")
def views_column(article):
    """The article list's reading count (with list_select_related "views")."""
    return viewcounts.count_of(article)


class SectionInline(BoundedInline, admin.StackedInline):
    model = ShowcaseSection
    extra = 0


class LinkInline(BoundedInline, admin.TabularInline):
    model = RelatedLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a bare host means https://


@admin.register(Showcase)
class ShowcaseAdmin(admin.ModelAdmin):
    form = ShowcaseAdminForm
    list_display = ["title", "state", "responsible_editor", "signed_off_by", "publish_at", "published_at", views_column]
    list_filter = ["state", "campaign"]
    search_fields = ["title", "short_name", "brand_name"]
    list_select_related = ["responsible_editor", "signed_off_by", "views"]
    inlines = [SectionInline, PhotoInline, LinkInline]
    raw_id_fields = ["submission"]
    view_on_site = False  # the change form links the public page only when it is published
    # The state and its dates change only through the workflow buttons (publish_at: the 定时发布 button).
    readonly_fields = ["state", "signed_off_by", "signed_off_at", "publish_at", "published_at", "unpublished_reason"]
    fieldsets = [
        (None, {"fields": ["campaign", "submission", "slug", "title", "short_name", "brand_name", "summary"]}),
        (
            gettext_lazy("署名与来源"),
            {"fields": ["byline", "source", "reporters", "interns", "correspondents", "credits_medium", "credits_closing"]},
        ),
        (gettext_lazy("正文"), {"fields": ["editor_note", "lead", "closing", "standing_call"]}),
        (gettext_lazy("专家点评（可选）"), {"fields": ["expert_commentary", "expert_name"]}),
        (
            gettext_lazy("签审与发布"),
            {
                "fields": [
                    "responsible_editor",
                    "state",
                    "signed_off_by",
                    "signed_off_at",
                    "publish_at",
                    "published_at",
                    "unpublished_reason",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.is_public:  # a correction needs its reason
            return [(gettext_lazy("更正"), {"fields": ["correction_reason"]}), *fieldsets]
        return fieldsets

    def get_urls(self):
        wrap = self.admin_site.admin_view
        own = [
            path("from-entry/", wrap(self.from_entry_list), name="submissions_showcase_from_entry_list"),
            path("from-entry/<int:submission_id>/", wrap(self.from_entry), name="submissions_showcase_from_entry"),
            path("<int:object_id>/preview/", wrap(self.preview), name="submissions_showcase_preview"),
            path("<int:object_id>/revisions/", wrap(self.revisions_view), name="submissions_showcase_revisions"),
            path("<int:object_id>/revisions/<int:number>/revert/", wrap(self.revert), name="submissions_showcase_revert"),
            path("<int:object_id>/move/", wrap(self.move), name="submissions_showcase_move"),
            path("<int:object_id>/docx/", wrap(self.docx), name="submissions_showcase_docx"),
            path("<int:object_id>/interview-photo/", wrap(self.add_interview_photo), name="submissions_showcase_interview_photo"),
        ]
        return own + super().get_urls()

    def get_changeform_initial_data(self, request):
        return {"responsible_editor": request.user.pk, **super().get_changeform_initial_data(request)}

    # Saving: the admin never writes the state; every save is a revision; an edit voids a sign-off.
    def save_model(self, request, obj, form, change):
        if change:
            # Only what the form edits: the workflow's own fields are never written from a stale form.
            obj.save(update_fields=[f.name for f in revisions.article_fields() if f.name != "id"] + ["updated_at"])
        else:
            obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = form.instance.state
        reason = form.cleaned_data.get("correction_reason", "")
        publishing.edited(form.instance, request.user, note=_("修改") if change else _("新建"), reason=reason)
        if before != form.instance.state and before in LIVE:
            messages.warning(request, _("已发布的文章被修改：文章已暂停公开，待重新签审后再发布。"))
        elif before != form.instance.state:
            messages.warning(request, _("文章在签审后被修改，签审已失效，需重新签审。"))

    # Screens
    def _article(self, request, object_id, perm="change"):
        article = get_object_or_404(Showcase, pk=object_id)
        if not getattr(self, f"has_{perm}_permission")(request, article):
            raise PermissionDenied
        return article

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = Showcase.objects.filter(pk=object_id).first()
        extra = extra_context or {}
        if article is not None:
            extra["moves"] = workflow.allowed_moves(article, request.user)
            extra["history"] = article.history.select_related("actor").order_by("-created_at")[:20]
            extra["sent_back"] = articles.sent_back(article)
            extra["interview_material"] = material.for_article(article)  # notes and photos beside the draft
            extra["can_add_photo"] = self.has_change_permission(request, article)
        return super().change_view(request, object_id, form_url, extra)

    def changelist_view(self, request, extra_context=None):
        extra = {"can_create_from_entry": self.has_add_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def from_entry_list(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        entries = (
            Submission.objects.filter(status=S.ACCEPTED, showcase__isnull=True)
            .select_related("region", "campaign")
            .order_by("-status_changed_at")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "entries": entries,
            "title": _("从采用作品创建文章"),
        }
        return render(request, "admin/submissions/showcase/from_entry_list.html", context)

    def from_entry(self, request, submission_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        submission = get_object_or_404(Submission.objects.select_related("campaign"), pk=submission_id)
        existing = Showcase.objects.filter(submission=submission).first()
        if existing is not None:
            messages.info(request, _("该作品已有巡展文章。"))
            return redirect("admin:submissions_showcase_change", existing.pk)
        form = FromEntryForm(request.POST or None, initial={"short_name": publishing.guess_short_name(submission.org_name)})
        if request.method == "POST" and form.is_valid():
            try:
                article = publishing.draft_from_entry(submission, editor=request.user, **form.cleaned_data)
            except workflow.TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已按版式生成文章初稿，请修改完善后提交签审。"))
                return redirect("admin:submissions_showcase_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "submission": submission,
            "title": _("生成巡展文章：%(entry)s") % {"entry": submission},
        }
        return render(request, "admin/submissions/showcase/from_entry.html", context)

    def preview(self, request, object_id):
        """The article as readers will see it, with the workflow's buttons above it: a chief editor
        signs off, sends back or publishes on the page they read (the sign-off queue opens here)."""
        self._article(request, object_id, "view")
        article = articles.load_article(Showcase.objects.all(), pk=object_id)
        context = {
            "page": articles.article_page(article),
            "slug": article.slug,
            "form": CommentForm(),
            "preview": True,
            "original": article,
            "moves": workflow.allowed_moves(article, request.user),
            "sent_back": articles.sent_back(article),
            "can_change": self.has_change_permission(request, article),
            "queue_name": queue_name(request),
        }
        return render(request, "admin/submissions/showcase/preview.html", context)

    def revisions_view(self, request, object_id):
        article = self._article(request, object_id, "view")
        all_revisions = list(article.revisions.select_related("author").order_by("-number"))
        numbers = {r.number: r for r in all_revisions}
        diff = None
        try:
            a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
        except ValueError:
            a = b = 0
        if a in numbers and b in numbers:
            old, new = sorted([numbers[a], numbers[b]], key=lambda r: r.number)
            diff = revisions.diff_table(old, new)
        elif len(all_revisions) >= 2 and "a" not in request.GET:
            a, b = all_revisions[1].number, all_revisions[0].number
            diff = revisions.diff_table(all_revisions[1], all_revisions[0])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "revisions": all_revisions,
            "diff": diff,
            "a": a,
            "b": b,
            "can_change": self.has_change_permission(request, article),
            "title": _("修改记录：%(title)s") % {"title": article.title},
        }
        return render(request, "admin/submissions/showcase/revisions.html", context)

    @staticmethod
    def _post_only(request):
        if request.method != "POST":
            raise Http404

    def revert(self, request, object_id, number):
        self._post_only(request)
        article = self._article(request, object_id)
        revision = get_object_or_404(article.revisions, number=number)
        publishing.revert(article, revision, request.user)
        messages.success(request, _("已恢复至第 %(n)s 版（另存为新版本）。") % {"n": number})
        return redirect("admin:submissions_showcase_revisions", article.pk)

    def move(self, request, object_id):
        self._post_only(request)
        article = self._article(request, object_id)
        form = MoveForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            data = form.cleaned_data
            try:
                publishing.move(article, data["to"], request.user, message=data["message"], at=data["publish_at"])
            except workflow.TransitionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("文章状态已变为“%(state)s”。") % {"state": article.get_state_display()})
        if request.POST.get("back") == "preview":  # pressed on the preview: stay on the article as it reads
            url = reverse("admin:submissions_showcase_preview", args=[article.pk])
            name = queue_name(request)
            return redirect(f"{url}?{urlencode({'queue': name})}" if name else url)
        return redirect("admin:submissions_showcase_change", article.pk)

    def add_interview_photo(self, request, object_id):
        """One photo of the entry's interview added to the article's photos (POST, who may change the article)."""
        self._post_only(request)
        article = self._article(request, object_id)
        photo = request.POST.get("photo", "")
        try:
            if not (photo.isdigit() and len(photo) < 12):
                raise material.MaterialError(_("请选择一张采访照片。"))
            material.add_photo(article, int(photo), request.user)
        except material.MaterialError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("已将采访照片加入文章图片（位于文末，可在下方调整章节与说明）。"))
        return redirect(f"{reverse('admin:submissions_showcase_change', args=[article.pk])}#photos-group")

    def docx(self, request, object_id):
        self._article(request, object_id, "view")
        article = articles.load_article(Showcase.objects.all(), pk=object_id)
        response = HttpResponse(article_docx.render(article), content_type=article_docx.CONTENT_TYPE)
        response["Content-Disposition"] = article_docx.disposition(article)
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(Comment)
class CommentAdmin(QuickActionCheckbox, admin.ModelAdmin):
    list_display = ["body_start", "name", "showcase", "state", "created_at", "moderated_by"]
    list_filter = ["state"]
    search_fields = ["name", "body"]
    list_select_related = ["showcase", "moderated_by"]
    readonly_fields = ["showcase", "name", "body", "created_at", "moderated_by", "moderated_at"]
    fields = ["showcase", "name", "body", "state", "created_at", "moderated_by", "moderated_at"]
    actions = ["approve", "reject"]

    @admin.display(description=gettext_lazy("评论内容"))
    def body_start(self, obj):
        return obj.body[:40]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if "state" in form.changed_data:
            publishing.moderate(Comment.objects.filter(pk=obj.pk), form.cleaned_data["state"], request.user)
        # nothing else of a reader's comment is editable

    @admin.action(description=gettext_lazy("通过所选评论（公开显示）"), permissions=["change"])
    def approve(self, request, queryset):
        count = publishing.moderate(queryset, Comment.State.APPROVED, request.user)
        self.message_user(request, _("已通过 %(n)s 条评论。") % {"n": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("不通过所选评论"), permissions=["change"])
    def reject(self, request, queryset):
        count = publishing.moderate(queryset, Comment.State.REJECTED, request.user)
        self.message_user(request, _("已拒绝 %(n)s 条评论。") % {"n": count}, messages.SUCCESS)
