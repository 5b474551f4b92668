"""Factories for tests: every model can be built with one call and sensible Chinese data."""

import io
from datetime import timedelta

import factory
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from submissions import workflow
from submissions.intake import services as intake
from submissions.models import (
    Attachment,
    Campaign,
    Criterion,
    EligibilityItem,
    Kind,
    OrgType,
    Photo,
    RecommendingBody,
    Region,
    Sector,
    Showcase,
    Stage,
    Status,
    Submission,
)
from submissions.platform import images
from submissions.recommend import services as screening
from submissions.review import assignments, scoring
from submissions.workflow import roles
from submissions.workflow.routes import ROUTES


class Refused(Exception):
    """A factory was asked for a state the portal itself would refuse to reach (say which test set it up so)."""


def ensure_roles():
    """The role groups, as migration 0002 makes them (transactional tests flush them)."""
    if Group.objects.filter(name__in=roles.GROUP_NAMES.values()).count() < len(roles.GROUP_NAMES):
        roles.sync_groups(django_apps)


PASSWORD = "pw-Test-12345"  # every factory user's password


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    is_staff = False
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            ensure_roles()
            user.is_staff = extracted != roles.RECOMMENDER  # a body works outside the newsroom's admin
            user.groups.add(Group.objects.get(name=roles.GROUP_NAMES[extracted]))
        user.save()


def make_user(role=None, **kwargs):
    return UserFactory(role=role, **kwargs)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "jinan"
    name = "济南"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    title = "优秀党建品牌征集展示活动"
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    call_text = "欢迎全省各级党组织报送优秀党建品牌。"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    editor_note_template = "本期展示的，是{organization}打造的{brand}党建品牌。"
    standing_call = "征集活动持续进行中，欢迎报送。"
    mailbox = "mailbox@example.com"

    @factory.post_generation
    def criteria(campaign, create, extracted, **kwargs):
        if create and not campaign.criteria.exists():
            for order, (name, weight) in enumerate([("创新性", 2.5), ("实效性", 3), ("示范性", 2.5), ("可推广性", 2)]):
                Criterion.objects.create(campaign=campaign, name=name, weight=weight, order=order)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """An entry stored as the public form stores it (intake.save_entry, sections in the same
    transaction): a draft by default; `to=Status.SUBMITTED` sends it (its reference, a
    StatusChange made by the submitter via the web). `sections=n`: how many (default 2)."""

    class Meta:
        model = Submission

    campaign = factory.SubFactory(CampaignFactory, slug="default-campaign")
    kind = Kind.PRACTICE
    org_name = factory.Sequence(lambda n: f"示范公司第{n}收费站党支部")
    org_parent = "示范公司党委"
    org_type = OrgType.BRANCH
    sector = Sector.STATE_ENTERPRISE
    region = factory.SubFactory(RegionFactory)
    contact_name = "张三"
    contact_phone = "13800138000"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.com")
    brand_name = factory.Sequence(lambda n: f"零距离{n}")
    brand_slogan = "服务零距离"
    brand_idea = "党员与群众心连心。"
    introduction = "近年来，该党支部坚持党建引领。"
    results = "先后获得全省先进基层党组织称号。"
    consent = True

    @classmethod
    def _create(cls, model_class, *args, sections=2, to=None, **kwargs):
        entry = model_class(*args, **kwargs)
        items = [(f"做法{order}", "一是……二是……三是……") for order in range(1, sections + 1)]
        return intake.save_entry(entry, items, [], [], to=to, actor=workflow.SUBMITTER, via="web")


def jpeg_upload(name="photo.jpg", size=(800, 600), color=(200, 30, 30), fmt="JPEG", **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def add_photo(submission, caption="活动照片", order=0):
    photo = Photo(submission=submission, caption=caption, order=order)
    images.save_photo(photo, jpeg_upload())
    photo.save()
    return photo


def add_attachment(submission, name="申报材料.pdf", content=b"%PDF-1.4\n% test\n", content_type="application/pdf"):
    attachment = Attachment(submission=submission, original_name=name, content_type=content_type, size=len(content))
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


def body_account():
    """The account of the factory's recommending body (not staff: the bodies' workspace)."""
    return make_user(roles.RECOMMENDER, username="factory-body")


def screening_campaign(recommendation=True):
    """A campaign that checks the whole checklist and, with `recommendation`, asks the body of 济南
    (quota 100, acted for by body_account()) to recommend each entry."""
    campaign = CampaignFactory(
        slug="screening-campaign" if recommendation else "eligibility-campaign",
        eligibility_items=list(EligibilityItem.values),
        uses_recommendation=recommendation,
    )
    if recommendation:
        body, _created = RecommendingBody.objects.get_or_create(campaign=campaign, name="济南市委组织部", defaults={"quota": 100})
        body.regions.add(RegionFactory())
        body.members.add(body_account())
    return campaign


def screen(submission, status=Status.RECOMMENDED, *, editor=None):
    """Take a submitted entry through screening as its checker would: every item passed (eligible),
    then recommended by its body when its campaign asks (and `status` is RECOMMENDED)."""
    recommends = submission.campaign.uses_recommendation
    checker = body_account() if recommends else editor or make_user(roles.EDITOR, username="factory-editor")
    passed = {item: (True, "") for item in submission.campaign.eligibility_items}
    screening.check(submission, actor=checker, results=passed)
    if recommends and status == Status.RECOMMENDED:
        screening.recommend(submission, actor=body_account(), opinion="同意推荐。")
    submission.refresh_from_db()
    return submission


def walk_on(submission, status, *, editor=None):
    """workflow.walk's route to `status`, from where the entry is now (an entry sent through the
    form has made the route's first step; one assigned to reviewers, a few more): each step made
    by the one who would make it. In a campaign that screens, a submitted entry is screened before review."""
    editor = editor or make_user(roles.EDITOR, username="factory-editor")
    route = ROUTES[status]
    steps = route[route.index(submission.status) + 1 if submission.status in route else 0 :]
    if submission.status == Status.SUBMITTED and submission.campaign.screens and steps[:1] == [Status.FIRST_REVIEW]:
        screen(submission, editor=editor)
    for step in steps:
        actor = workflow.SUBMITTER if workflow.SUBMITTER in workflow.TRANSITIONS[(submission.status, step)] else editor
        message = "请补充近三年的具体数据和活动照片。" if step in workflow.MESSAGE_REQUIRED else ""
        workflow.transition(submission, step, actor=actor, message=message)
    return submission


def submission_in(status, *, screened_by=None, **kwargs):
    """An entry sent through the form (unless a draft is asked for), then brought to `status`
    through the real workflow, step by step. `screened_by`: "recommendation" or "eligibility", in a
    campaign that screens so (screening_campaign); eligible and recommended entries are, by default,
    in the campaign that asks for recommendation."""
    editor = make_user(roles.EDITOR, username="factory-editor")
    chief = make_user(roles.CHIEF, username="factory-chief")
    if status in (Status.ELIGIBLE, Status.RECOMMENDED) and screened_by is None:
        screened_by = "recommendation"
    if screened_by is not None:
        kwargs.setdefault("campaign", screening_campaign(recommendation=screened_by == "recommendation"))
    submission = SubmissionFactory(to=None if status == Status.DRAFT else Status.SUBMITTED, **kwargs)
    if status in (Status.ELIGIBLE, Status.RECOMMENDED):
        return screen(submission, status, editor=editor)
    if status == Status.PUBLISHED:
        from submissions.newsroom import publishing

        walk_on(submission, Status.ACCEPTED, editor=editor)
        article = publishing.draft_from_entry(submission, editor=editor)
        publishing.request_sign_off(article, editor)
        publishing.sign_off(article, chief)
        publishing.publish(article, chief)  # the workflow publishes the entry with it
        submission.refresh_from_db()
        return submission
    return walk_on(submission, status, editor=editor)


class ShowcaseFactory(factory.django.DjangoModelFactory):
    """A draft article of an accepted entry (a given entry is first taken to accepted through the
    workflow), with its first revision written by its responsible editor, as the admin stores it."""

    class Meta:
        model = Showcase

    campaign = factory.SelfAttribute("submission.campaign")
    submission = factory.SubFactory(SubmissionFactory, to=Status.SUBMITTED)
    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"优秀党建品牌巡展|示范单位{n}打造“零距离”特色党建品牌")
    short_name = "示范单位"
    brand_name = "零距离"
    byline = "大众日报记者 王晓 刘洋"
    lead = "近年来，该党支部坚持党建引领。"
    responsible_editor = factory.LazyFunction(lambda: make_user(roles.EDITOR, username="article-editor"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from submissions.newsroom import publishing

        submission = kwargs.get("submission")
        if submission is not None and submission.status != Status.ACCEPTED:
            walk_on(submission, Status.ACCEPTED, editor=make_user(roles.EDITOR, username="factory-editor"))
        article = super()._create(model_class, *args, **kwargs)
        publishing.edited(article, article.responsible_editor, note="factory")
        return article


def article_in(state, **kwargs):
    """An article brought to `state` through the workflow: written by its responsible editor,
    sent for sign-off, signed off by a chief editor, published, … step by step."""
    article = ShowcaseFactory(**kwargs)
    chief = make_user(roles.CHIEF, username="factory-chief")
    return take_article_to(article, state, editor=article.responsible_editor, chief=chief)


def take_article_to(article, state, *, editor, chief):
    """A draft article moved on to `state` by the newsroom's own steps (request, sign, schedule, publish, unpublish)."""
    from submissions.newsroom import publishing

    A = Showcase.State
    routes = {
        A.DRAFT: [],
        A.AWAITING_SIGNOFF: ["request"],
        A.SIGNED_OFF: ["request", "sign"],
        A.SCHEDULED: ["request", "sign", "schedule"],
        A.PUBLISHED: ["request", "sign", "publish"],
        A.UNPUBLISHED: ["request", "sign", "publish", "unpublish"],
    }
    for step in routes[state]:
        if step == "request":
            publishing.request_sign_off(article, editor)
        elif step == "sign":
            publishing.sign_off(article, chief)
        elif step == "schedule":
            publishing.schedule(article, chief, timezone.now() + timedelta(hours=1))
        elif step == "publish":
            publishing.publish(article, chief)
        else:
            publishing.unpublish(article, chief, "核实中")
    return article


def published_showcase(**kwargs):
    """An article written, sent for sign-off, signed off by a chief editor and published, through the workflow."""
    return article_in(Showcase.State.PUBLISHED, **kwargs)


def assign(submission, reviewer, stage=Stage.FIRST):
    """The reviewer asked to score the entry, as an editor's assignment makes it (assignments.assign:
    the reviewer is told): only in the round the entry's status is scored in."""
    status = Submission.objects.values_list("status", flat=True).get(pk=submission.pk)
    if assignments.STAGE_OF_STATUS.get(status) != stage:
        raise Refused(f"an entry in {status} is not given to reviewers for the {stage} round")
    editor = make_user(roles.EDITOR, username="factory-editor")
    created, refused = assignments.assign([(submission, reviewer)], by=editor, stage=stage)
    if refused:
        raise Refused("; ".join(refused))
    return created[0]


def review(submission, reviewer, stage=Stage.FIRST, scores=None, comment="很好"):
    """A review with a score per criterion (default 8 each), saved as the score page saves it
    (scoring.save_review: its total, the entry's score, the round completed): by a reviewer
    assigned to that round, while the entry's scoring is open."""
    status = Submission.objects.values_list("status", flat=True).get(pk=submission.pk)
    if not scoring.scoring_open(Submission(status=status)):
        raise Refused(f"the scoring of an entry in {status} is closed")
    if scoring.assignment(reviewer, submission.pk, stage) is None:
        raise Refused(f"{reviewer} is not assigned to the {stage} round of this entry")
    criteria = submission.campaign.criteria.order_by("order", "pk")
    chosen = {criterion: (scores or {}).get(criterion.name, 8) for criterion in criteria}
    return scoring.save_review(submission, reviewer, stage, chosen, comment)


def publish_again(article):
    """After an edit of a published article (back to 待签审), a chief editor signs it off and publishes it."""
    from submissions.newsroom import publishing

    chief = make_user(roles.CHIEF, username="factory-chief")
    article.refresh_from_db()
    publishing.sign_off(article, chief)
    publishing.publish(article, chief)
    return article
