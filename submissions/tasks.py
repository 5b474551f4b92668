"""The task paths of the release before issue 24, kept for one release (docs/tasks.md, "Upgrading").

A task queued by that release names its function "submissions.tasks.<name>"; a worker of this
release still finds it here. Nothing imports this module (it is an entry point: it may import
every area); delete it in the next release. Tasks queued under "submissions.platform.tasks.<name>"
for work that has since moved to an area cannot be kept so (the platform may not import an area):
the worker names them on start.
"""

from submissions.column.tasks import flush_views
from submissions.intake.tasks import fetch_mailbox
from submissions.management.tasks import cleanup_media
from submissions.newsroom.tasks import publish_due
from submissions.overlap.tasks import overlap_job
from submissions.platform.mail import send as send_message
from submissions.platform.mail import send_due as send_outbox
from submissions.platform.tasks import backup, heartbeat
from submissions.review.export_jobs import run as export_entries

__all__ = [
    "backup",
    "cleanup_media",
    "export_entries",
    "fetch_mailbox",
    "flush_views",
    "heartbeat",
    "overlap_job",
    "publish_due",
    "send_message",
    "send_outbox",
]
