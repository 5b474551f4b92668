"""The newsroom's background work (docs/tasks.md): scheduled articles published when their time comes."""

from submissions.newsroom import publishing
from submissions.platform import tasks


def publish_due():
    """Every minute: publish the scheduled articles whose time has come (safe twice: the workflow's compare-and-swap)."""
    return publishing.publish_due()


tasks.periodic("publish_due", publish_due, minutes=1)
