"""The article's text is assembled in one place (submissions.newsroom.text): a change to one part
shows in every reader of it, the page, the search text, the overlap text, the revisions and the
Word export, each in its own order."""

from io import BytesIO

import pytest
from docx import Document

from submissions.column import articles
from submissions.models import RelatedLink, Showcase, ShowcasePhoto, ShowcaseSection, Status
from submissions.newsroom import article_docx, publishing, revisions
from submissions.overlap.text import article_text
from submissions.workflow import roles
from tests.factories import add_photo, make_user, submission_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    """A draft written from an accepted entry, then set to known words as the admin saves them."""
    editor = make_user(roles.EDITOR, username="text-editor", first_name="王编辑")
    entry = submission_in(Status.ACCEPTED, org_name="泉城示范高速公司东站收费站党支部", brand_name="零距离")
    add_photo(entry, caption="照片")
    draft = publishing.draft_from_entry(entry, editor=editor, short_name="东站收费站", reporters="王晓 刘洋")
    Showcase.objects.filter(pk=draft.pk).update(
        title="东站收费站的零距离",
        byline="大众日报记者 王晓 刘洋",
        source="大众日报",
        summary="摘要。",
        editor_note="编者按的话。",
        lead="导语一。\n导语二。",
        closing="结尾。",
        standing_call="欢迎报送。",
        expert_commentary="点评。",
        expert_name="陈教授",
        interns="",
        correspondents="",
        credits_medium="",
        credits_closing="",
    )
    draft.sections.all().delete()
    first = ShowcaseSection.objects.create(showcase=draft, order=0, heading="做法一", body="正文一。")
    ShowcaseSection.objects.create(showcase=draft, order=1, heading="做法二", body="正文二。")
    ShowcasePhoto.objects.filter(showcase=draft).update(section=first, caption="队员在广场")
    RelatedLink.objects.create(showcase=draft, order=0, title="征集活动启事", url="https://example.com/call")
    draft.refresh_from_db()
    publishing.edited(draft, editor)
    return draft


def _change(article):
    """An editor's save: one section's heading and the editor's note rewritten."""
    ShowcaseSection.objects.filter(showcase=article, heading="做法一").update(heading="新做法一")
    Showcase.objects.filter(pk=article.pk).update(editor_note="改过的编者按。")
    article.refresh_from_db()
    publishing.edited(article, article.responsible_editor)
    return Showcase.objects.get(pk=article.pk)


def _docx(article):
    loaded = articles.load_article(Showcase.objects.all(), pk=article.pk)
    return [p.text for p in Document(BytesIO(article_docx.render(loaded))).paragraphs]


def test_a_change_shows_in_the_search_text(article):
    assert _change(article).search_text == (
        "大众日报记者 王晓 刘洋\n摘要。\n改过的编者按。\n导语一。\n导语二。\n东站收费站\n零距离\n"
        "新做法一\n正文一。\n做法二\n正文二。\n点评。\n结尾。"
    )


def test_a_change_shows_in_the_overlap_text_but_not_the_campaigns_words(article):
    article = _change(article)
    assert article_text(article, article.sections.all()) == (
        "导语一。\n导语二。\n\n新做法一\n正文一。\n\n做法二\n正文二。\n\n结尾。\n\n点评。"
    )


def test_a_change_shows_in_the_revisions(article):
    article = _change(article)
    before, after = article.revisions.order_by("-number")[1], article.revisions.order_by("-number")[0]
    lines = revisions.as_lines(after.data)
    assert lines[lines.index("【编者按】") + 1] == "改过的编者按。"
    photo = article.photos.get()
    assert lines[lines.index("【章节1】新做法一") :] == [
        "【章节1】新做法一",
        "正文一。",
        "【章节2】做法二",
        "正文二。",
        f"【图片1】#{photo.photo_id} 队员在广场",
        "【相关链接1】征集活动启事 https://example.com/call",
    ]
    assert "【章节1】做法一" in revisions.as_lines(before.data)
    assert '【章节1】<span class="diff_add">新</span>做法一' in revisions.diff_table(before, after)


def test_a_change_shows_on_the_page_in_reading_order(article):
    article = _change(article)
    body = articles.article_page(articles.load_article(Showcase.objects.all(), pk=article.pk))["body"]
    order = [
        "<strong>编者按：</strong>改过的编者按。",
        "<p>导语一。</p><p>导语二。</p>",
        '<h2 class="article-section-heading">新做法一</h2>',
        "<p>正文一。</p>",
        "<figcaption>队员在广场</figcaption>",
        '<h2 class="article-section-heading">做法二</h2>',
        '<h2 class="article-section-heading">专家点评</h2>',
        '<p class="article-expert-name">——陈教授</p>',
        '<div class="article-closing"><p>结尾。</p></div>',
        '<div class="article-call"><p>欢迎报送。</p></div>',
        '<a href="https://example.com/call" rel="noopener">征集活动启事</a>',
        '<p class="article-credits">（大众日报客户端记者 王晓 刘洋 报道）</p>',
        "责任编辑: 王编辑",
    ]
    positions = [body.find(part) for part in order]
    assert -1 not in positions, [part for part, at in zip(order, positions, strict=True) if at == -1]
    assert positions == sorted(positions)


def test_a_change_shows_in_the_word_export_as_on_the_page(article):
    """The photo follows the section it illustrates and the credits are the page's (the Word
    export had its own credits line without the campaign's medium and closing word, and put every
    photo after the last section)."""
    assert _docx(_change(article)) == [
        "东站收费站的零距离",
        "大众日报记者 王晓 刘洋",
        "（未发布） 发布来源:大众日报",
        "编者按：改过的编者按。",
        "导语一。",
        "导语二。",
        "新做法一",
        "正文一。",
        "",  # the picture
        "队员在广场",
        "做法二",
        "正文二。",
        "专家点评",
        "点评。",
        "——陈教授",
        "结尾。",
        "欢迎报送。",
        "相关链接",
        "征集活动启事 https://example.com/call",
        "（大众日报客户端记者 王晓 刘洋 报道）",
        "责任编辑: 王编辑     签审: ",
    ]


def test_a_photo_whose_file_is_missing_keeps_its_caption_in_the_word_export(article):
    photo = article.photos.get().photo
    photo.image.storage.delete(photo.image.name)
    text = _docx(article)
    assert text[text.index("正文一。") + 1 : text.index("做法二")] == ["队员在广场"]
