"""What the appliance accepts at its edge: one table of text lengths per field, and the shape of any
value a request may carry (pure rules; ``appliance.web.edge`` applies them to every request).

Refused with 400 and a message naming the field (Vietnamese, English):

* a control character (NUL and the other C0 codes, DEL) anywhere in a path, a query, a form field or
  a JSON string; tab and line breaks are allowed in form fields and JSON strings (text areas);
* a text longer than its limit in :data:`TEXT_LIMITS` (by field name), else :data:`DEFAULT_TEXT_LIMIT`;
* in JSON: an integer beyond SQLite's range (±2⁶³), ``NaN`` or ``Infinity`` (not JSON, though
  Python reads them), objects and arrays nested more than :data:`MAX_DEPTH` deep.

Integers beyond SQLite's range in a path do not match the route (404); typed into a form field they
are refused by the field's own range check, and any that reaches the database is a 400 (the
``OverflowError`` of SQLite's driver, mapped in ``appliance.web.errors``).
"""
from __future__ import annotations

import math
import re
from typing import Any

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
MAX_DEPTH = 32
DEFAULT_TEXT_LIMIT = 2000
# field name → the most characters it takes (docs/errors.md, "Limits at the edge")
TEXT_LIMITS: dict[str, int] = {
    "login": 64, "password": 128, "current": 128, "new": 128, "confirm": 128,
    "name": 100, "name_en": 100, "full_name": 100, "code": 64, "prefix": 4, "agency_code": 64,
    "service": 32, "procedure": 64, "focus": 64, "priority_reason": 100, "target": 64,
    "token": 128, "next": 500, "q": 200, "lang": 8, "reason": 500, "note": 2000,
}
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Problem = tuple[str, tuple[str, str]]   # (field, (Vietnamese, English))


def limit_of(name: str) -> int:
    return TEXT_LIMITS.get(name.rsplit(".", 1)[-1], DEFAULT_TEXT_LIMIT)


def text_problem(name: str, value: str, lines_allowed: bool = True) -> Problem | None:
    """Why the text ``value`` of field ``name`` is refused, or None."""
    if (CONTROL_BUT_LINES if lines_allowed else CONTROL).search(value):
        return name, (f"'{name}' có ký tự điều khiển (ví dụ NUL), không được phép",
                      f"'{name}' contains a control character (e.g. NUL), not allowed")
    limit = limit_of(name)
    if len(value) > limit:
        return name, (f"'{name}' dài quá {limit} ký tự", f"'{name}' is longer than {limit} characters")
    return None


MAX_NAME = 200   # a field's (or JSON key's) own name


def name_problem(name: str) -> Problem | None:
    """Why a field's name (a query or form key, a JSON key) is refused, or None."""
    if CONTROL.search(name):
        return name, (f"tên trường '{name}' có ký tự điều khiển (ví dụ NUL), không được phép",
                      f"the field name '{name}' contains a control character (e.g. NUL), not allowed")
    if len(name) > MAX_NAME:
        return name[:40], (f"tên trường dài quá {MAX_NAME} ký tự", f"a field name is longer than {MAX_NAME} characters")
    return None


def json_problem(doc: Any) -> Problem | None:
    """The first value of a decoded JSON body that is refused, or None (iterative: no deep recursion)."""
    stack: list[tuple[str, Any, int]] = [("", doc, 0)]
    while stack:
        name, value, depth = stack.pop()
        field = name or "body"
        if isinstance(value, str):
            found = text_problem(field, value)
            if found:
                return found
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not INT_MIN <= value <= INT_MAX:
                return field, (f"'{field}' là số quá lớn (giới hạn ±2⁶³)", f"'{field}' is too large a number (±2⁶³)")
        elif isinstance(value, float):
            if not math.isfinite(value):
                return field, (f"'{field}' không phải số (NaN, Infinity)", f"'{field}' is not a number (NaN, Infinity)")
        elif isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                return field, (f"dữ liệu JSON lồng nhau quá {MAX_DEPTH} tầng",
                               f"the JSON is nested more than {MAX_DEPTH} levels deep")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in items:
                child_name = f"{name}.{key}" if name else str(key)
                if isinstance(key, str) and (found := name_problem(child_name)):
                    return found
                stack.append((child_name, child, depth + 1))
    return None
