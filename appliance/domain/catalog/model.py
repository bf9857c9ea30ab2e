"""The catalog model: procedures, fees, time limits, holidays and the immutable :class:`Catalog`. Pure.

Build a catalog with :func:`appliance.catalog.loader.load_catalog` (files) or
:func:`~appliance.domain.catalog.parse.catalog_from_json` (what the hub ships); both check
everything the same way. The model imports nothing from the parser (parse → model, one way).
"""
from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from appliance.domain.fields import FieldSpec, Option, Validated, validate

from .checks import cross_check


@dataclass(frozen=True)
class Unconfirmed:
    """An item of the catalog not yet checked against its legal text: shown to the admin, never
    printed as law. ``scope`` is the procedure code, or ``catalog`` / a field code for the whole."""
    what: str
    note: str = ""
    scope: str = "catalog"


DEFAULT_PLEDGE = ("Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật "
                  "về cam đoan của mình.")


@dataclass(frozen=True)
class FieldOfWork:
    code: str                      # national MX1X2-LV code (TT 01/2018 Đ20), e.g. G05-HT
    name: str
    name_en: str = ""
    ministry: str = ""             # the ministry that publishes the field's procedures
    former_codes: tuple[str, ...] = ()   # codes stored on older dossiers (HT, CT, XH)
    to_confirm: tuple[Unconfirmed, ...] = ()


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

    def as_dict(self) -> dict[str, Any]:
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
    extras: tuple[Fee, ...] = ()
    province_set: bool = False     # the province sets this amount: check it locally
    note: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class Condition:
    """One condition of a :class:`CrossCheck` on a clean value: in ``values`` and/or within min–max."""
    field: str
    values: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class CrossCheck:
    """A warning (never a block) when all ``when`` conditions hold: e.g. 'kết hôn lần thứ 2' with
    'chưa kết hôn'. Field names are already prefixed; ``section`` is the section's title."""
    field: str
    when: tuple[Condition, ...]
    message: str
    message_en: str = ""
    section: str = ""
    section_en: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    title_en: str
    fields: tuple[FieldSpec, ...]
    block: str | None = None
    checks: tuple[CrossCheck, ...] = ()


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
    pledge: str = DEFAULT_PLEDGE   # the tờ khai's own lời cam đoan (kết hôn: in the couple's words)
    copies_text: str = ""          # the footer's copies line ('{copies}' filled in); empty: the extract's
    form_notes: tuple[str, ...] = ()     # the footer notes printed under the signatures
    checks: tuple[CrossCheck, ...] = ()  # cross-field warnings (sections' and the procedure's own)
    to_confirm: tuple[Unconfirmed, ...] = ()

    @property
    def confirmed(self) -> bool:
        return not self.to_confirm

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
    """Loaded, checked catalog. Build with :func:`appliance.catalog.loader.load_catalog` or
    :func:`~appliance.domain.catalog.parse.catalog_from_json`."""

    def __init__(self, data: dict[str, Any], procedures: dict[str, Procedure], fields_of_work: dict[str, FieldOfWork],
                 lists: dict[str, tuple[Option, ...]], holidays: tuple[Holiday, ...],
                 to_confirm: tuple[Unconfirmed, ...] = ()):
        self._data = data
        self.to_confirm: tuple[Unconfirmed, ...] = to_confirm
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

    def field_of_work(self, code: str) -> FieldOfWork | None:
        """The field of work by its national code or a former one (HT, CT, XH on older dossiers)."""
        if code in self.fields_of_work:
            return self.fields_of_work[code]
        return next((f for f in self.fields_of_work.values() if code in f.former_codes), None)

    def unconfirmed(self) -> list[Unconfirmed]:
        """Every item still to be checked against its legal text: the catalog's, the fields', the
        procedures' (in catalog order). The admin sees this list; none of it is printed as law."""
        out = list(self.to_confirm)
        for fow in self.fields_of_work.values():
            out.extend(fow.to_confirm)
        for proc in self.procedures.values():
            out.extend(proc.to_confirm)
        return out

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

    def validate(self, code: str, values: Mapping[str, Any], today: date | None = None) -> Validated:
        """:func:`appliance.domain.fields.validate` with this catalog's province codes, plus the
        procedure's cross-field warnings (:mod:`.checks`)."""
        proc = self.get(code)
        clean, errors, warnings = validate(proc, values, today=today, provinces=self.birth_registration_codes)
        return clean, errors, cross_check(proc, clean, errors, warnings)

    def as_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)

    def as_json(self) -> str:
        """Canonical JSON (sorted keys, UTF-8 text): what the hub ships and the digest covers."""
        return json.dumps(self._data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
