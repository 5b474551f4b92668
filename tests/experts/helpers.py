"""Experts and commentary requests made through the experts area's services (as the admin and the expert do)."""

from datetime import timedelta

from django.utils import timezone

from submissions import workflow
from submissions.experts import services
from submissions.models import Expert, Status
from submissions.workflow import roles
from tests.factories import make_user, submission_in

TEXT = "该品牌扎根一线，机制清晰，可复制可推广，是党建与业务深度融合的范例。"
DIAGNOSIS = "定位清晰；建议提炼量化指标，形成工作手册。"


def expert(slug="chen-ming", name="陈明", *, account=None, **fields):
    fields.setdefault("title", "教授")
    fields.setdefault("affiliation", "中共山东省委党校")
    fields.setdefault("email", f"{slug}@example.com")
    found = Expert(slug=slug, name=name, user=account, **fields)
    return services.save_expert(found)


def expert_account(username="expert-chen"):
    """An expert's own account: no role of the newsroom (save_expert gives it the 点评专家 role)."""
    return make_user(None, username=username, email=f"{username}@example.com")


def planner():
    return make_user(roles.EDITOR, username="commentary-editor", email="commentary-editor@example.com")


def requested(
    status=Status.SHORTLISTED, *, entry=None, who=None, editor=None, due_in=timedelta(days=10), brief="请从推广价值点评。"
):
    entry = entry or submission_in(status)
    who = who or expert()
    return services.request(entry, editor=editor or planner(), expert=who, due_at=timezone.now() + due_in, brief=brief)


def written(**kwargs):
    request = requested(**kwargs)
    return services.write(request, workflow.EXPERT_LINK, TEXT, DIAGNOSIS, request.version)


def accepted(**kwargs):
    request = written(**kwargs)
    return services.accept(request, request.requested_by)
