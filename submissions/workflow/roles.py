"""The newsroom's roles, as Django groups created by a migration (0002_roles).

Code refers to roles by these constants; the groups carry Chinese names for the admin (GROUP_NAMES:
for the migrations, the demo accounts and display only). What a person may do (including every
workflow move: submissions.workflow) is decided by the permissions the groups carry, never by a
group's name: the one authority that answers is submissions.workflow.rules.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db.models import Q

REVIEWER = "reviewer"
EDITOR = "editor"
CHIEF = "chief"
RECOMMENDER = "recommender"  # the accounts of a recommending body (推荐单位), outside the newsroom
COMMENTATOR = "commentator"  # an expert of the panel (专家智库) with an account: their own requests' page, never the admin

GROUP_NAMES = {
    REVIEWER: "评审专家",
    EDITOR: "编辑",
    CHIEF: "签审编辑",
    RECOMMENDER: "推荐单位",
    COMMENTATOR: "点评专家",
}

# Model permissions per role, as "app_label.codename". Chief editors hold every editor permission too.
_EDITOR_PERMS = [
    "submissions.view_submission",
    "submissions.change_submission",
    "submissions.add_submission",
    "submissions.run_workflow",
    "submissions.export_submission",
    "submissions.view_section",
    "submissions.add_section",
    "submissions.change_section",
    "submissions.delete_section",
    "submissions.view_photo",
    "submissions.add_photo",
    "submissions.change_photo",
    "submissions.delete_photo",
    "submissions.view_attachment",
    "submissions.add_attachment",
    "submissions.change_attachment",
    "submissions.delete_attachment",
    "submissions.view_statuschange",
    "submissions.view_review",
    "submissions.view_reviewassignment",
    "submissions.add_reviewassignment",
    "submissions.delete_reviewassignment",
    "submissions.view_campaign",
    "submissions.change_campaign",
    "submissions.add_campaign",
    "submissions.view_criterion",
    "submissions.add_criterion",
    "submissions.change_criterion",
    "submissions.delete_criterion",
    "submissions.view_region",
    "submissions.view_showcase",
    "submissions.add_showcase",
    "submissions.change_showcase",
    "submissions.view_showcasesection",
    "submissions.add_showcasesection",
    "submissions.change_showcasesection",
    "submissions.delete_showcasesection",
    "submissions.view_showcasephoto",
    "submissions.add_showcasephoto",
    "submissions.change_showcasephoto",
    "submissions.delete_showcasephoto",
    "submissions.view_relatedlink",
    "submissions.add_relatedlink",
    "submissions.change_relatedlink",
    "submissions.delete_relatedlink",
    "submissions.view_showcaserevision",
    "submissions.view_comment",
    "submissions.change_comment",
    "submissions.view_notificationtemplate",
    "submissions.change_notificationtemplate",
    "submissions.view_outboxmessage",
    "submissions.view_sitesettings",
    "submissions.change_sitesettings",
    "submissions.view_certificate",
    "submissions.view_certificatestep",
    "submissions.issue_certificate",
    "submissions.view_publicnotice",  # 公示 and its objections (submissions/notice)
    "submissions.add_publicnotice",
    "submissions.change_publicnotice",
    "submissions.publish_notice",
    "submissions.view_noticestep",
    "submissions.view_noticeitem",
    "submissions.view_objection",
    "submissions.view_objectionstep",
    "submissions.handle_objection",
    "submissions.view_votesettings",  # the public vote (submissions/vote)
    "submissions.add_votesettings",
    "submissions.change_votesettings",
    "submissions.view_vote",
    "submissions.moderate_vote",
    "submissions.check_eligibility",  # screening (submissions/recommend)
    "submissions.view_recommendingbody",
    "submissions.add_recommendingbody",
    "submissions.change_recommendingbody",
    "submissions.view_eligibilitycheck",
    "submissions.view_recommendation",
    "submissions.view_interview",  # 专题融媒采访 (submissions/interview)
    "submissions.add_interview",
    "submissions.change_interview",
    "submissions.plan_interview",
    "submissions.view_interviewstep",
    "submissions.view_video",  # video in articles (submissions/video)
    "submissions.add_video",
    "submissions.change_video",
    "submissions.delete_video",
    "submissions.view_expert",  # 专家智库 (submissions/experts)
    "submissions.add_expert",
    "submissions.change_expert",
    "submissions.view_commentaryrequest",
    "submissions.add_commentaryrequest",
    "submissions.request_commentary",
    "submissions.view_commentarystep",
]

PERMISSIONS = {
    REVIEWER: [
        "submissions.score_submission",
        "submissions.view_review",
        "submissions.add_review",
        "submissions.change_review",
    ],
    EDITOR: _EDITOR_PERMS,
    # A body reads and screens its own area's entries in its workspace (/recommend/), never the admin:
    # the authority (submissions.workflow.rules) narrows both permissions to the body's entries.
    RECOMMENDER: ["submissions.check_eligibility", "submissions.recommend_submission"],
    # An expert signed in writes the commentaries asked of them (the authority narrows it to their own).
    COMMENTATOR: ["submissions.write_commentary"],
    CHIEF: [*_EDITOR_PERMS, "submissions.signoff_showcase", "submissions.revoke_certificate"],
}


def users_with(queryset, perm, *, superusers=True):
    """The active users of `queryset` who hold `perm` ("app_label.codename"), through a group or directly.

    A superuser holds every permission; `superusers=False` leaves them out where the question is who was
    given the work (the reviewers to choose from), not who could do it."""
    app_label, codename = perm.split(".")
    held = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
    direct = Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    holders = held | direct | Q(is_superuser=True) if superusers else held | direct
    return queryset.filter(holders, is_active=True).distinct()


def grant(user, role):
    """Put `user` in the role's group (the demo accounts; in production the admin's user page does it)."""
    Group = user.groups.model
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))


def sync_groups(apps, verbosity=0):
    """Create the role groups and give each exactly its permissions. Idempotent.

    Called from migrations (with the historical `apps`), so that a fresh database has the
    roles without anyone clicking them together; a later migration calls it again when
    PERMISSIONS grows.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, apps=apps, verbosity=verbosity)
        create_permissions(app_config, apps=apps, verbosity=verbosity)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # A permission of a model that a later migration makes is left for that migration's own call.
    defined = {
        f"{model._meta.app_label}.{codename}"
        for model in apps.get_models()
        for codename in [f"{action}_{model._meta.model_name}" for action in model._meta.default_permissions]
        + [codename for codename, _name in model._meta.permissions]
    }
    for role, codes in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        perms = []
        for code in codes:
            if code not in defined:
                continue
            app_label, codename = code.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is None:
                raise RuntimeError(f"permission {code} does not exist")
            perms.append(perm)
        group.permissions.set(perms)
