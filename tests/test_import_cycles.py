"""No import cycle in appliance/ or district/: the graph of every runtime import (at the top of a
module or inside a function; ``if TYPE_CHECKING:`` blocks excluded) has no loop, and the checker
finds one when there is."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Alembic's versions are scripts run by alembic, not modules anything imports.
SKIP = ("district/migrations/versions",)


def source_modules(root: Path = REPO, tops: tuple[str, ...] = ("appliance", "district")) -> dict[str, tuple[bool, str]]:
    """module name -> (is a package, source text)."""
    out = {}
    for top in tops:
        for path in sorted((root / top).rglob("*.py")):
            rel = path.relative_to(root)
            if rel.as_posix().startswith(SKIP):
                continue
            parts = list(rel.with_suffix("").parts)
            is_pkg = parts[-1] == "__init__"
            if is_pkg:
                parts = parts[:-1]
            out[".".join(parts)] = (is_pkg, path.read_text(encoding="utf-8"))
    return out


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (never run)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                skipped.update(id(n) for n in ast.walk(inner))
    return skipped


def import_graph(modules: dict[str, tuple[bool, str]]) -> dict[str, set[str]]:
    """module -> the modules of ``modules`` it imports (``from pkg import sub`` counts as pkg.sub)."""
    graph: dict[str, set[str]] = {}
    for name, (is_pkg, text) in modules.items():
        tree = ast.parse(text)
        skipped = _type_checking_only(tree)
        targets: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_pkg else name.split(".")[:-1]
                    base = base[:len(base) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                for alias in node.names:
                    if f"{module}.{alias.name}" in modules:
                        targets.add(f"{module}.{alias.name}")
                    elif module in modules:
                        targets.add(module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name in modules)
        targets.discard(name)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph) + 100))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_no_import_cycle_in_the_source():
    modules = source_modules()
    assert "appliance.web.admin.blueprint" in modules and "district.app" in modules
    assert cycles(import_graph(modules)) == []


def test_the_checker_finds_a_cycle_even_through_a_function_level_import(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "model.py").write_text("def load():\n    from .parse import parse\n    return parse()\n")
    (pkg / "parse.py").write_text("from .model import load\n")
    (pkg / "hints.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                  "    from .model import load\n")
    (pkg / "uses.py").write_text("from . import hints\n")
    graph = import_graph(source_modules(tmp_path, ("pkg",)))
    assert graph["pkg.model"] == {"pkg.parse"} and graph["pkg.hints"] == set()
    assert cycles(graph) == [["pkg.model", "pkg.parse"]]
