"""Reading and writing catalog files: the TOML directory, a hub's ``catalog.json``, holidays, communes.

All the I/O of the catalog lives here; the checks are pure (:mod:`appliance.domain.catalog`) and
report every mistake with its file and key in Vietnamese (:class:`CatalogError`).
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from appliance.domain.catalog import (
    LIST_FILES,
    Catalog,
    CatalogError,
    Checker,
    Holiday,
    Problem,
    add_communes,
    build_catalog,
    catalog_from_json,
    parse_holidays,
    plain,
)
from appliance.domain.counting import CountingRules, parse_counting_rules
from appliance.files import atomic_write

CATALOG_DIR = Path(__file__).resolve().parent
"""The built-in catalog shipped with the appliance (this package's folder)."""


def _read_toml(path: Path, rel: str, checker: Checker) -> dict:
    try:
        return plain(tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        checker.fail(rel, "", "không tìm thấy tệp")
    except UnicodeDecodeError:
        checker.fail(rel, "", "tệp phải được lưu dạng UTF-8")
    except tomllib.TOMLDecodeError as exc:
        checker.fail(rel, "", f"sai cú pháp TOML ({exc})")
    return {}


def read_directory(path: str | os.PathLike | None = None) -> dict:
    """Assemble the raw catalog dict from a directory of TOML files (checked by :func:`build_catalog`)."""
    root = Path(path) if path else CATALOG_DIR
    checker = Checker()
    main = _read_toml(root / "catalog.toml", "catalog.toml", checker)
    data: dict[str, Any] = {"format": main.get("format"), "version": main.get("version"),
                            "fields_of_work": main.get("fields_of_work"), "to_confirm": main.get("to_confirm", [])}
    data["blocks"] = _read_toml(root / "blocks.toml", "blocks.toml", checker)
    lists: dict[str, Any] = {}
    for name, list_file in LIST_FILES.items():
        content = _read_toml(root / list_file, list_file, checker)
        lists[name] = content.get(name)
    data["lists"] = lists
    data["holidays"] = _read_toml(root / "holidays.toml", "holidays.toml", checker)
    procedures = []
    proc_dir = root / "procedures"
    files = sorted(proc_dir.glob("*.toml")) if proc_dir.is_dir() else []
    if not files:
        checker.fail("procedures/", "", "không có tệp thủ tục nào (*.toml)")
    for file in files:
        rel = f"procedures/{file.name}"
        content = _read_toml(file, rel, checker)
        if content:
            content["source"] = rel
            procedures.append(content)
    data["procedures"] = procedures
    if checker.problems:
        raise CatalogError(checker.problems)
    return data


def load_catalog(path: str | os.PathLike | None = None) -> Catalog:
    """Load the catalog: ``None`` → the built-in ``appliance/catalog/``; a directory of TOML files;
    or a ``.json`` file written by :func:`save_json` (what the hub shipped)."""
    if path is not None and Path(path).is_file():
        file = Path(path)
        return catalog_from_json(file.read_bytes(), file.name)
    if path is not None and not Path(path).exists():
        raise CatalogError([Problem(str(path), "", "không tìm thấy thư mục hoặc tệp danh mục")])
    return build_catalog(read_directory(path), "catalog.toml")


def save_json(catalog: Catalog, path: str | os.PathLike, mode: int = 0o644) -> None:
    """Write :meth:`Catalog.as_json` atomically (temporary file, fsync, rename, fsync of the folder)."""
    atomic_write(Path(path), catalog.as_json().encode("utf-8"), mode)


def load_holidays(path: str | os.PathLike | None = None) -> tuple[Holiday, ...]:
    """Holidays and make-up working days from a TOML file (default: the built-in ``holidays.toml``)."""
    file = Path(path) if path else CATALOG_DIR / "holidays.toml"
    ck = Checker()
    raw = _read_toml(file, file.name, ck)
    if ck.problems:
        raise CatalogError(ck.problems)
    return parse_holidays(raw, file.name)


def load_communes(path: str | os.PathLike | None = None) -> dict[str, tuple[str, ...]]:
    """Province code → commune/ward names, from ``communes*.toml`` (a sample ships; add more files).

    Each file holds ``[[communes]]`` tables with ``province`` (2-digit code) and ``name``.
    """
    root = Path(path) if path else CATALOG_DIR
    files = [root] if root.is_file() else sorted(root.glob("communes*.toml"))
    ck = Checker()
    out: dict[str, list[str]] = {}
    for file in files:
        add_communes(ck, file.name, _read_toml(file, file.name, ck), out)
    if ck.problems:
        raise CatalogError(ck.problems)
    return {k: tuple(v) for k, v in out.items()}


def load_counting_rules(path: str | os.PathLike | None = None) -> CountingRules:
    """The counting rules for outcomes and reports (default: the built-in ``counting_rules.toml``)."""
    file = Path(path) if path else CATALOG_DIR / "counting_rules.toml"
    ck = Checker()
    raw = _read_toml(file, file.name, ck)
    if ck.problems:
        raise CatalogError(ck.problems)
    return parse_counting_rules(raw, file.name)


def load_form_versions(path: str | os.PathLike | None = None):
    """The printed papers' versions by effective date (default: the built-in ``forms.toml``);
    checked by :func:`appliance.domain.forms.parse_versions`."""
    from appliance.domain.forms import FormVersionError, parse_versions
    file = Path(path) if path else CATALOG_DIR / "forms.toml"
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FormVersionError(f"Không đọc được tệp {file.name}: {exc}") from None
    return parse_versions(raw, file.name)
