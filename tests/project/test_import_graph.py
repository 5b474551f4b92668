"""scripts/import_graph.py, the check `make lint` runs: circles (imports inside functions counted)
and imports from a lower layer into a higher one, found in small fake trees; and the portal's own
tree passing it."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


import_graph = _script()


def tree(root, files):
    """A fake app under root/submissions/: {relative path: source}; each package gets its __init__."""
    for name, source in files.items():
        path = root / "submissions" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        folder = path.parent
        while folder != root:
            (folder / "__init__.py").touch()
            folder = folder.parent
    return root


def test_a_circle_through_an_import_inside_a_function_is_found(tmp_path, capsys):
    root = tree(
        tmp_path,
        {
            "intake/services.py": "from submissions.intake import mailbox\n",
            "intake/mailbox.py": '"""Reads the mailbox."""\n\n\ndef fetch():\n    from submissions.intake import services\n',
            "models/entry.py": "import django\n",
        },
    )
    assert import_graph.problems(import_graph.modules(root)) == [
        "circle of 2 modules: submissions.intake.mailbox, submissions.intake.services",
        "    submissions.intake.mailbox -> submissions.intake.services (line 5)",
        "    submissions.intake.services -> submissions.intake.mailbox (line 1)",
    ]
    assert import_graph.main(["--root", str(root)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "6 modules; 3 problem lines"


def test_a_circle_through_a_package_and_a_relative_import_is_found(tmp_path):
    root = tree(
        tmp_path,
        {
            "overlap/__init__.py": "from submissions.overlap.report import refresh\n",
            "overlap/report.py": "def refresh():\n    from .hooks import enqueue\n",
            "overlap/hooks.py": "from submissions import overlap\n",
        },
    )
    assert import_graph.problems(import_graph.modules(root)) == [
        "circle of 3 modules: submissions.overlap, submissions.overlap.hooks, submissions.overlap.report",
        "    submissions.overlap -> submissions.overlap.report (line 1)",
        "    submissions.overlap.hooks -> submissions.overlap (line 1)",
        "    submissions.overlap.report -> submissions.overlap.hooks (line 2)",
    ]


def test_an_import_from_a_lower_layer_into_a_higher_one_is_found(tmp_path, capsys):
    root = tree(
        tmp_path,
        {
            "platform/tasks.py": "import logging\n\n\ndef publish_due():\n    from submissions.newsroom import publishing\n",
            "newsroom/publishing.py": "from django.db import transaction\n",
            "models/showcase.py": "from submissions.workflow.core import transition\n",
            "workflow/core.py": "from django.db import models\n\n\ndef transition():\n    pass\n",
            "admin.py": "from submissions.newsroom import publishing\n",
        },
    )
    assert import_graph.problems(import_graph.modules(root)) == [
        "layer: submissions.models.showcase (models) imports submissions.workflow.core (workflow), line 1",
        "layer: submissions.platform.tasks (platform) imports submissions.newsroom.publishing (areas), line 5",
    ]
    assert import_graph.main(["--root", str(root)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "10 modules; 2 problem lines"


def test_circles_are_listed_in_order_with_their_edges(tmp_path):
    root = tree(
        tmp_path,
        {
            "review/b.py": "from submissions.review import a\n",
            "review/a.py": "from submissions.review import b\n",
            "intake/y.py": "import submissions.intake.x\n",
            "intake/x.py": "def f():\n    import submissions.intake.y\n",
        },
    )
    assert import_graph.problems(import_graph.modules(root)) == [
        "circle of 2 modules: submissions.intake.x, submissions.intake.y",
        "    submissions.intake.x -> submissions.intake.y (line 2)",
        "    submissions.intake.y -> submissions.intake.x (line 1)",
        "circle of 2 modules: submissions.review.a, submissions.review.b",
        "    submissions.review.a -> submissions.review.b (line 1)",
        "    submissions.review.b -> submissions.review.a (line 1)",
    ]


def test_a_tree_that_keeps_the_rules_passes(tmp_path, capsys):
    root = tree(
        tmp_path,
        {
            "models/entry.py": "from django.db import models\n",
            "platform/tasks.py": "from submissions.models import entry\n",
            "workflow/core.py": "from submissions.models import entry\nfrom submissions.platform import tasks\n",
            "intake/services.py": "from submissions.workflow import core\n",
            "review/scoring.py": "def score():\n    from submissions.intake import services\n",
            "intake/tasks.py": "from submissions.intake import services\nfrom submissions.platform import tasks\n",
            "apps.py": "def ready():\n    from submissions.intake import tasks\n",
            "migrations/0001_initial.py": "from submissions.apps import ready\n",  # not a module of the graph
        },
    )
    assert import_graph.problems(import_graph.modules(root)) == []
    assert import_graph.main(["--root", str(root)]) == 0
    assert capsys.readouterr().out == "13 modules; no circles, no layer breaks\n"


def test_the_portal_keeps_the_rules():
    """What `make lint` checks: no circle and no layer break in submissions/ (docs/architecture.md)."""
    assert import_graph.problems() == []
