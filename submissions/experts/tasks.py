"""The experts area's background work (docs/tasks.md): experts reminded before a commentary's due date."""

from submissions.experts import services
from submissions.platform import tasks


def remind_experts():
    """Every hour: settings.EXPERT_REMINDER_DAYS before a request's due date, one mail to its expert with
    a freshly signed link (each step once; safe twice and twice at once: services.remind_due)."""
    return len(services.remind_due())


tasks.periodic("remind_experts", remind_experts, minutes=60)
