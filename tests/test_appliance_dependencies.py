"""Every package the appliance imports is one its own dependencies bring (pyproject.toml's
`dependencies`, with what they pull), not only an extra: the .deb's venv and `pip install motcua`
have no extras, while the development venv has the hub and test extras too and hides the gap.
(openpyxl, the reports' Excel, was only in the hub extra: `motcua serve` from the .deb stopped at
start with ModuleNotFoundError.)"""
from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]
# Not from PyPI: Debian's python3-lgpio (the .deb Recommends it), imported only when present.
FROM_DEBIAN = {"lgpio"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def base_closure() -> set[str]:
    """The distributions the appliance's own dependencies install, recursively, extras included
    where a requirement names them (python-escpos[usb,serial])."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(r) for r in project["dependencies"]]
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        name = canonical(req.name)
        if name in seen:
            continue
        seen.add(name)
        for text in md.requires(req.name) or []:
            sub = Requirement(text)
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in (req.extras or {""})):
                todo.append(sub)
    return seen


def appliance_imports() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted((REPO / "appliance").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                     else [])
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "appliance":
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def test_the_appliance_imports_only_what_its_dependencies_install():
    closure = base_closure()
    owners = md.packages_distributions()
    missing = []
    for module, where in appliance_imports().items():
        if module in FROM_DEBIAN:
            continue
        dists = {canonical(d) for d in owners.get(module, [])}
        if not dists & closure:
            missing.append(f"{module} ({where}; distribution {sorted(dists) or 'not installed'})")
    assert not missing, "imported by the appliance but not in pyproject.toml's dependencies: " + ", ".join(missing)


def test_the_appliance_does_not_import_the_hub():
    assert "district" not in appliance_imports()
