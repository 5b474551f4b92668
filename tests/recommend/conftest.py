"""The recommending bodies' workspace: a screening campaign with two bodies (济南, 青岛), an account of
each, and entries sent through the form (their body is set when they are submitted)."""

import pytest

from submissions.models import EligibilityItem, RecommendingBody, Status
from submissions.workflow import roles
from tests.factories import CampaignFactory, RegionFactory, SubmissionFactory, add_photo, make_user


def body_account(username, *bodies):
    """A body's account as the editors make one: the 推荐单位 role, not staff (never the admin)."""
    user = make_user(roles.RECOMMENDER, username=username)
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    for body in bodies:
        body.members.add(user)
    return user


@pytest.fixture
def campaign(db):
    return CampaignFactory(
        slug="screened", title="2026年优秀党建品牌征集", eligibility_items=list(EligibilityItem.values), uses_recommendation=True
    )


@pytest.fixture
def jinan(db):
    return RegionFactory(code="jinan", name="济南")


@pytest.fixture
def qingdao(db):
    return RegionFactory(code="qingdao", name="青岛")


@pytest.fixture
def body(campaign, jinan):
    made = RecommendingBody.objects.create(campaign=campaign, name="济南市委组织部", quota=2)
    made.regions.add(jinan)
    return made


@pytest.fixture
def other_body(campaign, qingdao):
    made = RecommendingBody.objects.create(campaign=campaign, name="青岛市委组织部", quota=2, order=1)
    made.regions.add(qingdao)
    return made


@pytest.fixture
def member(body):
    return body_account("jn-account", body)


@pytest.fixture
def other_member(other_body):
    return body_account("qd-account", other_body)


def submitted(campaign, region, **kwargs):
    """An entry sent through the form, complete (a photo), in the body's area of its city."""
    entry = SubmissionFactory(campaign=campaign, region=region, to=Status.SUBMITTED, **kwargs)
    add_photo(entry, caption="走访群众")
    entry.refresh_from_db()
    return entry


@pytest.fixture
def entry(campaign, jinan, body):
    return submitted(campaign, jinan, org_name="历下区示范街道党工委", brand_name="泉城先锋")


@pytest.fixture
def other_entry(campaign, qingdao, other_body):
    return submitted(campaign, qingdao, org_name="崂山区海岸社区党委", brand_name="蓝色港湾")


def all_passed(entry):
    """The POST of an eligibility form with every item passed."""
    return {f"passed_{item}": "yes" for item in entry.campaign.eligibility_items}
