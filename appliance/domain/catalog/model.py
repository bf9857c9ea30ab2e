"""The catalog model: procedures, fees, time limits, holidays and the immutable :class:`Catalog`. Pure.

Build a catalog with :func:`appliance.catalog.loader.load_catalog` (files) or
:meth:`Catalog.from_json` (what the hub ships); both check everything the same way.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from appliance.domain.fields import FieldSpec, Option, validate


@dataclass(frozen=True)
class FieldOfWork:
    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Document:
    name: str
    mode: str = "submit"          # 'submit' (nộp) or 'show' (xuất trình, chỉ để đối chiếu)
    required: bool = True
    name_en: str = ""
    note: str = ""


@dataclass(frozen=True)
class TimeLimit:
    kind: str                      # immediate | same_day | hours | days | none
    value: float | int | None = None
    steps: tuple[int, ...] = ()
    extended_value: int | None = None
    extended_when: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        out: dict[str, Any] = {"kind": self.kind}
        if self.value is not None:
            out["value"] = self.value
        if self.steps:
            out["steps"] = list(self.steps)
        if self.extended_value is not None:
            out["extended_value"] = self.extended_value
        return out

    def describe(self, lang: str = "vi") -> str:
        vi = {"immediate": "Ngay trong ngày", "same_day": "Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)",
              "none": "Không quy định"}
        en = {"immediate": "Immediately", "same_day": "Same day (after 15:00: next working day)",
              "none": "Not set"}
        if self.kind == "hours":
            return f"{self.value:g} giờ làm việc" if lang == "vi" else f"{self.value:g} working hours"
        if self.kind == "days":
            text = f"{self.value} ngày làm việc" if lang == "vi" else f"{self.value} working days"
            if self.steps:
                text += " (" + " + ".join(str(s) for s in self.steps) + ")"
            return text
        return (vi if lang == "vi" else en)[self.kind]


@dataclass(frozen=True)
class Exemption:
    kind: str                      # within_days | field_set | field_in
    reason: str
    field: str
    days: int | None = None
    values: tuple[str, ...] = ()
    reason_en: str = ""            # the reason on the English pages; empty: the Vietnamese is shown


@dataclass(frozen=True)
class Fee:
    kind: str                      # free | fixed | per_copy | per_page
    amount: int = 0                # đồng (fixed, per_copy)
    tiers: tuple[tuple[int, int], ...] = ()   # per_page: (from_page, đồng per page), ascending
    cap_per_copy: int | None = None
    pages_field: str | None = None
    copies_field: str | None = None
    when_field: str | None = None  # extras: charged only when this bool field is true
    label: str = ""
    exemptions: tuple[Exemption, ...] = ()
    extras: tuple["Fee", ...] = ()
    province_set: bool = False     # the province sets this amount: check it locally
    note: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    title_en: str
    fields: tuple[FieldSpec, ...]
    block: str | None = None


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field_of_work: str
    time_limit: TimeLimit
    fee: Fee
    sections: tuple[Section, ...]
    documents: tuple[Document, ...] = ()
    name_en: str = ""
    legal_basis: str = ""
    declaration: bool = True       # a tờ khai is filled (chứng thực: a logbook entry instead)
    two_hour_model: bool = False   # resolved within 2 working hours on model days
    same_day_cutoff: str = "15:00"
    online: str = "mot_phan"
    order: int = 100               # position within its field of work
    source: str = ""

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"Thủ tục {self.code} không có trường '{name}'.")


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    working: bool = False          # True: a make-up working day (ngày làm bù) on a weekend
    tentative: bool = False


@dataclass(frozen=True)
class FeeQuote:
    amount: int
    base: int
    extras: int
    exempt_reason: str | None
    lines: tuple[tuple[str, int], ...]


class Catalog:
    """Loaded, checked catalog. Build with :func:`appliance.catalog.loader.load_catalog` or :meth:`from_json`."""

    def __init__(self, data: dict, procedures: dict[str, Procedure], fields_of_work: dict[str, FieldOfWork],
                 lists: dict[str, tuple[Option, ...]], holidays: tuple[Holiday, ...]):
        self._data = data
        self.version: str = data["version"]
        self.procedures: dict[str, Procedure] = procedures
        self.fields_of_work: dict[str, FieldOfWork] = fields_of_work
        self.lists: dict[str, tuple[Option, ...]] = lists
        self.holidays: tuple[Holiday, ...] = holidays
        self.digest: str = hashlib.sha256(self.as_json().encode()).hexdigest()

    def __repr__(self) -> str:
        return f"<Catalog version={self.version!r} procedures={len(self.procedures)}>"

    def get(self, code: str) -> Procedure:
        try:
            return self.procedures[code]
        except KeyError:
            raise KeyError(f"Không có thủ tục mã '{code}' trong danh mục (phiên bản {self.version}).") from None

    def by_field(self) -> dict[str, list[Procedure]]:
        """Field code → its procedures, fields in catalog order, procedures in file order."""
        out: dict[str, list[Procedure]] = {code: [] for code in self.fields_of_work}
        for proc in self.procedures.values():
            out[proc.field_of_work].append(proc)
        return out

    @property
    def ethnic_groups(self) -> tuple[Option, ...]:
        return self.lists["ethnic_groups"]

    @property
    def nationalities(self) -> tuple[Option, ...]:
        return self.lists["nationalities"]

    @property
    def provinces(self) -> tuple[Option, ...]:
        return self.lists["provinces"]

    @property
    def birth_registration_codes(self) -> dict[str, str]:
        """Personal-number digits 1–3 → province name (the 63 pre-2025 provinces)."""
        return {o.code: o.value for o in self.lists["birth_registration_codes"]}

    def validate(self, code: str, values: Mapping[str, Any], today: date | None = None):
        """:func:`appliance.domain.fields.validate` with this catalog's province codes."""
        return validate(self.get(code), values, today=today, provinces=self.birth_registration_codes)

    def as_dict(self) -> dict:
        return copy.deepcopy(self._data)

    def as_json(self) -> str:
        """Canonical JSON (sorted keys, UTF-8 text): what the hub ships and the digest covers."""
        return json.dumps(self._data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str | bytes | Mapping[str, Any], source: str = "catalog.json") -> "Catalog":
        """Build and check a catalog from :meth:`as_json` output (text, bytes or the parsed dict)."""
        from .parse import catalog_from_json  # parse builds Catalog objects: imported when used
        return catalog_from_json(data, source)
