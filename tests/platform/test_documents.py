"""从 Word 导入: the reader recovers every part of the practice documents of the corpus
(tests/docx_corpus.py), written in the ways people write them."""

import pytest

from submissions.platform import documents
from tests import docx_corpus as corpus
from tests import docx_corpus_forms as forms


def read(case, **kwargs):
    return documents.read_practice(corpus.as_upload(corpus.build(case, **kwargs)))


@pytest.fixture(scope="module")
def libreoffice_saved():
    """The LibreOffice cases, converted in one soffice run: {name: bytes}."""
    cases = forms.LIBREOFFICE_CASES
    converted = forms.libreoffice([forms.build(case["source"]) for case in cases])
    return {case["name"]: data for case, data in zip(cases, converted, strict=True)}


@pytest.fixture(scope="module")
def doc_saved():
    """The .doc cases: saved as Word 97-2003 and converted back as an upload is: {name: bytes}."""
    cases = forms.DOC_CASES
    converted = forms.through_doc([forms.build(case["source"]) for case in cases])
    return {case["name"]: data for case, data in zip(cases, converted, strict=True)}


@pytest.mark.parametrize("case", forms.ALL, ids=[case["name"] for case in forms.ALL])
def test_corpus_document_is_read_exactly(case, request):
    if case["style"] == "libreoffice":
        data = request.getfixturevalue("libreoffice_saved")[case["name"]]
    elif case["style"] == "doc":
        data = request.getfixturevalue("doc_saved")[case["name"]]
    else:
        data = forms.build(case)
    practice = documents.read_practice(corpus.as_upload(data))
    assert {name: practice.get(name) for name in documents.FIELDS} == forms.expected(case)
    sections = list(case["practice"]["sections"])
    if case.get("source", case).get("table"):  # the table stands at the end of the second section
        sections[1] = (sections[1][0], sections[1][1] + "\n" + corpus.TABLE_TEXT)
    assert practice.sections == sections
    assert [(photo.caption, photo.section) for photo in practice.photos] == forms.expected_photos(case)
    assert practice.notices == []


def test_corpus_has_every_style():
    styles = {(case["style"], case.get("numbering")) for case in corpus.CASES}
    assert len(forms.ALL) >= 30
    for wanted in [
        ("heading", "cn"),
        ("numbering", "cn"),
        ("numbering", "paren"),
        ("numbering", "arabic"),
        ("numbering", "part"),
    ]:
        assert wanted in styles
    every = {case["style"] for case in forms.ALL}
    assert {
        "bold",
        "wps",
        "wps-named",
        "inline",
        "form2",
        "form4",
        "form-merged",
        "wps-indent",
        "mixed",
        "libreoffice",
        "doc",
    } <= every


def test_a_table_stays_in_its_section_as_text():
    case = next(c for c in corpus.CASES if c.get("table"))
    practice = read(case)
    heading, body = practice.sections[1]
    assert heading == "志愿服务暖民心"
    assert (
        body == "组建“沂蒙红嫂”志愿服务队，常年开展邻里互助。\n年度 | 活动场次 | 参与人数\n2022年 | 48 | 1200\n2023年 | 60 | 1500"
    )


def test_sub_headings_and_points_stay_inside_their_section():
    practice = read(next(c for c in corpus.CASES if c["name"] == "numbering-part"))
    assert practice.sections[0] == (
        "党建引领聚合力",
        "社区党委推行“党委+网格+楼栋”三级组织体系。\n（一）建强网格\n全社区划分为12个网格，每个网格配1名党员网格员。",
    )
    assert len(practice.sections) == 5


def test_footnotes_comments_and_deleted_text_are_dropped():
    for name in ("photos-captions-footnote", "labels-lines-tracked"):
        practice = read(next(c for c in corpus.CASES if c["name"] == name))
        everything = "\n".join([*practice.fields.values(), *(h + b for h, b in practice.sections)])
        assert "脚注" not in everything
        assert "请核实数字" not in everything
        assert "此句已删除" not in everything


def test_photos_are_clean_renditions_with_captions():
    practice = read(next(c for c in corpus.CASES if c["name"] == "photos-captions-footnote"))
    assert [p.caption for p in practice.photos] == [
        "图为党员志愿者为群众服务",
        "支部开展主题党日活动",
        "党员先锋岗",
        "支部书记讲党课",
    ]
    first = practice.photos[0].renditions
    assert first.image.read(3) == b"\xff\xd8\xff"
    assert (first.width, first.height) == (320, 240)


def test_more_than_nine_photos_keeps_the_first_nine_and_says_so():
    practice = read(corpus.CASES[0], extra_photos=11)
    assert len(practice.photos) == 9
    assert practice.notices == ["文档中有 11 张图片，只导入了前 9 张。"]


def test_wps_package_is_read():
    case = next(c for c in corpus.CASES if c["style"] == "wps")
    data = corpus.build(case)
    import io
    import zipfile

    assert b"WPS Office" in zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml")
    assert read(case).get("org_name") == "临沂市兰山区金雀山街道沂蒙社区党委"
