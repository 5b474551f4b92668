import re
from pathlib import Path

from submissions.management.commands.workflow_doc import markdown

# Known moves, written out here (the product's rules, not read from the code): (table, from, to)
# and who may make them, as docs/workflow.md shows it.
KNOWN_MOVES = {
    ("entry", "draft", "submitted"): "`run_workflow` (editor, chief editor); submitter (tracking link)",
    ("entry", "draft", "withdrawn"): "submitter (tracking link)",
    ("entry", "submitted", "first_review"): "`run_workflow` (editor, chief editor)",
    ("entry", "first_review", "second_review"): "`run_workflow` (editor, chief editor)",
    ("entry", "shortlisted", "accepted"): "`run_workflow` (editor, chief editor)",
    ("entry", "accepted", "published"): "only with its article's move (made by `transition()` itself)",
    ("article", "draft", "awaiting_signoff"): "`change_showcase` (editor, chief editor)",
    ("article", "awaiting_signoff", "signed_off"): "`signoff_showcase` (chief editor)",
    ("article", "awaiting_signoff", "draft"): "`signoff_showcase` (chief editor)",
    ("article", "signed_off", "published"): "`signoff_showcase` (chief editor)",
    ("article", "scheduled", "published"): "`signoff_showcase` (chief editor); system (commands)",
    ("article", "published", "unpublished"): "`change_showcase` (editor, chief editor)",
}
ARTICLE_MOVES_WITH_A_REASON = {("awaiting_signoff", "draft"), ("published", "unpublished")}
# Moves nobody may make.
NO_SUCH_MOVE = {
    ("entry", "submitted", "accepted"),
    ("entry", "draft", "published"),
    ("article", "draft", "published"),
    ("article", "awaiting_signoff", "published"),
}


def rows(text):
    """{(table, from, to): (who may, the move needs a reason)} from the generated tables."""
    found = {}
    table = None
    for line in text.splitlines():
        if line.startswith("### "):
            table = {"### An entry": "entry", "### An article": "article"}[line]
        elif line.startswith("| ") and not line.startswith("| from "):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            frm, to = (re.search(r"`(\w+)`", cell).group(1) for cell in cells[:2])
            assert (table, frm, to) not in found, line
            found[table, frm, to] = (cells[2], "(with a reason)" in cells[1])
    return found


def test_docs_show_the_workflow_tables_as_the_code_declares_them():
    page = (Path(__file__).resolve().parents[2] / "docs" / "workflow.md").read_text()
    assert markdown() in page


def test_the_generated_tables_show_the_known_moves_and_their_actors():
    moves = rows(markdown())
    assert sum(table == "entry" for table, _frm, _to in moves) == 34
    assert sum(table == "article" for table, _frm, _to in moves) == 12
    for move, who in KNOWN_MOVES.items():
        assert move in moves and moves[move][0] == who, move
    # A reason for returning or declining an entry, sending an article back from sign-off, unpublishing it.
    for (table, frm, to), (_who, reason) in moves.items():
        needs = to in {"returned", "declined"} if table == "entry" else (frm, to) in ARTICLE_MOVES_WITH_A_REASON
        assert reason == needs, (table, frm, to)
    assert not NO_SUCH_MOVE & set(moves)
    assert not any("reviewer" in who for who, _reason in moves.values())  # reviewers score, they move nothing
