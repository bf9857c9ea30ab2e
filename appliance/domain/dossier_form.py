"""A procedure's form as the pages and the printed papers show it: the widget for each field, the
sections (bride and groom side by side), the layout the citizen mirror draws, the procedure menu,
and values written as on paper. Pure: the catalog is passed in.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .catalog import Catalog, Procedure
from .fields import FieldSpec, parse_iso

SMALL_SELECT = 8                      # up to this many options: a <select>; more: a typed list
# Text fields whose name ends like this get the places list (provinces and communes).
PLACE_FIELD = re.compile(r"(residence|birth_place|hometown|death_place|burial_place|marriage_place|"
                         r"^place|_place|address)$")
LIST_NAMES = ("ethnic_groups", "nationalities", "provinces")
PAIRED_BLOCKS = ("spouse",)           # printed in two columns (Bên nữ | Bên nam), as on the form


@dataclass(frozen=True)
class Widget:
    spec: FieldSpec
    kind: str                 # text | date | select | list | number | bool | id12 | phone | generated
    datalist: str | None = None
    input_mode: str | None = None
    placeholder: str = ""
    hint: str = ""

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def required(self) -> bool:
        return self.spec.required and not self.spec.required_unless

    def label(self, lang: str = "vi") -> str:
        return (self.spec.label_en or self.spec.label) if lang == "en" else self.spec.label

    def default_text(self) -> str:
        default = self.spec.default
        if default is None or isinstance(default, bool):
            return ""
        if self.kind == "select":
            return str(default)
        return display_value(self.spec, default)


def widget(spec: FieldSpec) -> Widget:
    if spec.generated:
        return Widget(spec, "generated")
    if spec.type == "date":
        hint = ("Ngày/tháng/năm, ví dụ 12/3/1988; có thể chỉ ghi tháng/năm hoặc năm."
                if spec.partial else "Ngày/tháng/năm, ví dụ 12/3/1988.")
        return Widget(spec, "date", input_mode="numeric", placeholder="ngày/tháng/năm",
                      hint=spec.help or hint)
    if spec.type == "select":
        if spec.options_from in LIST_NAMES or len(spec.options) > SMALL_SELECT or spec.allow_other:
            return Widget(spec, "list", datalist=f"dl-{spec.options_from or spec.name}",
                          placeholder="gõ vài chữ đầu rồi Enter", hint=spec.help)
        return Widget(spec, "select", hint=spec.help)
    if spec.type == "id12":
        return Widget(spec, "id12", input_mode="numeric", placeholder="12 chữ số",
                      hint=spec.help or ("Số định danh cá nhân 12 chữ số (hoặc số hộ chiếu nếu chọn hộ chiếu)."
                                         if spec.free_when else ""))
    if spec.type == "number":
        return Widget(spec, "number", input_mode="numeric", hint=spec.help)
    if spec.type == "bool":
        return Widget(spec, "bool", hint=spec.help)
    if spec.type == "phone":
        return Widget(spec, "phone", input_mode="tel", placeholder="09xx xxx xxx", hint=spec.help)
    short = spec.name.split("_", 1)[-1] if spec.name.count("_") else spec.name
    is_place = bool(PLACE_FIELD.search(spec.name)) or bool(PLACE_FIELD.search(short))
    return Widget(spec, "text", datalist="dl-places" if is_place else None, hint=spec.help)


@dataclass(frozen=True)
class SectionView:
    title: str
    title_en: str
    block: str | None
    widgets: tuple[Widget, ...]

    def heading(self, lang: str = "vi") -> str:
        return (self.title_en or self.title) if lang == "en" else self.title


def sections(procedure: Procedure) -> list[SectionView]:
    return [SectionView(s.title, s.title_en, s.block, tuple(widget(f) for f in s.fields))
            for s in procedure.sections]


def procedure_menu(catalog: Catalog, lang: str = "vi") -> list[tuple[str, list[Procedure]]]:
    """(field of work name, its procedures) in catalog order, for the procedure picker."""
    def name(code: str) -> str:
        field = catalog.fields_of_work[code]
        return (field.name_en or field.name) if lang == "en" else field.name
    return [(name(code), procs) for code, procs in catalog.by_field().items() if procs]


def service_procedures(catalog: Catalog, service_code: str) -> list[Procedure]:
    """The procedures a queue service covers: a service is a field of work, named by its national
    code or a former one (HT, CT, XH); a service of no field covers none."""
    field = catalog.field_of_work(service_code)
    return catalog.by_field().get(field.code, []) if field is not None else []


def ticket_menu(catalog: Catalog, service_code: str, lang: str = "vi") -> list[tuple[str, list[Procedure]]]:
    """The console's procedure choice for a ticket: its service's procedures first, then the
    other fields (the citizen may have taken the wrong number)."""
    field = catalog.field_of_work(service_code)
    groups = [(code, procs) for code, procs in catalog.by_field().items() if procs]
    groups.sort(key=lambda g: 0 if field is not None and g[0] == field.code else 1)
    out = []
    for code, procs in groups:
        fow = catalog.fields_of_work[code]
        out.append(((fow.name_en or fow.name) if lang == "en" else fow.name, procs))
    return out


def mirror_layout(catalog: Catalog, lang: str = "vi") -> dict[str, Any]:
    """Every procedure's sections and field labels (no personal data) for the citizen mirror."""
    out: dict[str, Any] = {}
    for proc in catalog.procedures.values():
        out[proc.code] = {
            "name": (proc.name_en or proc.name) if lang == "en" else proc.name,
            "sections": [{"title": (s.title_en or s.title) if lang == "en" else s.title,
                          "fields": [{"name": f.name, "label": (f.label_en or f.label) if lang == "en" else f.label,
                                      "type": f.type, "generated": bool(f.generated), "upper": f.uppercase,
                                      "options": {o.value: o.label for o in f.options
                                                  if o.label and o.label != o.value and not f.options_from}}
                                     for f in s.fields]}
                         for s in proc.sections]}
    return out


# --- values written as on paper ------------------------------------------------------------

def display_value(spec: FieldSpec, value: Any, lang: str = "vi") -> str:
    """A clean value as a person writes it: dates ``12/03/1988``, options by label, yes/no."""
    if value is None or value == "":
        return ""
    if spec.type == "date" and isinstance(value, str):
        try:
            parsed = parse_iso(value)
        except ValueError:
            return value
        return parsed.display if parsed else ""
    if spec.type == "bool":
        yes = bool(value) if not isinstance(value, str) else value.lower() in ("1", "true", "on", "có")
        return ("Yes" if yes else "No") if lang == "en" else ("Có" if yes else "Không")
    if spec.type == "select":
        opt = spec.option_for(str(value))
        if opt is not None:
            return (opt.label_en or opt.label or opt.value) if lang == "en" else (opt.label or opt.value)
        return str(value)
    if spec.type == "number" and isinstance(value, int):
        return str(value)
    return str(value)


def display_values(procedure: Procedure, values: Mapping[str, Any], lang: str = "vi") -> dict[str, str]:
    return {f.name: display_value(f, values.get(f.name), lang) for f in procedure.fields}


def paired_sections(views: Iterable[SectionView]) -> list[tuple[SectionView, SectionView | None]]:
    """Two consecutive sections from the same block (bride and groom) are printed side by side,
    as on the TT 04/2020 marriage form; other sections stand alone."""
    views = list(views)
    out: list[tuple[SectionView, SectionView | None]] = []
    i = 0
    while i < len(views):
        here = views[i]
        nxt = views[i + 1] if i + 1 < len(views) else None
        if nxt is not None and here.block in PAIRED_BLOCKS and here.block == nxt.block \
                and len(here.widgets) == len(nxt.widgets):
            out.append((here, nxt))
            i += 2
        else:
            out.append((here, None))
            i += 1
    return out


def money(amount: int | None, lang: str = "vi") -> str:
    """``25000`` → ``25.000 đồng``; 0 → ``Miễn phí`` (``25,000 VND`` and ``Free`` in English)."""
    if lang == "en":
        return f"{amount:,} VND" if amount else "Free"
    if not amount:
        return "Miễn phí"
    return f"{amount:,}".replace(",", ".") + " đồng"
