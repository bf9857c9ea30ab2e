"""Fees: the amount in đồng for a procedure and a declaration, with its reason and exemptions. Pure."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from appliance.domain.fields import PartialDate, parse_iso

from .model import Fee, FeeQuote, Procedure


def _int(value: Any, default: int = 0) -> int:
    if value is None or value == "" or isinstance(value, bool):
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        return default


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "có", "x")
    return bool(value)


def _component(fee: Fee, values: Mapping[str, Any]) -> int:
    copies = max(_int(values.get(fee.copies_field), 1), 0) if fee.copies_field else 1
    if fee.kind == "free":
        return 0
    if fee.kind == "fixed":
        return fee.amount
    if fee.kind == "per_copy":
        return fee.amount * copies
    pages = max(_int(values.get(fee.pages_field or ""), 0), 0)
    per_copy = 0
    for index, (start, amount) in enumerate(fee.tiers):
        end = fee.tiers[index + 1][0] - 1 if index + 1 < len(fee.tiers) else pages
        if pages >= start:
            per_copy += (min(pages, end) - start + 1) * amount
    if fee.cap_per_copy is not None:
        per_copy = min(per_copy, fee.cap_per_copy)
    return per_copy * copies


def _exempt(fee: Fee, values: Mapping[str, Any], on: date) -> str | None:
    for ex in fee.exemptions:
        value = values.get(ex.field)
        if ex.kind == "field_set" and value not in (None, "", False):
            return ex.reason + (f" ({value})" if isinstance(value, str) else "")
        if ex.kind == "field_in" and value is not None and str(value) in ex.values:
            return ex.reason
        if ex.kind == "within_days" and value:
            try:
                when = value if isinstance(value, date) else parse_iso(str(value))
            except ValueError:
                continue
            when = when.to_date() if isinstance(when, PartialDate) else when
            if when is not None and 0 <= (on - when).days <= (ex.days or 0):
                return ex.reason
    return None


def explain_fee(procedure: Procedure, values: Mapping[str, Any], on: date | None = None) -> FeeQuote:
    """The fee in đồng with its reason: base (after exemptions) + extras (copies of extracts …).

    ``values`` are the clean values of the declaration; ``on`` is the day of receipt (default today),
    used for exemptions such as 'khai sinh within 60 days of birth'.
    """
    on = on or date.today()
    fee = procedure.fee
    reason = "Miễn lệ phí" if fee.kind == "free" else _exempt(fee, values, on)
    base = 0 if reason else _component(fee, values)
    lines = [(fee.label or procedure.name, base)]
    extras = 0
    for extra in fee.extras:
        if extra.when_field and not _truthy(values.get(extra.when_field)):
            continue
        amount = _component(extra, values)
        extras += amount
        lines.append((extra.label or "Phí bổ sung", amount))
    if fee.kind == "free" and fee.note:
        reason = fee.note
    return FeeQuote(base + extras, base, extras, reason, tuple(lines))


def compute_fee(procedure: Procedure, values: Mapping[str, Any], on: date | None = None) -> int:
    """Fee in đồng for a procedure and the (clean) declaration values."""
    return explain_fee(procedure, values, on).amount
