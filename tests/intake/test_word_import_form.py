"""从 Word 导入 on the public form: the page comes back filled from the document, nothing is
submitted, nothing typed is overwritten without asking, and a refused document stores nothing."""

import pytest
from django.urls import reverse

from submissions.models import Attachment, Photo, Submission
from tests import docx_corpus as corpus
from tests.submit_data import entry_data, formset

pytestmark = pytest.mark.django_db

PHOTO_CASE = next(c for c in corpus.CASES if c["name"] == "photos-captions-footnote")  # VILLAGE, 4 photos


@pytest.fixture(autouse=True)
def _quick(quick_forms):
    pass


def blank_page(region, **overrides):
    """The form as a fresh page posts it: contacts typed, the write-up empty."""
    data = entry_data(region, sections=0, photos=0, action="import")
    for name in ("org_name", "brand_name", "brand_slogan", "brand_idea", "introduction", "results", "model_story"):
        data[name] = ""
    data.update(formset("sections", [{"heading": "", "body": ""}] * 3))
    data.update(formset("photos", [{"caption": ""}] * 3))
    data.update(overrides)
    return data


def post(client, campaign, data):
    return client.post(reverse("calls:submit", args=[campaign.slug]), data)


def page_values(response):
    bundle = response.context["bundle"]
    assert bundle.data is None and bundle.prefilled  # shown for checking, not validated
    form = bundle.form
    values = {name: form[name].value() for name in form.fields}
    sections = [(f["heading"].value(), f["body"].value()) for f in bundle.sections.forms if f["heading"].value()]
    photos = [(f["key"].value(), f["caption"].value()) for f in bundle.photos.forms if f["key"].value()]
    return values, sections, photos


def test_import_fills_the_empty_fields_and_submits_nothing(client, campaign, region):
    upload = corpus.as_upload(corpus.build(PHOTO_CASE))
    with_query = blank_page(region, **{"import-document": upload})
    response = post(client, campaign, with_query)
    assert response.status_code == 200
    values, sections, photos = page_values(response)
    assert values["org_name"] == "潍坊市寿光市三元朱村党支部"
    assert values["brand_name"] == "菜乡先锋"
    assert values["brand_slogan"] == "党建强村，蔬菜富民"
    assert values["introduction"] == "三元朱村是冬暖式蔬菜大棚的发源地。"
    assert values["results"] == "村党支部获评全国先进基层党组织。"
    assert values["contact_name"] == "张三"  # what was typed stays
    assert sections == [
        ("支部带头闯新路", "支部书记带领党员率先试种冬暖式大棚。"),
        ("党员示范带群众", "每名党员联系5户群众，手把手传授技术。\n一是技术帮带；二是销售帮带。"),
        ("合作共富奔小康", "成立蔬菜合作社，统一品种、统一标准、统一销售。"),
        ("乡风文明树新风", "开展“好婆婆”“好媳妇”评选，村风民风持续向好。"),
    ]
    assert [caption for _key, caption in photos] == [
        "图为党员志愿者为群众服务",
        "支部开展主题党日活动",
        "党员先锋岗",
        "支部书记讲党课",
    ]
    staged = Photo.objects.filter(submission__isnull=True)
    assert sorted(staged.values_list("upload_key", flat=True)) == sorted(key for key, _c in photos)
    assert Submission.objects.count() == 0
    html = response.content.decode()
    assert "已从文档填入" in html
    assert "文档中未找到：品牌内涵、典型人物事迹" in html
    assert html.count("import-missing") == 2  # the two fields are marked
    assert Attachment.objects.count() == 0  # the document is not kept unless asked


def test_what_was_typed_is_kept_and_the_differences_are_offered(client, campaign, region):
    upload = corpus.as_upload(corpus.build(PHOTO_CASE))
    data = blank_page(
        region, **{"import-document": upload, "brand_name": "我的品牌", "results": "村党支部获评全国先进基层党组织。"}
    )
    response = post(client, campaign, data)
    values, _sections, _photos = page_values(response)
    assert values["brand_name"] == "我的品牌"
    assert values["org_name"] == "潍坊市寿光市三元朱村党支部"
    summary = response.context["word_summary"]
    assert summary["offers"] == [("brand_name", "品牌名称")]  # results were the same: not offered
    assert 'name="import_replace" value="brand_name"' in response.content.decode()
    # The choice: take the document's brand.
    second = {key: value for key, value in data.items() if not key.startswith("import-")}
    second.update(
        {
            "action": "import_replace",
            "import_replace": ["brand_name"],
            "import_offers": response.context["word_import"].offers_json(),
        }
    )
    second.update({"brand_name": "我的品牌", "org_name": "潍坊市寿光市三元朱村党支部"})
    response = post(client, campaign, second)
    values, _sections, _photos = page_values(response)
    assert values["brand_name"] == "菜乡先锋"
    assert "已改用文档中的内容：品牌名称" in response.content.decode()


def test_typed_sections_are_not_replaced_without_asking(client, campaign, region):
    upload = corpus.as_upload(corpus.build(PHOTO_CASE))
    data = blank_page(region, **{"import-document": upload})
    data.update(formset("sections", [{"heading": "我写的章节", "body": "我写的正文"}]))
    response = post(client, campaign, data)
    _values, sections, _photos = page_values(response)
    assert sections == [("我写的章节", "我写的正文")]
    assert [name for name, _label in response.context["word_summary"]["offers"]] == ["sections"]


def test_the_document_is_kept_as_an_attachment_when_ticked(client, campaign, region):
    upload = corpus.as_upload(corpus.build(corpus.CASES[0]), "零距离做法.docx")
    response = post(client, campaign, blank_page(region, **{"import-document": upload, "import-keep": "on"}))
    values, _sections, _photos = page_values(response)
    staged = Attachment.objects.get(submission__isnull=True)
    assert staged.original_name == "零距离做法.docx"
    assert values["attachment_keys"] == staged.upload_key


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧.doc", "文件已损坏或不完整"),  # an OLE2 header and nothing in it
        (b"not a document at all", "x.docx", "这不是 Word 文档（.docx）"),
    ],
)
def test_a_refused_document_stores_nothing_and_keeps_the_page(client, campaign, region, content, name, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = blank_page(region, **{"import-document": SimpleUploadedFile(name, content), "import-keep": "on"})
    data["org_name"] = "我填的单位"
    response = post(client, campaign, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    values, _sections, _photos = page_values(response)
    assert values["org_name"] == "我填的单位"
    assert Photo.objects.count() == Attachment.objects.count() == Submission.objects.count() == 0


def test_import_without_a_document_says_so(client, campaign, region):
    response = post(client, campaign, blank_page(region))
    assert "请先选择要导入的 Word 文档。" in response.content.decode()


def test_an_imported_page_submits_as_any_page(client, campaign, region, django_assert_max_num_queries):
    upload = corpus.as_upload(corpus.build(PHOTO_CASE))
    # 45: two looks at the address's allowance (the document before it is read, its photos), each
    # about 17 queries on the tests' database cache (one command each on Redis)
    with django_assert_max_num_queries(45):
        response = post(client, campaign, blank_page(region, **{"import-document": upload}))
    values, sections, photos = page_values(response)
    data = entry_data(region, sections=0, photos=0)
    data.update({name: values[name] for name in ("org_name", "brand_name", "brand_slogan", "introduction", "results")})
    data.update(brand_idea="菜乡先锋，党员带头。")
    data.update(formset("sections", [{"heading": h, "body": b} for h, b in sections]))
    data.update(formset("photos", [{"key": key, "caption": caption} for key, caption in photos]))
    response = post(client, campaign, data)
    assert response.status_code == 302
    entry = Submission.objects.get()
    assert [(s.heading, s.body) for s in entry.sections.all()] == [(h, b) for h, b in PHOTO_CASE["practice"]["sections"]]
    assert entry.photos.count() == 4
