"""Hostile Word documents are refused by content with a clear Chinese message, before anything is
parsed or stored; nothing is fetched."""

import io
import zipfile

import pytest

from submissions.platform import documents
from submissions.platform.documents import guard
from tests import docx_corpus as corpus
from tests.hostile_files import png_declaring, repack

GOOD = corpus.CASES[0]


def good_bytes():
    return corpus.build(GOOD)


def refused(data, name="做法.docx"):
    with pytest.raises(documents.DocumentRefused) as caught:
        documents.read_practice(corpus.as_upload(data, name))
    return caught.value


def part(data, name):
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def test_not_a_zip():
    error = refused(b"%PDF-1.7 this is a pdf" + b"0" * 100)
    assert error.code == "not_docx"
    assert error.messages == ["这不是 Word 文档（.docx），请选择用 Word 或 WPS 保存的 .docx 文件。"]


def test_a_zip_that_is_not_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert refused(out.getvalue()).code == "not_docx"


def test_a_spreadsheet_renamed_docx_is_not_a_word_document():
    data = repack(good_bytes())
    types = part(data, "[Content_Types].xml").replace("wordprocessingml.document.main+xml", "spreadsheetml.sheet.main+xml")
    assert refused(repack(data, replace={"[Content_Types].xml": types})).code == "not_docx"


def test_old_binary_doc_asks_for_docx():
    error = refused(guard.OLE_MAGIC + b"\x00" * 2000, "做法.doc")
    assert error.code == "old_doc"
    assert "另存为” .docx" in error.messages[0]


def test_truncated_zip():
    assert refused(good_bytes()[:3000]).code == "bad_zip"


def test_docm_by_name_and_by_content():
    assert refused(good_bytes(), "做法.docm").code == "macro"
    data = good_bytes()
    types = part(data, "[Content_Types].xml").replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    assert refused(repack(data, replace={"[Content_Types].xml": types})).code == "macro"


def test_a_macro_part_is_refused():
    assert refused(repack(good_bytes(), add={"word/vbaProject.bin": b"\x00" * 100})).code == "macro"


@pytest.mark.parametrize(
    "rel_type",
    [
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate",
    ],
)
def test_external_image_or_template_is_refused_and_never_fetched(rel_type):
    data = good_bytes()
    rels = part(data, "word/_rels/document.xml.rels").replace(
        "</Relationships>",
        f'<Relationship Id="rId99" Type="{rel_type}" Target="http://127.0.0.1:9/tracker.png" TargetMode="External"/></Relationships>',
    )
    error = refused(repack(data, replace={"word/_rels/document.xml.rels": rels}))
    assert error.code == "external"
    assert "外部文件或网址" in error.messages[0]


def test_a_plain_hyperlink_is_fine():
    data = good_bytes()
    rels = part(data, "word/_rels/document.xml.rels").replace(
        "</Relationships>",
        '<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
        'Target="https://example.com/" TargetMode="External"/></Relationships>',
    )
    practice = documents.read_practice(corpus.as_upload(repack(data, replace={"word/_rels/document.xml.rels": rels})))
    assert practice.get("brand_name") == "零距离"


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "<!DOCTYPE w>",
    ],
)
def test_xml_entity_tricks_are_refused(doctype):
    data = good_bytes()
    xml = part(data, "word/document.xml")
    head, rest = xml.split("?>", 1)
    error = refused(repack(data, replace={"word/document.xml": head + "?>" + doctype + rest}))
    assert error.code == "xml_entity"
    assert error.messages == ["文档含有不安全的 XML 结构（DOCTYPE 或实体定义），不能读取。"]


def test_zip_bomb_by_directory():
    """Parts each within its own limit (9.5 MB of a picture's 10), 85.5 MB together: over the
    80 MB the whole package may expand to. (One huge picture alone is only left out: see
    test_documents_bounds.py.)"""
    part_size = 9 * 1024 * 1024 + 512 * 1024
    bombs = {f"word/media/bomb{n}.bin": b"\x00" * part_size for n in range(9)}
    assert sum(map(len, bombs.values())) > guard.MAX_EXPANDED
    data = repack(good_bytes(), add=bombs)
    assert len(data) < 1024 * 1024  # a small file
    assert refused(data).code == "zip_bomb"


def test_an_xml_part_bomb_by_directory():
    data = repack(good_bytes(), add={"customXml/item9.xml": b"<a>" + b" " * (guard.MAX_XML_PART + 10) + b"</a>"})
    assert len(data) < 1024 * 1024
    assert refused(data).code == "zip_bomb"


def test_a_directory_that_lies_about_sizes_is_refused():
    """The directory declares 100 bytes for the main part: it is never expanded past that, and refused."""
    data = bytearray(good_bytes())
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_at = start + (46 if signature == b"PK\x01\x02" else 30)
            if data[name_at : name_at + len(name)] == name:
                data[start + size_at : start + size_at + 4] = (100).to_bytes(4, "little")
            start += 4
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml").file_size == 100
    assert refused(bytes(data)).code in ("bad_zip", "bad_xml")


def test_an_xml_part_too_big_once_expanded_is_caught_while_reading(monkeypatch):
    """The running count while expanding stops at the limit for one XML part."""
    monkeypatch.setattr(guard, "MAX_XML_PART", 64 * 1024)
    big = "<w:p/>" * 40_000  # 240 kB of XML, far above the lowered limit for one part
    data = good_bytes()
    xml = part(data, "word/document.xml").replace("<w:body>", "<w:body>" + big.replace("<w:p/>", "<w:p></w:p>"), 1)
    packed = repack(data, replace={"word/document.xml": xml})
    archive = zipfile.ZipFile(io.BytesIO(packed))
    assert archive.getinfo("word/document.xml").file_size > 64 * 1024
    assert refused(packed).code == "zip_bomb"


def test_too_many_parts():
    data = repack(good_bytes(), add={f"customXml/extra{n}.xml": "<a/>" for n in range(guard.MAX_PARTS)})
    assert refused(data).code == "too_many_parts"


def test_twenty_megabytes():
    data = good_bytes() + b"\x00" * (20 * 1024 * 1024)
    error = refused(data)
    assert error.code == "too_big"
    assert error.messages == ["Word 文档超过 20 MB，请压缩其中的图片后再上传。"]


def test_empty_file():
    assert refused(b"").code == "empty"


def test_an_image_bomb_inside_is_left_out_with_a_notice():
    case = next(c for c in corpus.CASES if c.get("photos") == 1)
    data = corpus.build(case)
    names = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]
    bomb = repack(data, replace={names[0]: png_declaring(30000, 30000)})
    practice = documents.read_practice(corpus.as_upload(bomb))
    assert practice.photos == []
    assert practice.notices == ["文档中的第 1 张图片未导入：图片像素过大（超过 4000 万像素），请缩小后再上传。"]
    assert practice.get("org_name") == "青岛港集团前湾集装箱码头有限公司党委"


def test_damaged_documents_are_refused_never_an_error():
    """Bytes of a good document flipped here and there: read, or refused with a message; nothing else."""
    import random

    data = good_bytes()
    rng = random.Random(13)
    outcomes = {"read": 0, "refused": 0}
    for _attempt in range(60):
        damaged = bytearray(data)
        for _flip in range(rng.randint(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            documents.read_practice(corpus.as_upload(bytes(damaged)), photos=False)
            outcomes["read"] += 1
        except documents.DocumentRefused as exc:
            assert exc.messages[0]
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0
