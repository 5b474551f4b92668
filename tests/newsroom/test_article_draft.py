"""The article draft carries everything: the model person's story as its own titled part, the
byline's medium and the source line apart (campaign defaults, editable per article), and each
photo after the section it illustrates, as the submitter chose on the public form."""

import pytest
from django.urls import reverse

from submissions import workflow
from submissions.models import Campaign, Status, Submission
from submissions.newsroom import publishing
from tests.factories import make_user
from tests.submit_data import entry_data, formset, jpeg

S = Status


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def submit(client, campaign, region, **overrides):
    photos = formset(
        "photos",
        [
            {"image": jpeg("a.jpg"), "caption": "第二节的图", "section": "2"},
            {"image": jpeg("b.jpg"), "caption": "文末的图", "section": ""},
            {"image": jpeg("c.jpg"), "caption": "第一节的图", "section": "1"},
        ],
    )
    data = entry_data(region, sections=3, model_story="共产党员张某某扎根一线十余年。", **photos, **overrides)
    response = client.post(reverse("calls:submit", args=[campaign.slug]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Submission.objects.get()


@pytest.mark.django_db
def test_submitter_picks_each_photos_section(client, campaign, region, quick_forms):
    entry = submit(client, campaign, region)
    placed = {p.caption: (p.section.order if p.section else None) for p in entry.photos.select_related("section")}
    assert placed == {"第二节的图": 2, "文末的图": None, "第一节的图": 1}


@pytest.mark.django_db
def test_a_section_number_beyond_the_list_is_refused_next_to_the_field(client, campaign, region, quick_forms):
    data = entry_data(region, **formset("photos", [{"image": jpeg(), "caption": "图", "section": "99"}]))
    response = client.post(reverse("calls:submit", args=[campaign.slug]), data)
    assert response.status_code == 200 and "请从列表中选择章节" in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_the_draft_carries_story_byline_source_and_placed_photos(client, campaign, region, quick_forms):
    Campaign.objects.filter(pk=campaign.pk).update(source="大众日报客户端", byline_medium="大众日报全媒体记者")
    entry = submit(client, campaign, region)
    editor = make_user("editor", username="draft-editor", first_name="王编辑")
    for step in (S.FIRST_REVIEW, S.SECOND_REVIEW, S.SHORTLISTED, S.ACCEPTED):
        workflow.transition(entry, step, actor=editor)
    article = publishing.draft_from_entry(entry, editor=editor, reporters="王晓 刘洋")
    assert article.byline == "大众日报全媒体记者 王晓 刘洋"
    assert article.source == "大众日报客户端"
    sections = list(article.sections.order_by("order").values_list("order", "heading"))
    assert sections == [(1, "做法1"), (2, "做法2"), (3, "做法3"), (4, "典型人物事迹")]
    assert article.sections.get(order=4).body == "共产党员张某某扎根一线十余年。"
    placed = {p.caption: (p.section.heading if p.section else None) for p in article.photos.select_related("section")}
    assert placed == {"第二节的图": "做法2", "文末的图": None, "第一节的图": "做法1"}

    chief = make_user("chief", username="draft-chief")
    publishing.sign_off(article, chief)
    publishing.publish(article, chief)
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('class="article-body"', 1)[1]
    order = [body.index(text) for text in ("做法1", "第一节的图", "做法2", "第二节的图", "做法3", "典型人物事迹", "文末的图")]
    assert order == sorted(order), order
    assert "发布来源:大众日报客户端" in html and "大众日报全媒体记者 王晓 刘洋" in html


@pytest.mark.django_db
def test_an_entry_without_a_story_gets_no_empty_part(editor):
    from tests.factories import submission_in

    entry = submission_in(S.ACCEPTED)
    article = publishing.draft_from_entry(entry, editor=editor)
    assert "典型人物事迹" not in list(article.sections.values_list("heading", flat=True))
    assert article.byline == ""  # no reporters yet
