"""Old Word documents (.doc, WPS's .wps) converted to .docx by LibreOffice, in a cage.

    docx = convert.to_docx(data)   # bytes of a .docx; raises DocumentRefused (in Chinese)

`data` has passed guard.sniff (an OLE2 compound file with a WordDocument stream, within
MAX_BYTES). The .docx it gives is then read like any other (documents.read_practice: the
guard's checks, the reader's sandbox). Each conversion:

- runs `soffice --headless --convert-to docx` in a new session (its own process group), with
  a fresh private profile (-env:UserInstallation) made for this conversion only, whose
  registrymodifications.xcu sets the macro security level to 3 (very high), disables macro
  execution outright, blocks links from untrusted documents and never updates links;
- has no network: `unshare -n` (root) or `unshare -rn` (user namespaces), checked once per
  process; where neither works it runs without (logged once as a warning) with no proxy in its
  environment — docs/security.md;
- is bounded by `prlimit`: address space (LIMITS memory_mb, per process: LibreOffice maps much
  more than it uses), CPU seconds (the reader's), no core file, files written at most
  MAX_OUTPUT; the caller waits the reader's wall-clock seconds, then kills the whole process
  group;
- sees only a private temporary directory (mode 0700: the input as input.doc, whatever its
  name, so LibreOffice judges it by content as Word 97, never as MS Works; its profile; its
  output), removed afterwards whatever happened. Its environment is only PATH, HOME, TMPDIR
  and LANG.

Measured on LibreOffice 7.4 (Debian 12): a one-page .doc converts in ~1.8 s wall clock (the
fresh profile included) with ~210 MB resident; it needs 450-600 MB of address space to start
(400 MB: it aborts), so the default ceiling is 1536 MB (DOCUMENT_CONVERT_MEMORY_MB).
"""

import logging
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from submissions.platform.documents import sandbox
from submissions.platform.documents.guard import MAX_BYTES, DocumentRefused
from submissions.platform.rlimits import kill_group

log = logging.getLogger(__name__)

MEMORY_MB = 1536
MAX_OUTPUT = 2 * MAX_BYTES  # bytes any one file it writes may have (RLIMIT_FSIZE)
INPUT = "input.doc"
OUTPUT = "input.docx"
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse">\
<value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse">\
<value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop>\
</item>
</oor:items>
"""


@dataclass(frozen=True)
class Limits:
    seconds: float
    cpu_seconds: int
    memory_mb: int


def limits():
    """The reader's wall-clock and CPU ceilings (sandbox.limits()); LibreOffice's own address space."""
    read = sandbox.limits()
    return Limits(read.seconds, read.cpu_seconds, int(getattr(settings, "DOCUMENT_CONVERT_MEMORY_MB", MEMORY_MB)))


def soffice():
    return getattr(settings, "DOCUMENT_CONVERT_SOFFICE", "") or shutil.which("soffice") or "/usr/bin/soffice"


@cache
def no_network():
    """The command prefix that gives the converter a network namespace of its own (no interface
    but loopback), or [] where the kernel or the container allows none."""
    unshare = shutil.which("unshare")
    for prefix in ([unshare, "-n"], [unshare, "-rn"]) if unshare else ():
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:  # noqa: S603
                return prefix
        except (OSError, subprocess.SubprocessError):
            continue
    log.warning("unshare -n is not available: LibreOffice converts without a network namespace of its own")
    return []


def _environment(home):
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(home),
        "LANG": "C.UTF-8",
        "SAL_USE_VCLPLUGIN": "svp",
    }


def command(workdir, ceilings):
    prlimit = shutil.which("prlimit") or "/usr/bin/prlimit"
    bounds = [
        prlimit,
        f"--as={ceilings.memory_mb * 1024 * 1024}",
        f"--cpu={ceilings.cpu_seconds}",
        "--core=0",
        f"--fsize={MAX_OUTPUT}",
        "--",
    ]
    profile = (workdir / "profile").as_uri()
    return [
        *bounds,
        *no_network(),
        soffice(),
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nologo",
        "--nodefault",
        f"-env:UserInstallation={profile}",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(workdir / "out"),
        str(workdir / INPUT),
    ]


def to_docx(data, *, ceilings=None):
    """The .docx LibreOffice makes of `data` (a .doc or .wps that passed guard.sniff)."""
    ceilings = ceilings or limits()
    if len(data) > MAX_BYTES:
        raise DocumentRefused(_("Word 文档超过 20 MB，请压缩其中的图片后再上传。"), "too_big")
    if not shutil.which(soffice()):
        log.error("LibreOffice (soffice) is not installed: old Word documents cannot be converted")
        raise DocumentRefused(
            _("暂不能读取旧版 Word（.doc / .wps）文档，请在 Word 或 WPS 中另存为 .docx 后再上传。"), "no_converter"
        )
    workdir = Path(tempfile.mkdtemp(prefix="portal-convert-"))  # mode 0700
    try:
        (workdir / "profile" / "user").mkdir(parents=True)
        (workdir / "profile" / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
        (workdir / "out").mkdir()
        (workdir / INPUT).write_bytes(data)
        failure, detail, seconds = _run(command(workdir, ceilings), workdir, ceilings)
        output = workdir / "out" / OUTPUT
        if not failure and not output.is_file():
            failure = "failed"
        if not failure and output.stat().st_size > MAX_BYTES:
            failure = "too_big"
        if failure:
            log.warning("LibreOffice did not convert a Word document (%s) after %.1f s: %s", failure, seconds, detail)
            raise _refusal(failure)
        return output.read_bytes()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(cmd, workdir, ceilings):
    """(failure, detail, seconds): failure "" (it ended), "time" or "cpu"; the whole group killed after."""
    started = time.monotonic()
    with open(workdir / "log.txt", "wb") as output:
        process = subprocess.Popen(  # noqa: S603 (our own command; the document is a file name)
            cmd,
            cwd=workdir,
            env=_environment(workdir),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
        failure = ""
        try:
            process.wait(timeout=ceilings.seconds)
        except subprocess.TimeoutExpired:
            failure = "time"
        except BaseException:  # e.g. the task's own timeout while we wait: LibreOffice goes too
            kill_group(process)
            raise
        kill_group(process)  # whatever it left behind (oosplash's soffice.bin) goes with it
    code = process.returncode
    if not failure and code is not None and code < 0 and -code in (signal.SIGXCPU, signal.SIGKILL):
        failure = "cpu"
    detail = f"exit {code}: " + (workdir / "log.txt").read_bytes()[-2000:].decode("utf-8", "replace")
    return failure, detail, time.monotonic() - started


def _refusal(failure):
    if failure in ("time", "cpu"):
        return DocumentRefused(
            _("文档过于复杂，无法在限定时间内转换。请在 Word 或 WPS 中另存为 .docx 后再上传。"), "convert_too_slow"
        )
    if failure == "too_big":
        return DocumentRefused(_("转换后的文档超过 20 MB，请压缩其中的图片后再上传。"), "too_big")
    return DocumentRefused(
        _(
            "这份旧版 Word（.doc / .wps）文档未能转换，可能已损坏或设置了密码。请在 Word 或 WPS 中另存为 .docx（不加密码）后再上传。"
        ),
        "convert_failed",
    )
