"""从 Word 导入: reading a 20-page practice document with 9 photos, against plain python-docx.

- ours: submissions.platform.documents.read_practice (the package checked part by part with defusedxml,
  then python-docx, the structure found, the 9 photos checked and re-encoded by
  submissions.platform.images);
- plain: python-docx opens the same file and reads every paragraph's text, and Pillow decodes
  each picture (what any reader must do at the least).
Timed in turns, round after round; medians compared. Then the peak memory of one read in a
fresh process (the larger of that process's and of the child it reads in, sandbox.py).

Then the corpus (tests/docx_corpus.py and tests/docx_corpus_forms.py: 30+ documents in 13 styles,
the LibreOffice ones saved again by soffice): per style, the fields, sections and photos read
exactly against the literal expected values, the median read time and the largest peak memory
of the reading child. Target: every field exact. `python -m bench.documents [--quick]`.
"""

import io
import json
import subprocess
import sys
import time

from bench.common import PYTHON, ROOT, base_env, cli, median, table
from bench.photos import setup_django

PAGES = 20
PHOTOS = 9
PHOTO_SIZE = (3000, 2250)  # a phone photo as WeChat passes it on, ~1.5 MB


def photo(index):
    from PIL import Image

    base = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize(PHOTO_SIZE),
            Image.radial_gradient("L").resize(PHOTO_SIZE),
            Image.effect_noise((750, 560), 40 + index).resize(PHOTO_SIZE),
        ],
    )
    picture = Image.blend(base, Image.effect_noise(PHOTO_SIZE, 30).convert("RGB"), 0.15)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def document():
    """A practice of about 20 pages: title, introduction, six numbered sections of many
    paragraphs, a table, nine captioned photos, results."""
    import docx
    from docx.shared import Cm

    doc = docx.Document()
    doc.add_paragraph("济南东收费站党支部：打造“零距离”党建品牌", style="Title")
    doc.add_paragraph("——服务零距离，温暖千万家")
    line = "支部坚持把党建工作融入收费服务全过程，一是领导带头学，二是党员轮流讲，三是群众来评议，形成了一套行之有效的做法。"
    per_page = 8  # paragraphs of ~60 characters: about a page of 小四 text with the photos
    for section in range(6):
        doc.add_paragraph(f"{'一二三四五六'[section]}、第{section + 1}个做法零距离")
        for _n in range(PAGES * per_page // 6):
            doc.add_paragraph("\u3000\u3000" + line)
        if section == 2:
            table = doc.add_table(rows=4, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = "2023年"
        for index in range(section * PHOTOS // 6, (section + 1) * PHOTOS // 6):
            doc.add_paragraph().add_run().add_picture(io.BytesIO(photo(index)), width=Cm(14))
            doc.add_paragraph(f"图为第{index + 1}张工作照片")
    doc.add_paragraph("七、工作成效")
    doc.add_paragraph("支部先后获评全省先进基层党组织。")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def ours(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from submissions.platform import documents

    practice = documents.read_practice(SimpleUploadedFile("做法.docx", data))
    assert len(practice.sections) == 6 and len(practice.photos) == PHOTOS, practice.notices
    return practice


def ours_text(data):
    """The same read without the photos' renditions: the checks, python-docx and the structure."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from submissions.platform import documents

    return documents.read_practice(SimpleUploadedFile("做法.docx", data), photos=False)


def plain(data):
    import docx
    from PIL import Image

    doc = docx.Document(io.BytesIO(data))
    text = [p.text for p in doc.paragraphs]
    for rel in doc.part.rels.values():
        if "image" in rel.reltype:
            with Image.open(io.BytesIO(rel.target_part.blob)) as image:
                image.load()
    return text


MEMORY_SCRIPT = """
import json, resource, sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from submissions.platform import documents

def rss(field="VmHWM"):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024

data = open(sys.argv[1], "rb").read()
before = rss()
practice = documents.read_practice(SimpleUploadedFile("doc.docx", data))
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the read runs in a child
print(json.dumps({"before_mb": round(before, 1), "peak_mb": round(max(rss(), child), 1), "photos": len(practice.photos)}))
"""


def peak_memory(path):
    env = base_env("sqlite:///:memory:")
    output = subprocess.run(
        [PYTHON, "-c", MEMORY_SCRIPT, str(path)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def corpus_accuracy(rounds):
    """Per style: documents, fields exact / fields, documents whose sections and photos are exact,
    median read ms, largest peak MB of the reading child."""
    from submissions.platform import documents
    from submissions.platform.documents import sandbox
    from tests import docx_corpus_forms as forms

    saved = dict(
        zip(
            (c["name"] for c in forms.LIBREOFFICE_CASES),
            forms.libreoffice([forms.build(c["source"]) for c in forms.LIBREOFFICE_CASES]),
            strict=True,
        )
    )
    # The .doc cases: saved as Word 97-2003 and converted back by the portal's converter (its time
    # is not in the read's: the worker converts before the form reads).
    doc_cases = forms.DOC_CASES
    converted = forms.through_doc([forms.build(c["source"]) for c in doc_cases])
    saved.update(zip((c["name"] for c in doc_cases), converted, strict=True))
    styles = {}
    for case in forms.ALL:
        data = saved.get(case["name"]) or forms.build(case)
        times, peak, practice = [], 0, None
        for _round in range(rounds):
            start = time.perf_counter()
            outcome = sandbox.run(documents.read_plain, data, "doc.docx", True)
            times.append((time.perf_counter() - start) * 1000)
            peak = max(peak, outcome.peak_kb)
            practice = documents.practice_of(outcome.value, outcome.blobs)
        wanted = forms.expected(case)
        sections = list(case["practice"]["sections"])
        if case.get("source", case).get("table"):
            sections[1] = (sections[1][0], sections[1][1] + "\n" + forms.corpus.TABLE_TEXT)
        row = styles.setdefault(
            case["style"], {"documents": 0, "fields": 0, "exact": 0, "sections": 0, "photos": 0, "ms": [], "peak_mb": 0}
        )
        row["documents"] += 1
        row["fields"] += len(wanted)
        row["exact"] += sum(practice.get(name) == value for name, value in wanted.items())
        row["sections"] += practice.sections == sections
        row["photos"] += [(p.caption, p.section) for p in practice.photos] == forms.expected_photos(case)
        row["ms"].append(median(times))
        row["peak_mb"] = max(row["peak_mb"], round(peak / 1024, 1))
    for row in styles.values():
        row["ms"] = round(median(row["ms"]), 1)
        row["accuracy"] = round(row["exact"] / row["fields"], 4)
    total = sum(row["fields"] for row in styles.values())
    exact = sum(row["exact"] for row in styles.values())
    return {"styles": styles, "documents": sum(r["documents"] for r in styles.values()), "accuracy": round(exact / total, 4)}


def targets(result):
    from bench.common import Target

    corpus = result["corpus"]
    return [
        Target("corpus fields read exactly (share)", corpus["accuracy"], "==", 1.0),
        Target(
            "corpus documents with sections and photos exact",
            sum(r["sections"] + r["photos"] for r in corpus["styles"].values()),
            "==",
            2 * corpus["documents"],
        ),
    ]


def measure(*, quick=False):
    import tempfile
    from pathlib import Path

    setup_django()
    data = document()
    path = Path(tempfile.gettempdir()) / "portal_bench_document.docx"
    path.write_bytes(data)
    rounds = 2 if quick else 5
    ours(data), ours_text(data), plain(data)  # warm up
    times = {"ours": [], "ours_text": [], "plain": []}
    for _round in range(rounds):
        for name, work in (("ours", ours), ("ours_text", ours_text), ("plain", plain)):
            start = time.perf_counter()
            work(data)
            times[name].append((time.perf_counter() - start) * 1000)
    memory = peak_memory(path)
    ours_ms, plain_ms = median(times["ours"]), median(times["plain"])
    return {
        "corpus": corpus_accuracy(1 if quick else 3),
        "pages": PAGES,
        "photos": PHOTOS,
        "document_mb": round(len(data) / 1e6, 2),
        "rounds": rounds,
        "ours_ms": round(ours_ms, 1),
        "plain_ms": round(plain_ms, 1),
        "ratio": round(ours_ms / plain_ms, 3),
        "ours_text_ms": round(median(times["ours_text"]), 1),
        "text_ratio": round(median(times["ours_text"]) / plain_ms, 3),
        "rss_before_mb": memory["before_mb"],
        "rss_peak_mb": memory["peak_mb"],
        "rss_added_mb": round(memory["peak_mb"] - memory["before_mb"], 1),
    }


def report(result):
    rows = [
        ("ours (read_practice: checks, structure, 9 renditions)", result["ours_ms"], f"{result['ratio']:.2f}"),
        ("ours without the photos (checks, structure)", result["ours_text_ms"], f"{result['text_ratio']:.2f}"),
        ("plain python-docx text + Pillow decode", result["plain_ms"], "1.00"),
    ]
    text = table(rows, ["reading the document", "ms (median)", "× plain"])
    corpus = result["corpus"]
    styles = [
        (
            style,
            row["documents"],
            f"{row['exact']}/{row['fields']}",
            f"{row['accuracy']:.1%}",
            f"{row['sections']}/{row['documents']}",
            f"{row['photos']}/{row['documents']}",
            row["ms"],
            row["peak_mb"],
        )
        for style, row in corpus["styles"].items()
    ]
    by_style = table(
        styles,
        ["corpus style", "documents", "fields exact", "accuracy", "sections exact", "photos exact", "ms (median)", "peak MB"],
    )
    return (
        f"Corpus: {corpus['documents']} documents, {corpus['accuracy']:.1%} of fields exact\n{by_style}\n\n"
        f"Word import ({result['pages']} pages, {result['photos']} photos, {result['document_mb']} MB, {result['rounds']} rounds)\n"
        f"{text}\nOne read: peak RSS {result['rss_peak_mb']} MB ({result['rss_added_mb']} MB above the "
        f"{result['rss_before_mb']} MB of a loaded process)"
    )


def main(argv=None):
    return cli("documents", __doc__, measure, report, argv)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
