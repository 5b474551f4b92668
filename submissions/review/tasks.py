"""Review's background work (docs/tasks.md): old export files pruned on a schedule; reviewers
reminded before a round's due date.

The export itself is queued by export_jobs.start(), which queues its own run() (a module that
queues a task defines it: the task and its queueing never import each other in a circle).
"""

from submissions.platform import tasks
from submissions.review import export_jobs, reminders


def prune_exports():
    """Every six hours: export jobs older than a week, with their files."""
    return export_jobs.prune()


def remind_reviewers():
    """Every hour: settings.REVIEW_REMINDER_DAYS before a round's due date, one mail per reviewer with
    unscored entries of it (each step once; safe twice and twice at once: reminders.remind_due)."""
    return len(reminders.remind_due())


tasks.periodic("prune_exports", prune_exports, minutes=360)
tasks.periodic("remind_reviewers", remind_reviewers, minutes=60)
