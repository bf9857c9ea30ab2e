"""A province's fee pack: the amounts the provincial People's Council sets (a resolution number and
its effective date), published by the hub and applied by the appliance on top of its catalog. Pure.

    {"format": 1, "province": "Hà Nội", "resolution": "Nghị quyết số 06/2020/NQ-HĐND",
     "effective": "2026-01-01", "fees": {"1.004873": {"amount": 20000}}}

Only fees the catalog marks ``province_set`` can be set by a pack (the others are national). The
pack applies from its effective date; before it the catalog's amounts stay. Applying builds a new
catalog through the same checks as any catalog (:func:`catalog_from_json`).
"""
from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .model import Catalog
from .parse import catalog_from_json
from .problems import CatalogError, Checker

FILE = "fee-pack.json"


@dataclass(frozen=True)
class FeePack:
    province: str
    resolution: str
    effective: date
    amounts: dict[str, int]

    @property
    def note(self) -> str:
        return f"Mức thu theo {self.resolution} ({self.province}), áp dụng từ {self.effective:%d/%m/%Y}"

    def in_force(self, today: date) -> bool:
        return today >= self.effective


def parse_fee_pack(doc: Any, catalog: Catalog | None = None, file: str = FILE) -> FeePack:
    """Check a pack (and, given the catalog, that each code is a procedure whose fee the province
    sets); every mistake is reported with its key (:class:`CatalogError`)."""
    ck = Checker()
    if isinstance(doc, (str, bytes)):
        try:
            doc = json.loads(doc)
        except ValueError as exc:
            ck.fail(file, "", f"không đọc được JSON: {exc}")
            raise CatalogError(ck.problems) from None
    raw = ck.table(file, "", doc, ("format", "province", "resolution", "effective", "fees"))
    if raw.get("format") != 1:
        ck.fail(file, "format", "phải là 1")
    province = ck.get(file, "", raw, "province", str, required=True, default="")
    resolution = ck.get(file, "", raw, "resolution", str, required=True, default="")
    effective_text = ck.get(file, "", raw, "effective", str, required=True, default="")
    effective = date.min
    try:
        effective = date.fromisoformat(effective_text) if effective_text else date.min
    except ValueError:
        ck.fail(file, "effective", f"ngày '{effective_text}' không hợp lệ; dạng YYYY-MM-DD")
    fees = ck.table(file, "fees", raw.get("fees", {}), tuple(raw.get("fees", {}) or ()))
    amounts: dict[str, int] = {}
    for code, value in fees.items():
        where = f"fees.{code}"
        item = ck.table(file, where, value, ("amount",))
        amount = ck.get(file, where, item, "amount", int, required=True)
        if isinstance(amount, int) and not 0 <= amount <= 10_000_000:
            ck.fail(file, f"{where}.amount", "phải từ 0 đến 10.000.000 đồng")
            continue
        if catalog is not None:
            proc = catalog.procedures.get(code)
            if proc is None:
                ck.fail(file, where, "không có thủ tục này trong danh mục")
                continue
            if not proc.fee.province_set:
                ck.fail(file, where, "lệ phí của thủ tục này do trung ương quy định, tỉnh không đặt được")
                continue
        if isinstance(amount, int):
            amounts[code] = amount
    if not amounts and not ck.problems:
        ck.fail(file, "fees", "chưa có mức thu nào")
    if ck.problems:
        raise CatalogError(ck.problems)
    return FeePack(province, resolution, effective, amounts)


def apply_fee_pack(catalog: Catalog, pack: FeePack, today: date) -> Catalog:
    """The catalog with the pack's amounts (from its effective date on; before it, unchanged)."""
    if not pack.in_force(today):
        return catalog
    data: dict[str, Any] = copy.deepcopy(json.loads(catalog.as_json()))
    for proc in data["procedures"]:
        amount = pack.amounts.get(proc["code"])
        if amount is None:
            continue
        fee: Mapping[str, Any] = proc["fee"]
        proc["fee"] = {**fee, "amount": amount, "note": pack.note}
    return catalog_from_json(data, FILE)
