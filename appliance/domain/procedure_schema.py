"""The form schema of a procedure as integrators read it (``GET /api/v1/procedures/{code}``). Pure.

Built from the catalog model (:class:`~appliance.domain.catalog.Procedure`), never from the raw
catalog file: what the API describes is exactly what :func:`~appliance.domain.fields.validate`
checks. Both languages side by side (``label`` / ``label_en``); the rules of each field (required,
required unless or when another field, lengths, bounds, partial dates, the personal-number
cross-checks, generated values) and the procedure's cross-field warnings.
"""
from __future__ import annotations

from typing import Any

from .catalog import Catalog, Procedure
from .catalog.model import Condition, CrossCheck, Fee, FieldOfWork
from .fields import FieldSpec, Option

# what each field type accepts, for an integrator who fills a form from another system
TYPE_NOTES: dict[str, tuple[str, str]] = {
    "text": ("văn bản", "text"),
    "date": ("ngày: 12/03/1988 hoặc 1988-03-12", "date: 12/03/1988 or 1988-03-12"),
    "select": ("một giá trị trong options", "one of the options' values"),
    "id12": ("số định danh cá nhân 12 chữ số", "12-digit personal number"),
    "number": ("số nguyên", "whole number"),
    "bool": ("có/không (true/false)", "yes/no (true/false)"),
    "phone": ("số di động Việt Nam, 10 chữ số", "Vietnamese mobile number, 10 digits"),
}


def option_json(option: Option) -> dict[str, Any]:
    out: dict[str, Any] = {"value": option.value, "label": option.label or option.value,
                           "label_en": option.label_en or option.label or option.value}
    if option.aliases:
        out["aliases"] = list(option.aliases)
    if option.code:
        out["code"] = option.code
    return out


def field_json(spec: FieldSpec) -> dict[str, Any]:
    vi, en = TYPE_NOTES.get(spec.type, (spec.type, spec.type))
    rules: dict[str, Any] = {"required": spec.required}
    if spec.required_unless:
        rules["required_unless"] = spec.required_unless
    if spec.required_if:
        rules["required_if"] = spec.required_if
    if spec.type in ("text", "id12", "phone", "select"):
        rules["max_length"] = spec.max_length
    if spec.type == "text" and spec.uppercase:
        rules["uppercase"] = True
    if spec.type == "date":
        rules["partial"] = spec.partial
        rules["future"] = spec.future
    if spec.min is not None:
        rules["min"] = spec.min
    if spec.max is not None:
        rules["max"] = spec.max
    if spec.type == "select":
        rules["allow_other"] = spec.allow_other
    if spec.free_when:
        rules["free_when"] = {"field": spec.free_when[0], "values": list(spec.free_when[1])}
    if spec.birth_field:
        rules["birth_field"] = spec.birth_field
    if spec.sex_field:
        rules["sex_field"] = spec.sex_field
    out: dict[str, Any] = {
        "name": spec.name, "label": spec.label, "label_en": spec.label_en or spec.label, "type": spec.type,
        "type_text": vi, "type_text_en": en, "rules": rules, "paper": spec.paper, "sensitive": spec.sensitive,
        "default": spec.default, "help": spec.help or None,
        "generated": ({"kind": spec.generated, "from": spec.source} if spec.generated else None),
    }
    if spec.type == "select" or spec.options:
        out["options"] = [option_json(o) for o in spec.options]
        out["options_from"] = spec.options_from
    return out


def _condition(c: Condition) -> dict[str, Any]:
    out: dict[str, Any] = {"field": c.field}
    if c.values:
        out["values"] = list(c.values)
    if c.min is not None:
        out["min"] = c.min
    if c.max is not None:
        out["max"] = c.max
    return out


def check_json(check: CrossCheck) -> dict[str, Any]:
    return {"field": check.field, "when": [_condition(c) for c in check.when], "message": check.message,
            "message_en": check.message_en or check.message, "severity": "warning"}


def fee_json(fee: Fee) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": fee.kind, "amount": fee.amount, "label": fee.label or None,
                           "label_en": fee.label_en or fee.label or None, "province_set": fee.province_set}
    if fee.tiers:
        out["tiers"] = [{"from_page": start, "amount": amount} for start, amount in fee.tiers]
    if fee.cap_per_copy is not None:
        out["cap_per_copy"] = fee.cap_per_copy
    for name in ("pages_field", "copies_field", "when_field"):
        if getattr(fee, name):
            out[name] = getattr(fee, name)
    out["exemptions"] = [{"kind": e.kind, "field": e.field, "days": e.days, "values": list(e.values),
                          "reason": e.reason, "reason_en": e.reason_en or e.reason} for e in fee.exemptions]
    out["extras"] = [fee_json(x) for x in fee.extras]
    return out


def summary_json(procedure: Procedure, field_of_work: FieldOfWork | None = None) -> dict[str, Any]:
    """One line of the procedure list: code, names, field of work, time limit."""
    return {
        "code": procedure.code, "name": procedure.name, "name_en": procedure.name_en or procedure.name,
        "field_of_work": procedure.field_of_work,
        "field_of_work_name": field_of_work.name if field_of_work else None,
        "field_of_work_name_en": (field_of_work.name_en or field_of_work.name) if field_of_work else None,
        "time_limit": {**procedure.time_limit.as_dict(), "text": procedure.time_limit.describe("vi"),
                       "text_en": procedure.time_limit.describe("en")},
        "two_hour_model": procedure.two_hour_model, "declaration": procedure.declaration,
        "confirmed": procedure.confirmed,
    }


def procedure_schema(procedure: Procedure, catalog: Catalog) -> dict[str, Any]:
    """The whole form of ``procedure``: sections with their fields and rules, the documents to bring,
    the fee, the cross-field warnings, the catalog version it comes from."""
    return {
        **summary_json(procedure, catalog.field_of_work(procedure.field_of_work)),
        "catalog_version": catalog.version,
        "legal_basis": procedure.legal_basis or None,
        "same_day_cutoff": procedure.same_day_cutoff,
        "online": procedure.online,
        "sections": [{"title": s.title, "title_en": s.title_en or s.title, "block": s.block,
                      "fields": [field_json(f) for f in s.fields]} for s in procedure.sections],
        "documents": [{"name": d.name, "name_en": d.name_en or d.name, "mode": d.mode, "required": d.required,
                       "note": d.note or None} for d in procedure.documents],
        "fee": fee_json(procedure.fee),
        "checks": [check_json(c) for c in procedure.checks],
        "pledge": procedure.pledge if procedure.declaration else None,
        "to_confirm": [{"what": u.what, "note": u.note} for u in procedure.to_confirm],
    }
