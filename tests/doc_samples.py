"""Old Word documents made at test time: a .docx of the corpus converted by LibreOffice to Word
97-2003 (.doc). LibreOffice cannot write WPS Office's .wps: asked for "wps", it writes the very
same Word 97 file (its "MS Word 97" filter), which is what WPS Office itself saves as .wps; so a
.wps sample is a .doc under another name. Each sample is made once per test process."""

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
_made = {}


def to_doc(docx, extension="doc"):
    """The .doc (bytes) LibreOffice writes from a .docx's bytes (`extension`: "doc" or "wps").
    By way of OpenDocument: asked to write a .doc straight from python-docx's .docx, LibreOffice
    drops its tables (a label/value 申报表 comes out as loose lines), which Word's own .doc keeps."""
    key = (hashlib.sha256(docx).hexdigest(), extension)
    if key not in _made:
        with tempfile.TemporaryDirectory(prefix="doc-sample-") as workdir:
            work = Path(workdir)
            (work / "sample.docx").write_bytes(docx)
            _soffice(work, "odt", work / "sample.docx")
            _soffice(work, extension, work / "out" / "sample.odt")
            _made[key] = (work / "out" / f"sample.{extension}").read_bytes()
    return _made[key]


def _soffice(work, target, source):
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(work / "out"),
            str(source),
        ],
        env={"PATH": "/usr/bin:/bin", "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp"},
        capture_output=True,
        timeout=180,
        check=True,
        start_new_session=True,
    )
