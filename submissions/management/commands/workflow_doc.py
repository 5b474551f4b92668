"""Print the workflow tables as Markdown (docs/workflow.md embeds them; a test keeps them equal)."""

from django.core.management.base import BaseCommand

from submissions import workflow
from submissions.models import Showcase, Status
from submissions.workflow import roles

TOKENS = {
    workflow.SUBMITTER: "submitter (tracking link)",
    workflow.SYSTEM: "system (commands)",
    workflow.WITH_ARTICLE: "only with its article's move (made by `transition()` itself)",
}
ROLE_NAMES = {roles.REVIEWER: "reviewer", roles.EDITOR: "editor", roles.CHIEF: "chief editor"}


def holders(perm):
    return [ROLE_NAMES[role] for role in (roles.REVIEWER, roles.EDITOR, roles.CHIEF) if perm in roles.PERMISSIONS[role]]


def who_may(who):
    parts = []
    for item in sorted(who):
        if item in TOKENS:
            parts.append(TOKENS[item])
        else:
            parts.append(f"`{item.split('.')[1]}` ({', '.join(holders(item))})")
    return "; ".join(parts)


def table(moves, choices, message_required):
    order = list(choices.values)
    lines = ["| from | to | who may (permission, and the roles that hold it) |", "|---|---|---|"]
    for (frm, to), who in sorted(moves.items(), key=lambda item: (order.index(item[0][0]), order.index(item[0][1]))):
        reason = " (with a reason)" if (frm, to) in message_required else ""
        lines.append(f"| {choices(frm).label} `{frm}` | {choices(to).label} `{to}`{reason} | {who_may(who)} |")
    return "\n".join(lines)


def markdown():
    return (
        "### An entry\n\n" + table(workflow.TRANSITIONS, Status, workflow.ENTRY.message_required) + "\n\n"
        "### An article\n\n" + table(workflow.ARTICLE_TRANSITIONS, Showcase.State, workflow.ARTICLE.message_required) + "\n"
    )


class Command(BaseCommand):
    help = "Print the workflow's tables of moves as Markdown (for docs/workflow.md)."

    def handle(self, *args, **options):
        self.stdout.write(markdown())
