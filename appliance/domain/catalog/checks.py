"""Cross-field warnings of a declaration, kept as catalog data (``[[checks]]``). Pure.

A check never blocks: it adds a warning the officer reads before printing, e.g. "kết hôn lần thứ 2"
with "chưa kết hôn" as the marital status before the marriage.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from appliance.domain.fields import Message

if TYPE_CHECKING:
    from .model import Condition, CrossCheck, Procedure


def holds(condition: Condition, clean: Mapping[str, Any]) -> bool:
    """True when the clean value is set and meets the condition (in ``values``; within min–max)."""
    value = clean.get(condition.field)
    if value is None or value == "":
        return False
    if condition.values and str(value) not in condition.values:
        return False
    if condition.min is not None or condition.max is not None:
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        if condition.min is not None and value < condition.min:
            return False
        if condition.max is not None and value > condition.max:
            return False
    return True


def triggered(check: CrossCheck, clean: Mapping[str, Any]) -> bool:
    return all(holds(c, clean) for c in check.when)


def cross_check(procedure: Procedure, clean: Mapping[str, Any], errors: Mapping[str, Message],
                warnings: dict[str, Message]) -> dict[str, Message]:
    """``warnings`` with the procedure's triggered checks added (fields in error are left alone)."""
    out = dict(warnings)
    for check in procedure.checks:
        if check.field in errors or any(c.field in errors for c in check.when) or not triggered(check, clean):
            continue
        head = f"{check.section}: " if check.section else ""
        head_en = f"{check.section_en or check.section}: " if check.section else ""
        vi, en = head + check.message, head_en + (check.message_en or check.message)
        if check.field in out:
            vi, en = f"{out[check.field]} {vi}", f"{out[check.field].en} {en}"
        out[check.field] = Message(vi, en, check.field)
    return out
