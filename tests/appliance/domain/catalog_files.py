"""Helpers for the catalog tests: a writable copy of the shipped catalog, an edit that must find
its text, and the problems a broken copy reports."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from appliance.catalog.loader import CATALOG_DIR, load_catalog
from appliance.domain.catalog import CatalogError


def copy_catalog(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalog in ``tmp_path`` (the ``copy_dir`` fixture, conftest.py)."""
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems_of(path) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    return [str(p) for p in info.value.problems]
