"""从 Word 导入 of a 申报表: the document's 党组织类型 / 所属领域 / 所在市 become the form's choices
(forms/word_choices.py), its contacts fill the contact fields, and its photos keep the section
they stood in."""

import io

import docx
import pytest
from django.urls import reverse

from submissions.intake.forms import word_choices
from submissions.models import Region
from tests import docx_corpus as corpus
from tests import docx_corpus_forms as forms
from tests.submit_data import entry_data, formset

pytestmark = pytest.mark.django_db

INFO = ("org_name", "org_parent", "org_type", "sector", "region", "contact_name", "contact_phone", "contact_email")
WRITE_UP = ("brand_name", "brand_slogan", "brand_idea", "introduction", "results", "model_story")


@pytest.fixture(autouse=True)
def _quick(quick_forms):
    pass


def blank_page(region, upload):
    data = entry_data(region, sections=0, photos=0, action="import")
    for name in INFO + WRITE_UP:
        data[name] = ""
    data.update(formset("sections", [{"heading": "", "body": ""}] * 3))
    data.update(formset("photos", [{"caption": ""}] * 3))
    data["import-document"] = corpus.as_upload(upload)
    return data


def imported(client, campaign, region, data):
    response = client.post(reverse("calls:submit", args=[campaign.slug]), blank_page(region, data))
    assert response.status_code == 200
    bundle = response.context["bundle"]
    assert bundle.data is None and bundle.prefilled
    return response, bundle


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("org_type", "党支部", "branch"),
        ("org_type", "党总支部", "general_branch"),
        ("org_type", "机关党委", "committee"),
        ("org_type", "党 委", "committee"),
        ("sector", "国企", "state_enterprise"),
        ("sector", "国有企业", "state_enterprise"),
        ("sector", "城市社区", "community"),
        ("sector", "非公企业", "private_enterprise"),
        ("sector", "农村", "rural"),
        ("sector", "航天", ""),
        ("org_type", "党小组", ""),
        ("kind", "党建典型经验", "experience"),
        ("kind", "先锋事迹", "pioneer"),
        ("kind", "征文", ""),
    ],
)
def test_choice_words_are_matched_by_label_or_synonym(name, text, value, campaign):
    assert word_choices.match(name, text, campaign) == value


def test_a_city_is_matched_with_or_without_its_province_and_市(campaign):
    linyi = Region.objects.get(code="linyi")
    for text in ("临沂", "临沂市", "山东省临沂市", " 临沂市 "):
        assert word_choices.match("region", text, campaign) == str(linyi.pk)
    assert word_choices.match("region", "火星市", campaign) == ""


def test_a_form_fills_the_organization_contacts_and_choices(client, campaign, region):
    case = next(c for c in forms.ALL if c["name"] == "form2-table-then-body")  # PORT, 青岛
    response, bundle = imported(client, campaign, region, forms.build(case))
    values = {name: bundle.form[name].value() for name in INFO + WRITE_UP}
    assert values == {
        "org_name": "青岛港集团前湾集装箱码头有限公司党委",
        "org_parent": "青岛港集团党委",
        "org_type": "committee",
        "sector": "state_enterprise",
        "region": str(Region.objects.get(code="qingdao").pk),
        "contact_name": "赵刚",
        "contact_phone": "15605320003",
        "contact_email": "zg@qdport.example.cn",
        "brand_name": "连钢创新",  # not 齐鲁印初心, the campaign in the title
        "brand_slogan": "",
        "brand_idea": "",
        "introduction": "党委以“连钢创新”品牌为引领，推动自动化码头建设。",
        "results": "团队荣获全国工人先锋号。",
        "model_story": "",
    }
    assert "文档中未找到：品牌口号、品牌内涵、典型人物事迹" in response.content.decode()


def test_a_choice_the_form_does_not_have_is_left_to_choose_with_a_notice(client, campaign, region):
    doc = docx.Document()
    table = doc.add_table(rows=3, cols=2)
    for row, (label, value) in zip(table.rows, [("单位名称", "某某党小组"), ("党组织类型", "党小组"), ("所属领域", "航天")]):
        row.cells[0].text, row.cells[1].text = label, value
    doc.add_paragraph("一、做法")
    doc.add_paragraph("正文。")
    buffer = io.BytesIO()
    doc.save(buffer)
    response, bundle = imported(client, campaign, region, buffer.getvalue())
    assert bundle.form["org_name"].value() == "某某党小组"
    assert not bundle.form["org_type"].value()
    assert not bundle.form["sector"].value()
    html = response.content.decode()
    assert "文档中的“党组织类型”是“党小组”，不在可选项中，请从列表中选择。" in html
    assert "文档中的“所属领域”是“航天”，不在可选项中，请从列表中选择。" in html


def test_photos_keep_the_section_they_stood_in(client, campaign, region):
    case = next(c for c in forms.ALL if c["name"] == "wps-indent-seed")  # 3 photos, in sections 1, 2 and 3
    _response, bundle = imported(client, campaign, region, forms.build(case))
    photos = [(f["caption"].value(), f["section"].value()) for f in bundle.photos.forms if f["key"].value()]
    assert photos == [("党员志愿者在服务窗口", 1), ("支部书记讲党课", 2), ("主题党日活动现场", 3)]
    assert 'value="2" selected' in bundle.photos.forms[1]["section"].as_widget()


def test_a_kind_the_campaign_does_not_call_for_is_not_taken(campaign):
    campaign.kinds = ["practice"]
    assert word_choices.match("kind", "党建优秀做法", campaign) == "practice"
    assert word_choices.match("kind", "党建典型经验", campaign) == ""
