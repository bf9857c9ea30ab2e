"""Valid form values for any catalog procedure (used by the dossier tests)."""
from __future__ import annotations

from datetime import date

from appliance.catalog.loader import load_catalog

CATALOG = load_catalog()
PROCEDURES = sorted(CATALOG.procedures)
TODAY = date(2026, 11, 30)  # the FakeClock's Monday


def valid_value(spec, values):
    """A value each field type accepts (dates in the past, numbers within bounds)."""
    kind = spec.type
    if kind == "text":
        return "HOÀNG THỊ HOA" if spec.uppercase else "Thôn Đông, xã Dương Xá"
    if kind == "date":
        return "05/11/2026" if "dob" in spec.name or "birth" in spec.name else "12/03/1988"
    if kind == "select":
        return spec.options[0].value
    if kind == "id12":
        return "001088012345"
    if kind == "number":
        low = spec.min if spec.min is not None else 1
        return max(low, 1) if spec.max is None or spec.max >= 1 else low
    if kind == "bool":
        return True
    if kind == "phone":
        return "0912345678"
    raise AssertionError(kind)


def valid_values(code: str) -> dict:
    """Every non-generated field filled, then fixed until the catalog's validation has no error."""
    procedure = CATALOG.get(code)
    values = {}
    for spec in procedure.fields:
        if not spec.generated:
            values[spec.name] = valid_value(spec, values)
    for _ in range(5):
        _, errors, _ = CATALOG.validate(code, values, today=TODAY)
        if not errors:
            return values
        for name in errors:  # a cross-field rule: try the other options or an empty value
            spec = procedure.field(name)
            if spec.type == "select":
                values[name] = spec.options[-1].value
            elif spec.type == "date":
                values[name] = "01/01/2000"
            else:
                values[name] = None
    _, errors, _ = CATALOG.validate(code, values, today=TODAY)
    assert not errors, (code, errors)
    return values


