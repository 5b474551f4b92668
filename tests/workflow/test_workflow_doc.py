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
    ("entry", "submitted", "eligible"): "`check_eligibility` (editor, chief editor, recommending body (its own area's entries))",
    ("entry", "eligible", "recommended"): "`recommend_submission` (recommending body (its own area's entries))",
    ("notice", "draft", "published"): "`publish_notice` (editor, chief editor)",
    ("notice", "published", "closed"): "system (commands)",
    ("article", "draft", "awaiting_signoff"): "`change_showcase` (editor, chief editor)",
    ("article", "awaiting_signoff", "signed_off"): "`signoff_showcase` (chief editor)",
    ("article", "awaiting_signoff", "draft"): "`signoff_showcase` (chief editor)",
    ("article", "signed_off", "published"): "`signoff_showcase` (chief editor)",
    ("article", "scheduled", "published"): "`signoff_showcase` (chief editor); system (commands)",
    ("article", "published", "unpublished"): "`change_showcase` (editor, chief editor)",
    # The expert writes through the request's signed link or signed in (their own requests only); editors decide.
    (
        "commentary",
        "requested",
        "written",
    ): "expert (the request's signed link); `write_commentary` (panel expert, their own requests)",
    ("commentary", "written", "accepted"): "`request_commentary` (editor, chief editor)",
    ("commentary", "accepted", "withdrawn"): "`request_commentary` (editor, chief editor)",
}
ARTICLE_MOVES_WITH_A_REASON = {("awaiting_signoff", "draft"), ("published", "unpublished")}
# The other machines' moves that need a reason: a revocation, an objection's answer either way.
OTHER_MOVES_WITH_A_REASON = {
    ("certificate", "issued", "revoked"),
    ("objection", "investigating", "upheld"),
    ("objection", "investigating", "dismissed"),
    # An interview: asking for another date says why; a cancellation gives its reason.
    ("interview", "proposed", "rescheduling"),
    ("interview", "proposed", "cancelled"),
    ("interview", "rescheduling", "cancelled"),
    ("interview", "confirmed", "cancelled"),
    # A commentary: a refusal, a revision asked for and a withdrawal say why.
    ("commentary", "requested", "declined"),
    ("commentary", "written", "requested"),
    ("commentary", "requested", "withdrawn"),
    ("commentary", "written", "withdrawn"),
    ("commentary", "accepted", "withdrawn"),
}
# The effects of known moves, as docs/workflow.md shows them (the product's rules: who is told,
# what the public column shows), in the order they run.
KNOWN_EFFECTS = {
    ("entry", "draft", "submitted"): "`overlap`, `mail`",
    ("entry", "returned", "resubmitted"): "`overlap`, `mail`",
    ("entry", "first_review", "returned"): "`mail`",
    ("entry", "submitted", "first_review"): "—",
    ("entry", "accepted", "published"): "`mail`",
    ("entry", "published", "accepted"): "—",
    ("article", "draft", "awaiting_signoff"): "`mail`",
    ("article", "awaiting_signoff", "draft"): "`mail`",
    ("article", "signed_off", "scheduled"): "—",
    ("article", "signed_off", "published"): "`cache`, `search`, `overlap`, `brand`, `public_media`",
    ("article", "scheduled", "published"): "`cache`, `search`, `overlap`, `brand`, `public_media`",
    ("article", "published", "unpublished"): "`cache`, `overlap`, `public_media`",
    ("commentary", "written", "accepted"): "`cache`",
    ("commentary", "requested", "written"): "`commentary_mail`",
}
# Moves nobody may make.
NO_SUCH_MOVE = {
    ("entry", "submitted", "accepted"),
    ("entry", "draft", "published"),
    ("article", "draft", "published"),
    ("article", "awaiting_signoff", "published"),
}


def rows(text):
    """{(table, from, to): (who may, the move needs a reason, its effects)} from the generated tables of moves."""
    found = {}
    table = None
    for line in text.splitlines():
        if line.startswith("### "):
            table = {
                "### An entry": "entry",
                "### An article": "article",
                "### A certificate": "certificate",
                "### An objection (异议)": "objection",
                "### A public notice (公示)": "notice",
                "### An interview (专题融媒采访)": "interview",
                "### An expert's commentary (专家点评)": "commentary",
                "### The effects": "effects",
            }[line]
        elif line.startswith("| ") and not line.startswith("| from ") and table != "effects":
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            frm, to = (re.search(r"`(\w+)`", cell).group(1) for cell in cells[:2])
            assert (table, frm, to) not in found, line
            found[table, frm, to] = (cells[2], "(with a reason)" in cells[1], cells[3])
    return found


def effect_rows(text):
    """[(effect, when it runs)] from the generated table of effects."""
    part = text.split("### The effects", 1)[1]
    return [
        (re.search(r"`(\w+)`", line).group(1), line.split("|")[2].strip().split(" (")[0])
        for line in part.splitlines()
        if line.startswith("| `")
    ]


def test_docs_show_the_workflow_tables_as_the_code_declares_them():
    page = (Path(__file__).resolve().parents[2] / "docs" / "workflow.md").read_text()
    assert markdown() in page


def test_the_generated_tables_show_the_known_moves_and_their_actors():
    moves = rows(markdown())
    assert sum(table == "entry" for table, _frm, _to in moves) == 45
    assert sum(table == "article" for table, _frm, _to in moves) == 12
    for move, who in KNOWN_MOVES.items():
        assert move in moves and moves[move][0] == who, move
    # A reason for returning or declining an entry, sending an article back from sign-off, unpublishing it.
    for (table, frm, to), (_who, reason, _effects) in moves.items():
        if table == "entry":
            needs = to in {"returned", "declined", "recommended"}  # recommended: the body's opinion
        elif table == "article":
            needs = (frm, to) in ARTICLE_MOVES_WITH_A_REASON
        else:
            needs = (table, frm, to) in OTHER_MOVES_WITH_A_REASON
        assert reason == needs, (table, frm, to)
    assert not NO_SUCH_MOVE & set(moves)
    assert not any("reviewer" in who for who, _reason, _effects in moves.values())  # reviewers score, they move nothing


def test_the_generated_tables_show_each_moves_effects_and_when_each_runs():
    moves = rows(markdown())
    for move, done in KNOWN_EFFECTS.items():
        assert moves[move][2] == done, move
    # The page cache is reset by the article's publication only, not again by its entry's.
    assert sum("`cache`" in done for (table, _frm, _to), (_who, _reason, done) in moves.items() if table == "entry") == 0
    assert effect_rows(markdown()) == [
        ("cache", "in the move's transaction"),
        ("search", "in the move's transaction"),
        ("overlap", "in the move's transaction"),
        ("brand", "in the move's transaction"),
        ("mail", "in the move's transaction"),
        ("public_media", "after the commit"),
        ("certificate_pdf", "after the commit"),
        ("objection_mail", "in the move's transaction"),
        ("interview_mail", "in the move's transaction"),
        ("commentary_mail", "in the move's transaction"),
    ]
