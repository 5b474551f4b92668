"""Print the workflow tables as Markdown (docs/workflow.md embeds them; a test keeps them equal):
each machine's moves with who may make them and their effects, then what each effect does and when."""

from django.core.management.base import BaseCommand

from submissions import workflow
from submissions.workflow import effects, roles
from submissions.workflow.machines import MACHINES

TOKENS = {
    workflow.SUBMITTER: "submitter (tracking link)",
    workflow.SYSTEM: "system (commands)",
    workflow.EXPERT_LINK: "expert (the request's signed link)",
    workflow.WITH_ARTICLE: "only with its article's move (made by `transition()` itself)",
}
ROLE_NAMES = {
    roles.REVIEWER: "reviewer",
    roles.EDITOR: "editor",
    roles.CHIEF: "chief editor",
    roles.RECOMMENDER: "recommending body (its own area's entries)",
    roles.COMMENTATOR: "panel expert, their own requests",
}


def holders(perm):
    return [ROLE_NAMES[role] for role in ROLE_NAMES if perm in roles.PERMISSIONS[role]]


def who_may(who):
    parts = []
    for item in sorted(who):
        if item in TOKENS:
            parts.append(TOKENS[item])
        else:
            parts.append(f"`{item.split('.')[1]}` ({', '.join(holders(item))})")
    return "; ".join(parts)


def table(machine):
    choices, order = machine.choices, list(machine.choices.values)
    lines = ["| from | to | who may (permission, and the roles that hold it) | effects |", "|---|---|---|---|"]
    moves = sorted(machine.table.items(), key=lambda item: (order.index(item[0][0]), order.index(item[0][1])))
    for (frm, to), who in moves:
        reason = " (with a reason)" if (frm, to) in machine.message_required else ""
        done = ", ".join(f"`{name}`" for name in effects.EFFECTS[machine.name, frm, to]) or "—"
        lines.append(f"| {choices(frm).label} `{frm}` | {choices(to).label} `{to}`{reason} | {who_may(who)} | {done} |")
    return "\n".join(lines)


def effects_table():
    lines = ["| effect | runs | what it does |", "|---|---|---|"]
    for name, when in effects.WHEN.items():
        runs = "in the move's transaction" if when.in_transaction else "after the commit"
        lines.append(f"| `{name}` | {runs} ({when.why}) | {effects.DOES[name]} |")
    return "\n".join(lines)


def markdown():
    return (
        "".join(f"### {machine.heading}\n\n" + table(machine) + "\n\n" for machine in MACHINES)
        + "### The effects\n\n"
        + effects_table()
        + "\n"
    )


class Command(BaseCommand):
    help = "Print the workflow's tables of moves and effects as Markdown (for docs/workflow.md)."

    def handle(self, *args, **options):
        self.stdout.write(markdown())
