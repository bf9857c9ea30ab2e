"""The catalog the hub publishes is the one the appliances accept: the hub checks it with the
appliance's own contract (:mod:`appliance.domain.catalog.contract`), so both sides share one schema.

``publishable(content)`` returns the content unchanged or raises :class:`HubError` with a few short
Vietnamese lines, one problem each; the demo catalog is the appliance's built-in catalog.
"""
from __future__ import annotations

import json
from typing import Any

from appliance.domain.catalog.contract import check_published
from district.domain.errors import HubError


def publishable(content: Any) -> dict:
    """``content`` if an appliance accepts it; else :class:`HubError` naming the first problems."""
    if not isinstance(content, dict):
        raise HubError("invalid_catalog", "Danh mục phải là một đối tượng JSON {…} (Catalog.as_json của thiết bị)",
                       "catalog")
    _catalog, problems = check_published(content)
    if problems:
        raise HubError("invalid_catalog", "Thiết bị sẽ từ chối danh mục này:\n" + "\n".join(f"- {p}" for p in problems),
                       "catalog")
    return content


def fee_pack_publishable(content: Any, catalog_content: Any | None) -> dict:
    """A fee pack an appliance accepts: checked with the appliance's own parser against the published
    catalog (each code a procedure whose fee the province sets)."""
    from appliance.domain.catalog import CatalogError
    from appliance.domain.catalog.contract import short_problems
    from appliance.domain.catalog.fee_pack import parse_fee_pack
    catalog = check_published(catalog_content)[0] if catalog_content else None
    try:
        parse_fee_pack(content, catalog)
    except CatalogError as exc:
        raise HubError("invalid_fee_pack", "Thiết bị sẽ từ chối bảng lệ phí này:\n"
                       + "\n".join(f"- {p}" for p in short_problems(exc.problems)), "file") from None
    return content


def builtin_catalog() -> dict:
    """The appliance's built-in catalog, in the published shape (what the demo hub publishes)."""
    from appliance.catalog.loader import load_catalog
    return json.loads(load_catalog().as_json())


def from_path(path: str) -> dict:
    """A published catalog from a ``.json`` file (Catalog.as_json) or a directory of catalog TOML
    files (the appliance's ``appliance/catalog/`` layout); checked either way."""
    from pathlib import Path

    from appliance.catalog.loader import load_catalog
    from appliance.domain.catalog import CatalogError
    from appliance.domain.catalog.contract import short_problems
    p = Path(path)
    if p.is_dir():
        try:
            return json.loads(load_catalog(p).as_json())
        except CatalogError as exc:
            raise HubError("invalid_catalog", "Danh mục trong thư mục có lỗi:\n"
                           + "\n".join(f"- {x}" for x in short_problems(exc.problems)), "file") from None
    try:
        content = json.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise HubError("file", f"Không đọc được tệp {path}: {e.strerror}", "file") from None
    except ValueError as e:
        raise HubError("file", f"Tệp {path} không phải JSON hợp lệ: {e}", "file") from None
    return publishable(content)
