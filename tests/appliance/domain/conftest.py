"""Fixtures of the domain tests."""
from __future__ import annotations

from pathlib import Path

import pytest
from catalog_files import copy_catalog


@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalog."""
    return copy_catalog(tmp_path)
