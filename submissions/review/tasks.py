"""Review's background work (docs/tasks.md): old export files pruned on a schedule.

The export itself is queued by export_jobs.start(), which queues its own run() (a module that
queues a task defines it: the task and its queueing never import each other in a circle).
"""

from submissions.platform import tasks
from submissions.review import export_jobs


def prune_exports():
    """Every six hours: export jobs older than a week, with their files."""
    return export_jobs.prune()


tasks.periodic("prune_exports", prune_exports, minutes=360)
