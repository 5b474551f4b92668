"""Print the workflow tables as Markdown (docs/workflow.md embeds them; a test keeps them equal)."""

from django.core.management.base import BaseCommand

from submissions import workflow
from submissions.models import Showcase, Status

WHO = {
    workflow.SUBMITTER: "submitter (tracking link)",
    workflow.SYSTEM: "system (commands)",
    workflow.E: "editor",
    workflow.C: "chief editor",
}


def table(moves, choices):
    order = list(choices.values)
    lines = ["| from | to | who may |", "|---|---|---|"]
    for (frm, to), who in sorted(moves.items(), key=lambda item: (order.index(item[0][0]), order.index(item[0][1]))):
        people = ", ".join(WHO[actor] for actor in sorted(who))
        lines.append(f"| {choices(frm).label} `{frm}` | {choices(to).label} `{to}` | {people} |")
    return "\n".join(lines)


def markdown():
    return (
        "### An entry\n\n" + table(workflow.TRANSITIONS, Status) + "\n\n"
        "### An article\n\n" + table(workflow.ARTICLE_TRANSITIONS, Showcase.State) + "\n"
    )


class Command(BaseCommand):
    help = "Print the entry and article workflow tables as Markdown."

    def handle(self, *args, **options):
        self.stdout.write(markdown())
