"""Old Word documents (.doc, WPS's .wps): judged by content (guard.sniff), converted by LibreOffice
in a cage (convert.py: no network, macros off, bounded in time, memory and output, temporary
files removed), and the .docx read by the normal reader."""

import io
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.platform import documents
from submissions.platform.documents import convert, guard
from tests import doc_samples
from tests import docx_corpus as corpus

CASE = next(c for c in corpus.CASES if c["name"] == "photos-captions-footnote")


@pytest.fixture(scope="module")
def doc():
    return doc_samples.to_doc(corpus.build(CASE))


@pytest.fixture(scope="module")
def wps():
    return doc_samples.to_doc(corpus.build(CASE), "wps")


def refusal(data, name="做法.doc"):
    with pytest.raises(documents.DocumentRefused) as refused:
        guard.sniff(SimpleUploadedFile(name, data))
    return refused.value


def test_docx_doc_and_wps_are_told_by_content_not_name(doc, wps):
    assert guard.sniff(SimpleUploadedFile("做法.doc", corpus.build(CASE))) == "docx"  # a .docx named .doc
    assert guard.sniff(SimpleUploadedFile("做法.docx", doc)) == "doc"  # a .doc named .docx
    assert guard.sniff(SimpleUploadedFile("做法.wps", wps)) == "doc"
    assert wps[:8] == bytes.fromhex("d0cf11e0a1b11ae1")


def test_rtf_and_html_saved_as_doc_are_refused_with_what_they_are():
    rtf = refusal(b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} \\f0 hello}")
    assert rtf.code == "rtf" and "RTF" in rtf.messages[0] and ".docx" in rtf.messages[0]
    html = refusal('\ufeff<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>品牌</body></html>'.encode())
    assert html.code == "html" and "HTML" in html.messages[0]
    mht = refusal(b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n")
    assert mht.code == "html"
    assert refusal(b"plain text, not a document").code == "not_docx"


def test_truncated_and_damaged_ole_files_are_refused(doc):
    for cut in (600, len(doc) // 2, len(doc) - 512):
        assert refusal(doc[:cut]).code == "bad_ole", cut
    looped = bytearray(doc)
    looped[0x30:0x34] = (10**6).to_bytes(4, "little")  # the directory outside the file
    assert refusal(bytes(looped)).code == "bad_ole"


def test_an_ole_file_without_a_word_stream_is_not_word(doc):
    name = "WordDocument".encode("utf-16-le")
    assert doc.count(name) == 1
    other = doc.replace(name, "WorkDocument".encode("utf-16-le"))
    refused = refusal(other)
    assert refused.code == "not_word" and "Excel" in refused.messages[0]


def test_size_is_bounded_before_reading():
    class Huge(io.BytesIO):
        size = documents.MAX_BYTES + 1

        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("read before the size was checked")

    with pytest.raises(documents.DocumentRefused) as refused:
        guard.sniff(Huge(bytes.fromhex("d0cf11e0a1b11ae1")))
    assert refused.value.code == "too_big"
    assert refusal(b"").code == "empty"


@pytest.fixture
def watched(monkeypatch):
    """The conversions' working directories and commands, and what the profile said, as they ran."""
    seen = {"dirs": [], "commands": [], "profiles": []}
    original = convert._run

    def run(cmd, workdir, ceilings):
        seen["dirs"].append(workdir)
        seen["commands"].append(cmd)
        seen["profiles"].append((workdir / "profile" / "user" / "registrymodifications.xcu").read_text())
        return original(cmd, workdir, ceilings)

    monkeypatch.setattr(convert, "_run", run)
    return seen


def _processes_in(path):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if str(path).encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


@pytest.mark.parametrize("sample", ["doc", "wps"])
def test_conversion_gives_a_docx_the_reader_reads(sample, request, watched):
    data = request.getfixturevalue(sample)
    docx = convert.to_docx(data)
    assert docx[:4] == b"PK\x03\x04"
    guard.check_package(io.BytesIO(docx))  # the same guard as any .docx
    practice = documents.read_practice(corpus.as_upload(docx))
    assert practice.get("brand_name") == "菜乡先锋"
    assert practice.get("org_name") == "潍坊市寿光市三元朱村党支部"
    assert [heading for heading, _body in practice.sections] == [
        "支部带头闯新路",
        "党员示范带群众",
        "合作共富奔小康",
        "乡风文明树新风",
    ]
    assert len(practice.photos) == 4
    (workdir,) = watched["dirs"]
    assert not workdir.exists()  # removed after
    assert _processes_in(workdir) == []
    (profile,) = watched["profiles"]
    assert '<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value>' in profile
    assert '<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value>' in profile
    (cmd,) = watched["commands"]
    assert f"-env:UserInstallation={(workdir / 'profile').as_uri()}" in cmd
    assert cmd[0].endswith("prlimit") and f"--as={convert.MEMORY_MB * 1024 * 1024}" in cmd and "--core=0" in cmd
    assert cmd[cmd.index("--") + 1].endswith("unshare")  # root here: its own network namespace


def test_the_converter_has_no_network():
    prefix = convert.no_network()
    assert prefix, "unshare -n must work where the tests run (root, or user namespaces)"
    table = subprocess.run([*prefix, "cat", "/proc/net/dev"], capture_output=True, text=True, timeout=30, check=True)
    interfaces = [line.split(":")[0].strip() for line in table.stdout.splitlines()[2:]]
    assert interfaces == ["lo"]
    assert len(Path("/proc/net/dev").read_text().splitlines()) > 3  # here, outside, there is more than lo


def test_a_conversion_past_its_time_is_killed_with_its_group(doc, watched):
    with pytest.raises(documents.DocumentRefused) as refused:
        convert.to_docx(doc, ceilings=convert.Limits(seconds=0.5, cpu_seconds=20, memory_mb=convert.MEMORY_MB))
    assert refused.value.code == "convert_too_slow"
    assert "限定时间" in refused.value.messages[0]
    (workdir,) = watched["dirs"]
    assert not workdir.exists()
    assert _processes_in(workdir) == []


def test_the_address_space_ceiling_applies(doc):
    with pytest.raises(documents.DocumentRefused) as refused:
        convert.to_docx(doc, ceilings=convert.Limits(seconds=60, cpu_seconds=20, memory_mb=200))
    assert refused.value.code == "convert_failed"


def test_a_damaged_document_that_gets_past_the_sniff_fails_cleanly(doc, watched):
    with pytest.raises(documents.DocumentRefused) as refused:
        convert.to_docx(doc[: len(doc) // 2])
    assert refused.value.code == "convert_failed"
    assert not watched["dirs"][0].exists()


def test_no_libreoffice_is_a_clear_refusal(doc, settings):
    settings.DOCUMENT_CONVERT_SOFFICE = "/nonexistent/soffice"
    with pytest.raises(documents.DocumentRefused) as refused:
        convert.to_docx(doc)
    assert refused.value.code == "no_converter" and ".docx" in refused.value.messages[0]


def test_a_field_that_includes_a_local_file_does_not_bring_it_in(tmp_path):
    """INCLUDETEXT in a .doc would copy a file the worker can read into the converted document,
    and so onto the submitter's form. LibreOffice does not update fields when it loads (measured
    with and without the profile's "never update links"); this keeps it so."""
    import docx as python_docx
    from docx.oxml import parse_xml

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4711")
    document = python_docx.Document()
    paragraph = document.add_paragraph()
    paragraph._p.append(
        parse_xml(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            f" w:instr=' INCLUDETEXT \"{secret}\" '><w:r><w:t>placeholder</w:t></w:r></w:fldSimple>"
        )
    )
    buffer = io.BytesIO()
    document.save(buffer)
    doc = doc_samples.to_doc(buffer.getvalue())
    assert str(secret).encode("utf-16-le") in doc  # the field survived into the .doc
    docx = convert.to_docx(doc)
    text = b"".join(zipfile.ZipFile(io.BytesIO(docx)).read(name) for name in zipfile.ZipFile(io.BytesIO(docx)).namelist())
    assert b"placeholder" in text
    assert b"TOPSECRET" not in text
