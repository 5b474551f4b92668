"""The video area's background work (docs/tasks.md): an upload converted in the worker.

Queued by its dotted path (services.TASK) once the upload's transaction commits. Safe to run
twice, and twice at once: the video is claimed in the database (services.claim) first.
"""

from submissions.video import services


def convert(video_id):
    """Convert one uploaded video to its MP4 and poster (platform.video.transcode, bounded)."""
    video = services.convert(video_id)
    return video.pk if video is not None else None
