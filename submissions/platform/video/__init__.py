"""Video in: short clips from reporters and submitters, judged by content and converted for phones.

    checked = video.probe(upload)              # a Probe, or ValidationError (Chinese) to refuse
    result = video.transcode(stored, folder)   # Result(mp4_path, poster_path, width, height, duration),
                                               # or TranscodeError (Chinese message, code)

check.py judges an upload before anything is kept (size first, then the first bytes, then
ffprobe and one reading pass, each in a bounded child); transcode.py converts it to MP4 (H.264
and AAC, fast start, long edge ≤ 1280) with a poster frame; process.py runs ffmpeg and ffprobe
inside their ceilings; limits.py holds the bounds and the settings that change them. No model,
no view: the worker and the forms that use this are elsewhere (docs/video.md).
"""

from submissions.platform.video.check import Probe, probe
from submissions.platform.video.limits import Limits
from submissions.platform.video.transcode import Result, TranscodeError, transcode

__all__ = ["Limits", "Probe", "Result", "TranscodeError", "probe", "transcode"]
