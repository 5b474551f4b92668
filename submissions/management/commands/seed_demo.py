"""Fill the database with a demo campaign, entries in every status, two published articles and
demo accounts. Idempotent: a second run adds nothing and changes nothing but the passwords it prints."""

import io
import os
import random
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from submissions import demo, overlap, workflow
from submissions.experts import services as experts
from submissions.models import (
    Campaign,
    CommentaryRequest,
    Criterion,
    Kind,
    OrgType,
    Photo,
    RecommendingBody,
    Region,
    RelatedLink,
    ReviewAssignment,
    ReviewerProfile,
    Section,
    Showcase,
    Stage,
    Submission,
)
from submissions.models import Status as S
from submissions.newsroom import publishing
from submissions.platform import images
from submissions.recommend import selectors as screening
from submissions.recommend import services as recommend
from submissions.review import scoring as reviews
from submissions.workflow import roles

# Twenty entries: every status at least once, two published, a few more in review.
STATUS_PLAN = [
    S.PUBLISHED,
    S.PUBLISHED,
    S.ACCEPTED,
    S.SHORTLISTED,
    S.FINAL_REVIEW,
    S.SECOND_REVIEW,
    S.SECOND_REVIEW,
    S.FIRST_REVIEW,
    S.FIRST_REVIEW,
    S.FIRST_REVIEW,
    S.SUBMITTED,
    S.SUBMITTED,
    S.RETURNED,
    S.RESUBMITTED,
    S.DECLINED,
    S.WITHDRAWN,
    S.DRAFT,
    S.SUBMITTED,
    S.SHORTLISTED,
    S.FIRST_REVIEW,
]
ACCOUNTS = [
    ("admin", None, "系统管理员"),
    ("editor", roles.EDITOR, "王编辑"),
    ("chief", roles.CHIEF, "李签审"),
    ("reviewer", roles.REVIEWER, "张专家"),
    ("reviewer2", roles.REVIEWER, "赵专家"),
    (demo.BODY_ACCOUNT[0], roles.RECOMMENDER, demo.BODY_ACCOUNT[1]),  # a recommending body's: its workspace, not the admin
]
PALETTE = [(183, 28, 28), (21, 101, 192), (46, 125, 50), (239, 108, 0), (106, 27, 154), (0, 121, 107)]


def draw_photo(seed, label):
    """A demo photo drawn by Pillow: coloured bands and shapes, as a JPEG upload."""
    rng = random.Random(seed)  # noqa: S311 (pictures, not secrets)
    image = Image.new("RGB", (1600, 1067), rng.choice(PALETTE))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(1600), rng.randrange(1067)
        r = rng.randrange(60, 260)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(PALETTE), outline=(255, 255, 255), width=6)
    draw.text((40, 1000), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def account_lines(password):
    """The demo accounts as printed by seed_demo and demo_accounts."""

    def line(username, role):
        return f"  {username:<10} {role or 'superuser':<10} password: {password}"

    lines = [f"Demo accounts ({settings.SITE_URL}/admin/):"]
    lines += [line(username, role) for username, role, _ in ACCOUNTS if role != roles.RECOMMENDER]
    lines += [f"Recommending body ({settings.SITE_URL}/recommend/):"]
    lines += [line(username, role) for username, role, _ in ACCOUNTS if role == roles.RECOMMENDER]
    return lines


def password_file():
    return Path(settings.BASE_DIR) / ".demo_password"


class Command(BaseCommand):
    help = "Create demo content and accounts (idempotent). The password comes from DEMO_PASSWORD, else is generated once and kept in .demo_password."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Do not print the accounts (make run prints them last, with demo_accounts).",
        )

    def handle(self, *args, no_accounts=False, **options):
        password = self.password()
        users = self.accounts(password)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            campaign = self.campaign()
            created = self.entries(campaign, users)
            screened = self.screened_campaign(users)
            created += self.screened_entries(screened, users)
        self.overlap_reports([campaign, screened])
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {created} new entries."))
        if not no_accounts:
            self.stdout.write("\n".join(account_lines(password)))

    def overlap_reports(self, campaigns):
        """Index every entry and article, then report on each entry against the whole demo archive
        (an entry reported while the archive was half loaded saw the demo's shared template text
        as a copy), so a second run finds the same matches. Both campaigns at once: one's entries
        indexed after the other's reports would change them on the next run."""
        entries = Submission.objects.filter(campaign__in=campaigns).exclude(status=S.DRAFT).values_list("pk", flat=True)
        articles = Showcase.objects.filter(campaign__in=campaigns).values_list("pk", flat=True)
        overlap.refresh_all(entries, articles)

    def password(self):
        if os.environ.get("DEMO_PASSWORD"):
            return os.environ["DEMO_PASSWORD"]
        path = password_file()
        if path.exists():
            return path.read_text().strip()
        value = secrets.token_urlsafe(9)
        path.write_text(value + "\n")
        path.chmod(0o600)
        return value

    def accounts(self, password):
        User = get_user_model()
        users = {}
        for username, role, name in ACCOUNTS:
            user, _created = User.objects.get_or_create(
                username=username, defaults={"first_name": name, "email": f"{username}@example.com"}
            )
            user.is_staff = role != roles.RECOMMENDER  # a body's account never enters the admin
            user.is_superuser = role is None
            user.set_password(password)
            user.save()
            if role:
                roles.grant(user, role)
            users[username] = user
        # A declared affiliation, so that automatic distribution has a conflict to skip.
        ReviewerProfile.objects.get_or_create(reviewer=users["reviewer2"], defaults={"affiliations": demo.ORGS[0][2]})
        return users

    def campaign(self):
        campaign, created = Campaign.objects.get_or_create(
            slug="2026-party-brands",
            defaults=demo.campaign_defaults(
                "2026年度优秀党建品牌征集展示活动", "djpp@example.com", opened_days_ago=60, closes_in_days=120
            ),
        )
        if created:
            for order, (name, weight) in enumerate(demo.CRITERIA):
                Criterion.objects.create(campaign=campaign, name=name, weight=weight, order=order)
        return campaign

    def screened_campaign(self, users):
        """The campaign that screens: its checklist, recommendation, and the two bodies with the body's account."""
        slug, title, mailbox = demo.SCREENED_CAMPAIGN
        campaign, created = Campaign.objects.get_or_create(
            slug=slug,
            defaults={
                **demo.campaign_defaults(title, mailbox, opened_days_ago=30, closes_in_days=90),
                "eligibility_items": demo.ELIGIBILITY_ITEMS,
                "uses_recommendation": True,
            },
        )
        if created:
            for order, (name, weight) in enumerate(demo.CRITERIA):
                Criterion.objects.create(campaign=campaign, name=name, weight=weight, order=order)
        for order, (name, city) in enumerate(demo.BODIES):
            body, _made = RecommendingBody.objects.get_or_create(
                campaign=campaign, name=name, defaults={"quota": demo.BODY_QUOTA, "order": order}
            )
            body.regions.add(Region.objects.get(name=city))
            if order == 0:
                body.members.add(users[demo.BODY_ACCOUNT[0]])
        return campaign

    def screened_entries(self, campaign, users):
        """A few entries of the screening campaign: sent, checked (eligible) and recommended, through
        the screening services: the 济南 body's account checks and recommends its own, an editor
        checks 青岛's (its body has no demo account)."""
        kinds = list(Kind.values)
        body_account = users[demo.BODY_ACCOUNT[0]]
        created = 0
        for index, (org, short, parent, brand, slogan, sector, city, target) in enumerate(demo.SCREENED_ORGS):
            if Submission.objects.filter(campaign=campaign, org_name=org).exists():
                continue
            region = Region.objects.get(name=city)
            with transaction.atomic():
                number = len(demo.ORGS) + index  # its own photos and contact details, after the first campaign's
                entry = self.entry(campaign, number, org, short, parent, brand, slogan, sector, [region], kinds)
                list(workflow.walk(entry, S.SUBMITTED, editor=users["editor"], via="seed_demo"))
                entry.refresh_from_db()
                checker = body_account if entry.body is not None and body_account in entry.body.members.all() else users["editor"]
                if target in (S.ELIGIBLE, S.RECOMMENDED):
                    found = {s.item: (s.passed, s.reason) for s in screening.suggest(entry)}
                    recommend.check(entry, actor=checker, results=found, note="seed_demo")
                if target == S.RECOMMENDED:
                    recommend.recommend(entry, actor=body_account, opinion=demo.OPINION)
            created += 1
        return created

    def entries(self, campaign, users):
        regions = list(Region.objects.order_by("order"))
        kinds = list(Kind.values)
        created = 0
        for index, (org, short, parent, brand, slogan, sector) in enumerate(demo.ORGS):
            if Submission.objects.filter(campaign=campaign, org_name=org).exists():
                continue
            with transaction.atomic():
                submission = self.entry(campaign, index, org, short, parent, brand, slogan, sector, regions, kinds)
                target = STATUS_PLAN[index]
                self.walk(submission, S.ACCEPTED if target == S.PUBLISHED else target, users)
                if target == S.PUBLISHED:
                    self.article(submission, short, users)
            created += 1
        return created

    def entry(self, campaign, index, org, short, parent, brand, slogan, sector, regions, kinds):
        fill = {"org": org, "short": short, "brand": brand, "slogan": slogan}
        submission = Submission.objects.create(
            campaign=campaign,
            kind=kinds[index % len(kinds)],
            org_name=org,
            org_parent=parent,
            org_type=[OrgType.BRANCH, OrgType.COMMITTEE, OrgType.GENERAL_BRANCH][index % 3],
            sector=sector,
            region=regions[index % len(regions)],
            contact_name=f"联系人{index + 1:02d}",
            contact_phone=f"1380531{index:04d}",
            contact_email=f"contact{index + 1:02d}@example.com",
            brand_name=brand,
            brand_slogan=slogan,
            brand_idea=demo.IDEA.format(**fill),
            introduction=demo.INTRO.format(**fill),
            results=demo.RESULTS.format(**fill),
            model_story=demo.MODEL_STORY if index % 2 else "",
            consent=True,
        )
        for order, theme in enumerate(demo.SECTION_THEMES, start=1):
            Section.objects.create(
                submission=submission,
                order=order,
                heading=f"{theme}{brand}"[:40],
                body=demo.SECTION_BODY.format(theme=theme, **fill),
            )
        if index in (demo.COPY_FROM, demo.COPY_TO):
            heading, body = demo.COPIED_SECTION
            Section.objects.create(submission=submission, order=len(demo.SECTION_THEMES) + 1, heading=heading, body=body)
        for order in range(1 + index % 3):
            photo = Photo(submission=submission, order=order, caption=f"{short}党员开展“{brand}”主题活动（{order + 1}）")
            images.save_photo(photo, draw_photo(index * 10 + order, f"{brand} {order + 1}"))
            photo.save()
        return submission

    def walk(self, submission, target, users):
        for step in workflow.walk(submission, target, editor=users["editor"], via="seed_demo"):
            # The round just finished was scored by the second demo reviewer.
            finished = {S.SECOND_REVIEW: Stage.FIRST, S.SHORTLISTED: Stage.SECOND}.get(step)
            if finished:
                self.score(submission, users["reviewer2"], finished, users["editor"])
            if step in (S.FIRST_REVIEW, S.SECOND_REVIEW) and submission.pk % 2:
                stage = Stage.FIRST if step == S.FIRST_REVIEW else Stage.SECOND
                ReviewAssignment.objects.get_or_create(
                    submission=submission,
                    reviewer=users["reviewer"],
                    stage=stage,
                    defaults={"assigned_by": users["editor"]},
                )

    def score(self, submission, reviewer, stage, editor):
        ReviewAssignment.objects.get_or_create(
            submission=submission, reviewer=reviewer, stage=stage, defaults={"assigned_by": editor}
        )
        criteria = list(submission.campaign.criteria.all())
        scores = {c: min(c.max_score, 5 + (submission.pk + i + len(stage)) % 5) for i, c in enumerate(criteria)}
        reviews.save_review(submission, reviewer, stage, scores, comment="做法扎实，特色鲜明，建议补充量化成效。")

    def article(self, submission, short, users):
        showcase = publishing.draft_from_entry(
            submission, editor=users["editor"], short_name=short, reporters="王晓 刘洋", interns="孙悦", correspondents="周明"
        )
        showcase.expert_commentary = "该品牌立足岗位实际，把党建工作融入服务群众全过程，做法实、成效显，具有较强的示范推广价值。"
        showcase.expert_name = "省委党校党建教研部 陈教授"
        showcase.save(update_fields=["expert_commentary", "expert_name", "updated_at"])
        RelatedLink.objects.create(
            showcase=showcase, order=0, title="优秀党建品牌征集展示活动启事", url="https://example.com/call"
        )
        publishing.edited(showcase, users["editor"], note="补充专家点评和相关链接")
        publishing.request_sign_off(showcase, users["editor"])
        publishing.sign_off(showcase, users["chief"])
        publishing.publish(showcase, users["chief"], via="seed_demo")
        self.commentary(submission, users)

    def commentary(self, submission, users):
        """The panel's expert comments on the first published entry (专家智库), through the experts' services."""
        if CommentaryRequest.objects.exists():
            return
        expert = experts.ensure_expert(
            slug="chen-ming",
            name="陈明",
            title="教授、党建教研部主任",
            affiliation="中共山东省委党校",
            bio="长期从事基层党建理论与实践研究，主持多项党建课题。",
            email="expert@example.com",
        )
        due = timezone.now() + timedelta(days=7)
        request = experts.request(
            submission, editor=users["editor"], expert=expert, due_at=due, brief="请从品牌特色和推广价值点评。"
        )
        text = "这一品牌把支部建在服务一线，以党建引领业务、以业务检验党建，路径清晰、机制可复制，值得在同类单位推广。"
        diagnosis = "品牌定位清晰；建议进一步提炼可量化的成效指标，形成标准化的工作手册。"
        experts.write(request, workflow.EXPERT_LINK, text, diagnosis, request.version, via="seed_demo")
        experts.accept(request, users["editor"], via="seed_demo")
