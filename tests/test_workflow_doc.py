from pathlib import Path

from submissions.management.commands.workflow_doc import markdown


def test_docs_show_the_workflow_tables_as_the_code_declares_them():
    page = (Path(__file__).resolve().parent.parent / "docs" / "workflow.md").read_text()
    assert markdown() in page
