"""The newsroom's publishing screens: draft from an entry, edit with revisions, preview, buttons, comments."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from submissions.models import Comment, Showcase, Status
from submissions.newsroom import publishing
from tests.factories import add_photo, make_user, submission_in

A = Showcase.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    submission = submission_in(Status.ACCEPTED, org_name="运河镇李家庄村党支部", brand_name="田埂课堂")
    add_photo(submission, caption="田间地头的党课")
    return submission


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def change_data(article, **overrides):
    """The change form's POST data for an article as it is, with overrides."""
    fields = ["slug", "title", "short_name", "brand_name", "summary", "byline", "source", "reporters", "interns"]
    fields += ["correspondents", "editor_note", "lead", "closing", "standing_call", "expert_commentary", "expert_name"]
    data = {name: getattr(article, name) for name in fields}
    data |= {"campaign": article.campaign_id, "submission": article.submission_id or ""}
    data["responsible_editor"] = article.responsible_editor_id
    for prefix, items, names in (
        ("sections", article.sections.all(), ["order", "heading", "body"]),
        ("photos", article.photos.all(), ["order", "caption", "photo"]),
        ("links", article.links.all(), ["order", "title", "url"]),
    ):
        items = list(items)
        data |= {f"{prefix}-TOTAL_FORMS": len(items), f"{prefix}-INITIAL_FORMS": len(items), f"{prefix}-MIN_NUM_FORMS": 0}
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for index, item in enumerate(items):
            data[f"{prefix}-{index}-id"] = item.pk
            data[f"{prefix}-{index}-showcase"] = article.pk
            for name in names:
                value = getattr(item, f"{name}_id" if name == "photo" else name)
                data[f"{prefix}-{index}-{name}"] = value
    data.update(overrides)
    return data


def test_editor_creates_the_article_from_an_accepted_entry(entry, editor):
    client = _as(editor)
    listing = client.get(reverse("admin:submissions_showcase_from_entry_list")).content.decode()
    assert entry.org_name in listing
    url = reverse("admin:submissions_showcase_from_entry", args=[entry.pk])
    form = client.get(url).content.decode()
    assert 'value="运河镇李家庄村"' in form  # the guessed short name, editable
    response = client.post(url, {"short_name": "", "reporters": "王晓"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(url, {"short_name": "李家庄村", "reporters": "王晓 刘洋", "interns": "孙悦", "correspondents": "周明"})
    article = Showcase.objects.get(submission=entry)
    assert response.status_code == 302 and response["Location"] == reverse("admin:submissions_showcase_change", args=[article.pk])
    assert article.title == "优秀党建品牌巡展|李家庄村打造“田埂课堂”特色党建品牌" and article.responsible_editor == editor
    assert article.photos.count() == 1
    assert entry.org_name not in client.get(reverse("admin:submissions_showcase_from_entry_list")).content.decode()
    assert client.post(url, {"short_name": "x"}).status_code == 302  # a second time: to the existing article
    assert Showcase.objects.filter(submission=entry).count() == 1


def test_reviewer_cannot_reach_publishing(entry, reviewer):
    client = _as(reviewer)
    assert client.get(reverse("admin:submissions_showcase_from_entry_list")).status_code in (302, 403)


def test_admin_edit_is_a_revision_voids_sign_off_and_is_visible_at_once(entry, editor, chief):
    article = publishing.draft_from_entry(entry, editor=editor, short_name="李家庄村")
    publishing.sign_off(article, chief)
    client = _as(editor)
    url = reverse("admin:submissions_showcase_change", args=[article.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, change_data(article, lead="改写后的导语", **{"sections-0-heading": "新的小标题"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert article.lead == "改写后的导语" and article.state == A.DRAFT and article.signed_off_by is None
    assert article.revisions.count() == 2
    latest = article.revisions.first()
    assert latest.author == editor and latest.data["sections"][0]["heading"] == "新的小标题"
    assert "改写后的导语" in article.search_text
    # sign off again and publish; a correction then needs a new sign-off before it is read
    publishing.sign_off(article, chief)
    publishing.publish(article, chief)
    reader = Client()
    assert "改写后的导语" in reader.get(article.get_absolute_url()).content.decode()
    article.refresh_from_db()
    client.post(url, change_data(article, lead="更正后的导语", correction_reason="导语有误"))  # a correction needs its reason
    article.refresh_from_db()
    entry.refresh_from_db()
    assert article.state == A.AWAITING_SIGNOFF and entry.status == Status.ACCEPTED
    assert reader.get(article.get_absolute_url()).status_code == 404
    publishing.sign_off(article, chief)
    publishing.publish(article, chief)
    assert "更正后的导语" in reader.get(article.get_absolute_url()).content.decode()


def test_revisions_diff_any_two_and_revert(entry, editor):
    article = publishing.draft_from_entry(entry, editor=editor, short_name="李家庄村")
    client = _as(editor)
    change = reverse("admin:submissions_showcase_change", args=[article.pk])
    client.post(change, change_data(article, title="第二版标题"))
    article.refresh_from_db()
    client.post(change, change_data(article, title="第三版标题<script>x</script>"))
    assert article.revisions.count() == 3
    url = reverse("admin:submissions_showcase_revisions", args=[article.pk])
    html = client.get(url, {"a": 1, "b": 3}).content.decode()
    assert "第1版与第3版的差异" in html.replace(" ", "") and 'class="diff"' in html
    assert "第三版标题&lt;script&gt;" in html and "<script>x" not in html
    assert "优秀党建品牌巡展|李家庄村" in html
    response = client.post(reverse("admin:submissions_showcase_revert", args=[article.pk, 1]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "优秀党建品牌巡展|李家庄村打造“田埂课堂”特色党建品牌"
    assert article.revisions.count() == 4 and article.revisions.first().note == "恢复至第 1 版"
    assert article.photos.count() == 1 and article.sections.count() == 2
    assert client.get(reverse("admin:submissions_showcase_revert", args=[article.pk, 1])).status_code == 404


def test_preview_is_the_public_page(entry, editor, chief):
    article = publishing.draft_from_entry(entry, editor=editor, short_name="李家庄村")
    preview = _as(editor).get(reverse("admin:submissions_showcase_preview", args=[article.pk]))
    assert preview.status_code == 200 and "showcase/detail.html" in [t.name for t in preview.templates]
    assert Client().get(article.get_absolute_url()).status_code == 404
    publishing.sign_off(article, chief)
    publishing.publish(article, chief)
    public = Client().get(article.get_absolute_url())
    article_html = public.context["page"]["body"]
    preview = _as(editor).get(reverse("admin:submissions_showcase_preview", args=[article.pk]))
    assert preview.context["page"]["body"] == article_html


def test_workflow_buttons(entry, editor, chief, django_capture_on_commit_callbacks, mailoutbox):
    article = publishing.draft_from_entry(entry, editor=editor, short_name="李家庄村")
    change = reverse("admin:submissions_showcase_change", args=[article.pk])
    move = reverse("admin:submissions_showcase_move", args=[article.pk])
    assert "签审通过" not in _as(editor).get(change).content.decode()
    other_chief = make_user("chief", username="chief2")
    own = publishing.draft_from_entry(submission_in(Status.ACCEPTED), editor=other_chief)
    html = _as(other_chief).get(reverse("admin:submissions_showcase_change", args=[own.pk])).content.decode()
    assert "签审通过" not in html and "提交签审" in html
    refused = _as(other_chief).post(reverse("admin:submissions_showcase_move", args=[own.pk]), {"to": "signed_off"}, follow=True)
    assert "责任编辑不能签审" in refused.content.decode()
    client = _as(chief)
    assert "签审通过" in client.get(change).content.decode()
    client.post(move, {"to": "signed_off"})
    response = client.post(move, {"to": "scheduled", "publish_at": ""}, follow=True)
    assert "请填写定时发布时间" in response.content.decode()
    at = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(move, {"to": "scheduled", "publish_at": at})
    article.refresh_from_db()
    assert article.state == A.SCHEDULED and article.publish_at > timezone.now()
    with django_capture_on_commit_callbacks(execute=True):  # the submitter is sent the link at its first publication
        assert publishing.publish_due(now=article.publish_at + timedelta(seconds=1)) == 1
    response = client.post(move, {"to": "unpublished", "message": ""}, follow=True)
    assert "请填写说明" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(move, {"to": "unpublished", "message": "需要核实数据"})
    article.refresh_from_db()
    entry.refresh_from_db()
    assert article.state == A.UNPUBLISHED and entry.status == Status.ACCEPTED
    client.post(move, {"to": "draft"})
    client.post(move, {"to": "signed_off"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(move, {"to": "published"})
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    assert any(article.get_absolute_url() in m.body for m in mailoutbox)


def test_changelist_offers_create_from_entry(editor):
    html = _as(editor).get(reverse("admin:submissions_showcase_changelist")).content.decode()
    assert reverse("admin:submissions_showcase_from_entry_list") in html


def test_comment_moderation_in_admin(editor):
    from tests.factories import published_showcase

    article = published_showcase()
    comment = Comment.objects.create(showcase=article, name="读者", body="待审核的评论")
    client = _as(editor)
    changelist = reverse("admin:submissions_comment_changelist")
    assert "待审核的评论" in client.get(changelist).content.decode()
    assert "待审核的评论" not in Client().get(article.get_absolute_url()).content.decode()
    client.post(changelist, {"action": "approve", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.state == Comment.State.APPROVED and comment.moderated_by == editor
    assert "待审核的评论" in Client().get(article.get_absolute_url()).content.decode()
    client.post(changelist, {"action": "reject", "_selected_action": [comment.pk]})
    assert "待审核的评论" not in Client().get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_accepted_entry_page_links_to_its_article(client, editor):
    entry = submission_in("accepted")
    client.force_login(editor)
    url = reverse("admin:submissions_submission_change", args=[entry.pk])
    html = client.get(url).content.decode()
    assert reverse("admin:submissions_showcase_from_entry", args=[entry.pk]) in html and "生成巡展文章" in html
    article = publishing.draft_from_entry(entry, editor=editor)
    html = client.get(url).content.decode()
    assert reverse("admin:submissions_showcase_change", args=[article.pk]) in html and "查看巡展文章" in html
