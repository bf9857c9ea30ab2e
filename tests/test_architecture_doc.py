"""docs/architecture.md matches the tree: every package folder it names exists, and every Python
package of appliance/ and district/ is named in it (a new package is a new line on the map)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
FOLDER = re.compile(r"`((?:appliance|district)(?:/[A-Za-z0-9_]+)*/)`")
FILE = re.compile(r"`((?:[a-z_]+/)+[a-z_]+\.py)")


def named_folders() -> set[str]:
    return set(FOLDER.findall(DOC.read_text(encoding="utf-8")))


def packages() -> set[str]:
    found = set()
    for top in ("appliance", "district"):
        for init in (ROOT / top).rglob("__init__.py"):
            if "__pycache__" not in init.parts:
                found.add(init.parent.relative_to(ROOT).as_posix() + "/")
    return found


def test_every_folder_named_exists():
    named = named_folders()
    assert len(named) > 20
    missing = sorted(f for f in named if not (ROOT / f).is_dir())
    assert missing == []


def test_every_package_is_named():
    assert sorted(packages() - named_folders()) == []


def test_every_module_named_exists():
    """Paths like `services/uow.py` or `web/api/queue.py` are relative to appliance/ (or to the
    repository: `district/…`, `tests/…`)."""
    missing = []
    for path in set(FILE.findall(DOC.read_text(encoding="utf-8"))):
        candidates = [ROOT / path, ROOT / "appliance" / path]
        if not any(c.is_file() for c in candidates):
            missing.append(path)
    assert sorted(missing) == []
