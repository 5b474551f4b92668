"""The editable e-mail templates' sandbox: named placeholders, plain strings, nothing else.

An editor writes plain text with placeholders such as `{{ reference }}`. A placeholder is a bare
name from PLACEHOLDERS, allowed for the event (EVENT_PLACEHOLDERS); it is replaced by a plain
string worked out here. There are no tags, no filters, no attribute access: nothing but these
strings is reachable from a template, so no template can reach a model, a user or the ORM.
`problems()` says in Chinese what is wrong with a text (the admin refuses it on save);
`fill()` replaces what it knows and drops anything else.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{\{|\{%|\{#", re.S)

# name -> what it stands for (shown to the editor beside the template).
PLACEHOLDERS = {
    "site_name": gettext_lazy("平台名称"),
    "publisher": gettext_lazy("主办单位（落款）"),
    "reference": gettext_lazy("报送编号"),
    "brand": gettext_lazy("品牌名称（带引号）"),
    "organization": gettext_lazy("党组织全称"),
    "contact_name": gettext_lazy("联系人姓名"),
    "contact_phone": gettext_lazy("联系人手机"),
    "kind": gettext_lazy("报送类别"),
    "region": gettext_lazy("所在市"),
    "tracking_url": gettext_lazy("专属查询链接"),
    "message": gettext_lazy("编辑部的意见"),
    "admin_url": gettext_lazy("后台查看链接"),
    "article_url": gettext_lazy("巡展文章链接"),
    "draft_url": gettext_lazy("草稿继续填写链接"),
    "entries": gettext_lazy("该邮箱的全部报送及查询链接（每行一件）"),
    "article_title": gettext_lazy("巡展文章标题"),
    "actor_name": gettext_lazy("办理人姓名"),
    "note": gettext_lazy("提交签审时的附言"),
    "reviewer_name": gettext_lazy("评审专家姓名"),
    "assignment_count": gettext_lazy("分派的作品件数"),
    "assignments": gettext_lazy("分派的作品及评分链接（每行一件）"),
    "queue_url": gettext_lazy("全部待评作品链接"),
    "editor_name": gettext_lazy("编辑姓名"),
    "stage": gettext_lazy("评审轮次（初审/复审）"),
    "scored": gettext_lazy("已评分的专家人数"),
    "score": gettext_lazy("加权平均分"),
    "objector_name": gettext_lazy("异议人姓名"),
    "notice_title": gettext_lazy("公示标题"),
    "entry_name": gettext_lazy("异议所涉作品（单位与品牌）"),
    "due_date": gettext_lazy("答复期限"),
    "receipt_url": gettext_lazy("异议受理回执链接"),
    "interview_dates": gettext_lazy("建议的采访时间（每行一个）"),
    "interview_when": gettext_lazy("采访时间"),
    "interview_place": gettext_lazy("采访地点"),
    "interview_notes": gettext_lazy("采访说明"),
    "interview_staff": gettext_lazy("记者和摄影记者"),
    "calendar_url": gettext_lazy("日历文件（.ics）链接"),
    "expert_name": gettext_lazy("专家姓名"),
    "commentary_due": gettext_lazy("点评截稿时间"),
    "brief": gettext_lazy("约稿说明"),
    "write_url": gettext_lazy("专家撰写点评的专属链接"),
}
ENTRY = ("site_name", "publisher", "reference", "brand", "organization", "contact_name", "tracking_url")
OBJECTION = ("site_name", "publisher", "objector_name", "notice_title", "entry_name", "due_date", "receipt_url")
# The expert's mails name the entry (its brand and organization), never its contact.
COMMENTARY = ("site_name", "publisher", "brand", "organization", "expert_name", "commentary_due", "write_url")
INTERVIEW = ("interview_dates", "interview_when", "interview_place", "interview_notes", "interview_staff", "calendar_url")
EVENT_PLACEHOLDERS = {
    "received": ENTRY,
    "mailbox_notice": (*ENTRY, "contact_phone", "kind", "region", "admin_url"),
    "resubmitted": ENTRY,
    "returned": (*ENTRY, "message"),
    "shortlisted": ENTRY,
    "accepted": ENTRY,
    "declined": (*ENTRY, "message"),
    "published": (*ENTRY, "article_url"),
    "link_resend": ("site_name", "publisher", "entries"),
    "draft_saved": ("site_name", "publisher", "draft_url"),
    # The newsroom's own mails: never the submitter's contact (reviewers review blind).
    "signoff_requested": ("site_name", "publisher", "article_title", "actor_name", "note", "admin_url"),
    "signed_off": ("site_name", "publisher", "article_title", "actor_name", "admin_url"),
    "signoff_returned": ("site_name", "publisher", "article_title", "actor_name", "message", "admin_url"),
    "assigned": ("site_name", "publisher", "reviewer_name", "assignment_count", "assignments", "queue_url"),
    "reviews_complete": (
        "site_name",
        "publisher",
        "reference",
        "brand",
        "organization",
        "editor_name",
        "stage",
        "scored",
        "score",
        "admin_url",
    ),
    # 公示 (submissions/notice): the objector, never the entry's contacts.
    "objection_received": OBJECTION,
    "objection_upheld": (*OBJECTION, "message"),
    "objection_dismissed": (*OBJECTION, "message"),
    # 专题融媒采访 (submissions/interview): the contact's mails; the planner's and the reporters' (the contact's phone).
    "interview_proposed": (*ENTRY, "interview_dates", "interview_place", "interview_notes"),
    "interview_cancelled": (*ENTRY, "message"),
    "interview_rescheduling": (*ENTRY, "interview_when", "message", "admin_url"),
    "interview_confirmed": (
        *ENTRY,
        "contact_phone",
        "interview_when",
        "interview_place",
        "interview_staff",
        "calendar_url",
        "admin_url",
    ),
    # 专家智库 (submissions/experts): the expert's mails; the requesting editor's.
    "commentary_requested": (*COMMENTARY, "brief"),
    "commentary_reminder": COMMENTARY,
    "commentary_revision": (*COMMENTARY, "message"),
    "commentary_withdrawn": (*COMMENTARY, "message"),
    "commentary_written": ("site_name", "publisher", "reference", "brand", "organization", "expert_name", "admin_url"),
    "commentary_declined": (
        "site_name",
        "publisher",
        "reference",
        "brand",
        "organization",
        "expert_name",
        "message",
        "admin_url",
    ),
}


def allowed(event):
    return EVENT_PLACEHOLDERS.get(event, ("site_name", "publisher"))


def problems(text, event):
    """Messages (Chinese) about everything in `text` that is not an allowed placeholder."""
    found = []
    names = allowed(event)
    for match in ANY_TAG.finditer(text or ""):
        piece = match.group(0)
        name = PLACEHOLDER.fullmatch(piece)
        if name is None:
            found.append(
                _("“%(piece)s”不是占位符：只能使用下面列出的 {{ 名称 }}，不能使用标签、过滤器或“.”。") % {"piece": piece[:60]}
            )
        elif name.group(1) not in names:
            found.append(_("未知的占位符“%(name)s”：本模板可用的占位符见下方列表。") % {"name": name.group(1)})
    return list(dict.fromkeys(found))


def fill(text, values):
    """The text with each allowed placeholder replaced by its value; anything else between braces goes."""

    def replace(match):
        name = PLACEHOLDER.fullmatch(match.group(0))
        return values.get(name.group(1), "") if name else ""

    return ANY_TAG.sub(replace, text or "")  # one pass: a value is never read as a template


def values(event, site, context):
    """The placeholders' plain strings for one message, from the entry and what the caller passed."""
    submission = context.get("submission")
    found = {"site_name": site.site_name, "publisher": site.publisher}
    if submission is not None:
        found.update(
            reference=submission.reference or "",
            brand=submission.brand_display,
            organization=submission.org_name,
            contact_name=submission.contact_name,
            contact_phone=submission.contact_phone,
            kind=submission.get_kind_display(),
            region=submission.region.name if submission.region_id else "",
        )
        found["score"] = "" if submission.score is None else str(submission.score)
    plain = ("tracking_url", "message", "admin_url", "article_url", "draft_url", "article_title", "actor_name", "note")
    for name in (
        *plain,
        "reviewer_name",
        "queue_url",
        "editor_name",
        "stage",
        "scored",
        *OBJECTION[2:],
        *INTERVIEW,
        *COMMENTARY[4:],
        "brief",
    ):
        if name in context:
            found[name] = context[name] if context[name] is not None else ""
    if "entries" in context:
        found["entries"] = "\n".join(f"{item['reference']} {item['brand']}：{item['url']}" for item in context["entries"])
    if "assignments" in context:
        items = context["assignments"]
        found["assignment_count"] = len(items)
        found["assignments"] = "\n".join(f"{i['stage']} · {i['reference']} {i['brand']}：{i['url']}" for i in items)
    names = allowed(event)
    return {name: str(value) for name, value in found.items() if name in names}


def help_text(event):
    """The placeholders of an event, one per line, as shown beside the template."""
    return [(f"{{{{ {name} }}}}", PLACEHOLDERS[name]) for name in allowed(event)]
