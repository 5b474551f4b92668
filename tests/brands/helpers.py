"""Entries and articles of one organization's brand across campaigns and years, made through the
domain's own functions (tests/factories.py: the form's save, the workflow, the newsroom's steps)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from submissions.models import Campaign, Showcase, Status
from tests.factories import CampaignFactory, SubmissionFactory, article_in, submission_in

BEIJING = ZoneInfo("Asia/Shanghai")
ORG = "示范港务集团第一码头党支部"
BRAND = "码头先锋"


def campaign_of(year, slug=None, title=None):
    """A campaign that ran in `year` (its dates moved there after it is made: the form takes entries now)."""
    campaign = CampaignFactory(slug=slug or f"brand-campaign-{year}", title=title or f"{year}年优秀党建品牌征集")
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_at=datetime(year, 3, 1, tzinfo=BEIJING), closes_at=datetime(year, 6, 30, tzinfo=BEIJING)
    )
    return campaign


def entry_of(campaign, org_name=ORG, brand_name=BRAND, **kwargs):
    """A sent entry of `campaign` (the article factory takes it on to accepted)."""
    return SubmissionFactory(campaign=campaign, org_name=org_name, brand_name=brand_name, to=Status.SUBMITTED, **kwargs)


def article_of(campaign, state=Showcase.State.PUBLISHED, **kwargs):
    """An article of an entry of the brand in `campaign`, brought to `state` through the newsroom's steps."""
    return article_in(state, submission=entry_of(campaign, **kwargs))


def later_entry(status=Status.SUBMITTED, org_name=ORG, brand_name=BRAND):
    """An entry of the same organization and brand in a later campaign (the current one)."""
    return submission_in(status, campaign=CampaignFactory(slug="brand-later"), org_name=org_name, brand_name=brand_name)
