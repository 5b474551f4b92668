"""Issue 27 items 5 and 6: the entry form's error summary (a count, one link per field in page order,
each message naming its field), the required marker where the rule is, the tracking page's stages
and next step, withdrawal at the end behind its confirmation, and the receipt's 'keep this link'."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from submissions.models import Status, Submission
from tests.factories import submission_in
from tests.submit_data import entry_data, formset, jpeg

pytestmark = pytest.mark.django_db

# An empty post of a fresh page: the fields that need attention, in the order of the page.
EMPTY_POST_LINKS = [
    "id_org_name",
    "id_org_type",
    "id_sector",
    "id_region",
    "id_contact_name",
    "id_contact_phone",
    "id_contact_email",
    "id_kind_0",
    "id_brand_name",
    "id_brand_idea",
    "id_introduction",
    "sections-errors",
    "id_results",
    "photos-errors",
    "id_consent",
]


@pytest.fixture(autouse=True)
def _quick(quick_forms):
    pass


def submit_url(campaign):
    return reverse("calls:submit", args=[campaign.slug])


def hidden_fields(html):
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def summary_of(html):
    start = html.index('id="error-summary"')
    return html[start : html.index("</div>", start)]


def links_of(html):
    return re.findall(r'<a href="#([^"]+)" data-error-link="\1">([^<]*)</a>', summary_of(html))


def test_an_empty_post_gets_a_summary_with_the_count_and_a_link_to_each_field_in_page_order(client, campaign, region):
    page = client.get(submit_url(campaign)).content.decode()
    data = {**hidden_fields(page), "action": "submit"}
    html = client.post(submit_url(campaign), data).content.decode()
    links = links_of(html)
    assert [target for target, _text in links] == EMPTY_POST_LINKS
    assert "还未提交成功：有 15 处需要修改" in summary_of(html)
    # Every link's target exists, and the targets come in the order of the page.
    positions = []
    for target in EMPTY_POST_LINKS:
        assert html.count(f'id="{target}"') == 1, target
        positions.append(html.index(f'id="{target}"'))
    assert positions == sorted(positions)
    # As many links as places the page marks wrong: each field's message block, and the two parts' boxes.
    assert len(links) == html.count('class="invalid-feedback"') + html.count("data-part-errors>") == 15


def test_field_messages_name_the_field_and_the_fix(client, campaign, region):
    data = entry_data(region)
    data.update(contact_name="", contact_phone="1381234567", org_name="")
    html = client.post(submit_url(campaign), data).content.decode()
    name_box = html[html.index('id="div_id_contact_name"') : html.index('id="div_id_contact_phone"')]
    assert "请填写联系人姓名。" in name_box
    assert "这个字段是必填项" not in html
    phone_box = html[html.index('id="div_id_contact_phone"') : html.index('id="div_id_contact_email"')]
    assert "手机号码应为 11 位数字，如 13812345678" in phone_box
    assert [target for target, _text in links_of(html)] == ["id_org_name", "id_contact_name", "id_contact_phone"]
    assert "有 3 处需要修改" in summary_of(html)


def test_a_photo_without_its_caption_is_named_by_its_place_on_the_page(client, campaign, region):
    data = entry_data(region, photos=0)
    data.update(
        formset(
            "photos",
            [{"caption": "主题党日", "ORDER": "2"}, {"caption": "", "ORDER": "1"}],
        )
    )
    files = {"photos-0-image": jpeg("a.jpg"), "photos-1-image": jpeg("b.jpg")}
    html = client.post(submit_url(campaign), {**data, **files}).content.decode()
    # The second item is shown first (its ORDER is 1): the summary calls it the first photo.
    assert links_of(html) == [("id_photos-1-caption", "第 1 张图片，请填写图片说明，一句话说明照片里的活动或场景。")]
    assert Submission.objects.count() == 0


def test_the_required_marker_follows_the_rule(client, campaign):
    html = client.get(submit_url(campaign)).content.decode()

    def marked(field_id):
        label = re.search(rf'<(?:label|legend)[^>]*for="{field_id}"[^>]*>(.*?)</(?:label|legend)>', html, re.S)
        assert label, field_id
        return "asteriskField" in label.group(1)

    for field_id in ("id_photos-0-image", "id_photos-0-caption", "id_org_name", "id_contact_name", "id_consent"):
        assert marked(field_id), field_id
    for field_id in ("id_org_parent", "id_brand_slogan", "id_model_story", "id_attachment_files", "id_photos-0-section"):
        assert not marked(field_id), field_id


# The tracking page ------------------------------------------------------------------------------


def tracking(client, entry):
    return client.get(reverse("track:detail", args=[entry.tracking_token])).content.decode()


def stages_of(html):
    return re.findall(r'data-stage="(\w+)" data-state="(\w+)"', html)


def test_the_tracking_page_says_the_stages_and_who_acts_with_the_current_one_marked(client):
    entry = submission_in(Status.FIRST_REVIEW)
    html = tracking(client, entry)
    assert stages_of(html) == [
        ("submitted", "done"),
        ("review", "current"),
        ("shortlist", "todo"),
        ("accepted", "todo"),
        ("published", "todo"),
    ]
    names = re.findall(r'<span class="stage-name">([^<]+)</span>', html)
    assert names == ["已报送", "初审、复审", "入围、终审", "采用", "发表"]
    assert html.count('aria-current="step"') == 1
    current = html[html.index('aria-current="step"') : html.index("</li>", html.index('aria-current="step"'))]
    assert "初审、复审" in current and "评审专家" in current and "当前阶段" in current
    assert "评审专家正在初审" in html


def test_a_screening_campaign_shows_the_recommending_body_stage(client):
    entry = submission_in(Status.ELIGIBLE)
    html = tracking(client, entry)
    assert [key for key, _state in stages_of(html)][:3] == ["submitted", "screening", "review"]
    assert ("screening", "current") in stages_of(html)
    assert "推荐单位" in html and "接下来由推荐单位决定是否推荐" in html


def test_a_returned_entry_stays_at_its_stage_marked_for_the_submitter(client):
    entry = submission_in(Status.RETURNED)  # submitted, first review, returned
    html = tracking(client, entry)
    assert ("review", "current") in stages_of(html)
    assert "待您修改" in html and "修改并重新提交" in html


def test_withdrawing_is_a_small_link_at_the_end_leading_to_the_confirmation(client):
    entry = submission_in(Status.SUBMITTED)
    html = tracking(client, entry)
    withdraw = reverse("track:withdraw", args=[entry.tracking_token])
    assert html.count(f'href="{withdraw}"') == 1
    link = re.search(rf'<a[^>]*href="{re.escape(withdraw)}"[^>]*>', html).group(0)
    assert "btn" not in link and "w-100" not in link
    at = html.index(f'href="{withdraw}"')
    assert at > html.index('class="status-timeline"') > html.index("data-stages")
    assert "撤回报送" not in html[: html.index('class="status-timeline"')]
    # The link leads to the confirmation; nothing is withdrawn by following it.
    page = client.get(withdraw).content.decode()
    assert "确认撤回" in page
    assert Submission.objects.get(pk=entry.pk).status == Status.SUBMITTED


def test_the_timeline_starts_without_jargon(client):
    entry = submission_in(Status.SUBMITTED)
    html = tracking(client, entry)
    timeline = html[html.index('class="status-timeline"') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert "创建" not in html
    assert "提交报送" in timeline and "保存草稿" not in timeline
    # Saved as a draft a day before it was sent in: that comes first.
    Submission.objects.filter(pk=entry.pk).update(created_at=entry.created_at - timedelta(days=1))
    timeline = tracking(client, entry).split('class="status-timeline"')[1].split("</ol>")[0]
    assert timeline.index("保存草稿") < timeline.index("提交报送")


def test_a_draft_says_what_to_do(client):
    entry = submission_in(Status.DRAFT)
    html = tracking(client, entry)
    assert all(state == "todo" for _key, state in stages_of(html))
    assert "这份报送还是草稿" in html and "保存草稿" in html and "创建" not in html


def test_the_tracking_page_queries_are_bounded(client, django_assert_max_num_queries):
    entry = submission_in(Status.RETURNED)
    with django_assert_max_num_queries(20):
        tracking(client, entry)


# The receipt ------------------------------------------------------------------------------------


def test_the_receipt_says_to_keep_the_link_with_a_copy_control(client):
    entry = submission_in(Status.SUBMITTED)
    html = client.get(reverse("track:receipt", args=[entry.tracking_token])).content.decode()
    keep = html[html.index("data-keep-link") :]
    assert "收藏" in keep and "唯一途径" in keep
    # Without script the link is plain selectable text; the copy button is shown by track.js.
    field = re.search(r'<input[^>]*id="tracking-url"[^>]*>', html).group(0)
    assert "readonly" in field and entry.tracking_token in field and "disabled" not in field
    button = re.search(r'<button[^>]*data-copy="tracking-url"[^>]*>', html).group(0)
    assert "hidden" in button
    assert "data-copy-status" in html and re.search(r"js/track\.(\w+\.)?js", html)
