"""The house stands in floors: every import runs down (or level), and no modules import
each other in a circle.

The imports are read with :mod:`ast` from every module of the installed packages, the ones
inside functions too, so a lazy import cannot hide an arrow that runs back up. A module
that matches no floor fails the test: a new folder takes its place in :data:`FLOORS` first.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ontology", "shapes", "graph", "api", "viz", "servicegraph")

# Lowest floor first; a module may import from its own floor and the floors below it.
# The most specific prefix decides ("graph.store" before "graph").
FLOORS: tuple[tuple[str, ...], ...] = (
    ("ontology",),  # terms, vocabularies, the register, the errors every floor raises
    ("graph", "graph.errors", "graph.text", "graph.settings"),  # Persian text, settings
    ("graph.readers",),  # card files to text
    ("graph.card",),  # the canonical card
    ("graph.parser",),  # text to the canonical card
    ("graph.iris", "graph.resolve", "graph.names", "graph.build", "graph.synth"),  # card to RDF
    ("shapes",),  # SHACL validation
    ("graph.sparql",),  # query checks, catalogue, prefixes, result values
    ("graph.store",),  # embedded and remote stores
    ("graph.pool", "graph.ingest", "graph.export", "graph.testing"),  # loading the store
    ("graph.analysis",),  # the NetworkX projection and what is computed on it
    ("graph.cli", "graph.commands"),  # the commands that drive graph
    ("viz",),  # interactive maps
    ("api",),  # SPARQL endpoint and REST API
    ("servicegraph",),  # the command line composed: every command, listed once
)


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def floor(module: str) -> int:
    """The floor of a module: the floor of its longest matching prefix.

    >>> floor("graph.store.embedded") > floor("graph.text") > floor("ontology.namespace")
    True
    """
    best, found = -1, None
    for level, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), level
    if found is None:
        raise LookupError(f"{module} stands on no floor: add it to FLOORS")
    return found


def _imported(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """(imported module of ours, line) for every import statement of ``module``."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            names = [f"{source}.{alias.name}" for alias in node.names] + [source]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                yield name, node.lineno
                if isinstance(node, ast.ImportFrom):
                    break  # the first (most specific) match of a from-import


def arrows() -> dict[str, dict[str, int]]:
    """importer -> {imported: line} over every module of the packages."""
    return {m: dict(_imported(m, p)) for m, p in MODULES.items()}


def test_every_module_stands_on_a_floor() -> None:
    assert len(MODULES) > 90
    for module in MODULES:
        floor(module)


def test_no_arrow_runs_back_up() -> None:
    upward = [
        f"{MODULES[a].relative_to(ROOT)}:{line}: {a} (floor {floor(a)}) imports {b} "
        f"(floor {floor(b)})"
        for a, targets in arrows().items()
        for b, line in targets.items()
        if floor(b) > floor(a)
    ]
    assert upward == []


def test_the_ground_floors_import_nothing_above_them() -> None:
    graph = arrows()
    for module, targets in graph.items():
        if module.startswith(("ontology", "shapes")):
            assert not [t for t in targets if t.startswith(("graph", "api", "viz"))], module
        if module.startswith("graph"):
            assert not [t for t in targets if t.startswith(("api", "viz", "servicegraph"))]


def _circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, {}))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
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
                    found.append(sorted(component))
    return found


def test_circles_are_found_when_there_are_some() -> None:
    assert _circles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [
        ["a", "b", "c"]
    ]
    assert _circles({"a": {"b": 1}, "b": {}}) == []


def test_no_import_circles() -> None:
    graph = arrows()
    # A package's __init__ that hands its modules' names on is not a circle with them: the
    # modules never need the package's face, only Python's import of the parent package.
    faces = {
        m: {t: line for t, line in targets.items() if not t.startswith(m + ".")}
        for m, targets in graph.items()
    }
    circles = _circles(faces)
    assert circles == [], circles


@pytest.mark.parametrize("module", ["graph.cli", "graph.commands.query", "api.app"])
def test_the_named_modules_are_read(module: str) -> None:
    assert module in MODULES and arrows()[module]
