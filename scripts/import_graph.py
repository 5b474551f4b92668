"""The import graph of the portal's code, built from the source, and its two rules (docs/architecture.md).

Every `import` and `from … import` in submissions/ is counted, at module level or inside a
function alike (an import inside a function is still a dependency; it only happens later).
The script fails (exit 1) on

1. any circle: modules that import each other, directly or through others;
2. any import from a lower layer into a higher one (LAYERS, lowest first).

    python scripts/import_graph.py            # check (make lint runs it)
    python scripts/import_graph.py --edges    # print every edge, for reading
    python scripts/import_graph.py --root DIR # another tree holding a submissions/ (the tests' small fakes)

A package's __init__ is a module like any other: `from submissions.platform.search import index` is an
edge to submissions.platform.search (index is a name in it), and `from submissions import intake` to
submissions.intake. Migrations are left out: Django loads them, nothing imports them.
"""

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "submissions"

# Layers, lowest first: a module may import its own layer's modules and lower layers' only.
# The areas share one layer: they may import one another, as long as no circle forms.
LAYERS = [
    ("models", ["submissions.models"]),
    ("platform", ["submissions.platform"]),
    ("workflow", ["submissions.workflow"]),
    (
        "areas",
        [
            "submissions.intake",
            "submissions.review",
            "submissions.newsroom",
            "submissions.column",
            "submissions.overlap",
            "submissions.results",
            "submissions.notice",
            "submissions.vote",
            "submissions.recommend",
            "submissions.interview",
            "submissions.video",
            "submissions.experts",
            "submissions.brands",
        ],
    ),
    ("entry points", ["submissions"]),  # admin, urls, views, management, apps, templatetags: everything else
]


def modules(root=ROOT):
    """{dotted name: path} of every Python module of the app under `root`, migrations excepted."""
    found = {}
    for path in sorted((root / APP).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _resolve(name, known):
    """The longest known module that `name` is or lies in (None: not ours)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _package_of(module, path):
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def edges(known):
    """{(importer, imported)} among our modules, with the line of the first such import."""
    found = {}
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = _package_of(module, path).split(".")
                    package = package[: len(package) - (node.level - 1)]
                    base = ".".join([*package, base] if base else package)
                # `from pkg import name`: name may be a module of pkg, else it is an attribute of pkg.
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
            for target in targets:
                resolved = _resolve(target, known)
                if resolved and resolved != module:
                    found.setdefault((module, resolved), node.lineno)
    return found


def layer_of(module):
    """The index in LAYERS of the most specific prefix the module falls under."""
    best, best_len = None, -1
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def circles(graph):
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        result.append(sorted(component))
    return result


def problems(known=None):
    """Every broken rule, as lines of text (empty: the graph is sound)."""
    known = known or modules()
    found = edges(known)
    graph = {module: set() for module in known}
    for importer, imported in found:
        graph[importer].add(imported)
    lines = []
    for component in sorted(circles(graph)):
        members = set(component)
        inside = sorted(f"    {a} -> {b} (line {found[(a, b)]})" for a, b in found if a in members and b in members)
        lines.append(f"circle of {len(component)} modules: {', '.join(component)}")
        lines.extend(inside)
    for (importer, imported), line in sorted(found.items()):
        low, high = layer_of(importer), layer_of(imported)
        if high > low:
            lines.append(f"layer: {importer} ({LAYERS[low][0]}) imports {imported} ({LAYERS[high][0]}), line {line}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", action="store_true", help="print every edge")
    parser.add_argument("--root", type=Path, default=ROOT, help="the folder holding submissions/ (default: this repository)")
    args = parser.parse_args(argv)
    known = modules(args.root)
    if args.edges:
        for (importer, imported), line in sorted(edges(known).items()):
            print(f"{importer} -> {imported} (line {line})")
        return 0
    found = problems(known)
    for line in found:
        print(line)
    print(f"{len(known)} modules; {'no circles, no layer breaks' if not found else f'{len(found)} problem lines'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
