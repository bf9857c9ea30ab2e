"""Sample declarations, typed as an officer would, for any catalog procedure. Pure.

Used by the demo, the tests and ``bench/bench_mirror.py``: each value passes the field rules
(:func:`appliance.domain.fields.validate`) and carries Vietnamese diacritics so that a printed
copy can be checked for them.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from .catalog import Procedure
from .fields import FieldSpec
from .personal_number import century_sex_digit, normalize_sex

NAMES = ("Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Lê Thị Ánh", "Phạm Quốc Hưng", "Hoàng Thị Mỹ Duyên",
         "Đặng Văn Lực", "Bùi Thị Thu Hằng", "Vũ Minh Khôi", "Đỗ Thị Loan", "Ngô Văn Thắng")
PLACE = "Thôn Đông Xá, xã Dương Xá, Thành phố Hà Nội"
BIRTH_YEARS = (1988, 1991, 2019, 1975, 1962, 2024)


def _birth_date(spec: FieldSpec, index: int, today: date) -> str:
    if spec.name.startswith(("child_", "ward_")):
        day = today.replace(day=1) if today.day > 1 else today
        return f"{day.day}/{day.month}/{day.year}"
    year = BIRTH_YEARS[index % len(BIRTH_YEARS)]
    if year > today.year:
        year = 1988
    return f"12/3/{year}" if not spec.partial else f"3/{year}"


def _text(spec: FieldSpec, index: int) -> str:
    name = spec.name
    if spec.uppercase or name.endswith("name"):
        return NAMES[index % len(NAMES)].lower() if spec.uppercase else NAMES[index % len(NAMES)]
    if any(k in name for k in ("residence", "place", "address", "hometown")):
        return PLACE
    if "issued_by" in name:
        return "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
    if "relationship" in name:
        return "Cha đẻ"
    text = f"Nội dung {spec.label.lower()} ghi thử"
    return text[:spec.max_length]


def sample_values(procedure: Procedure, today: date | None = None, seed: int = 0) -> dict[str, Any]:
    """Raw form values (as typed: '12/3/1988', lowercase names, 'Kinh') for every field."""
    today = today or date.today()
    values: dict[str, Any] = {}
    dates: dict[str, str] = {}
    fields = [f for f in procedure.fields if not f.generated]
    for index, spec in enumerate(fields, start=seed):
        kind = spec.type
        if kind == "text":
            values[spec.name] = _text(spec, index)
        elif kind == "date":
            if "dob" in spec.name or "birth" in spec.name:
                value = _birth_date(spec, index, today)
            else:
                value = f"{today.day}/{today.month}/{today.year}" if today.day > 1 else "5/1/2024"
            values[spec.name] = value
            dates[spec.name] = value
        elif kind == "select":
            if spec.default is not None:
                values[spec.name] = spec.default
            elif spec.options:
                values[spec.name] = spec.options[index % len(spec.options)].value if "sex" in spec.name \
                    else spec.options[0].value
        elif kind == "number":
            # the field's default when it has one (kết hôn lần thứ 1, not a 2nd marriage of a 'chưa kết hôn')
            values[spec.name] = str(spec.default) if spec.default is not None \
                else str(max(spec.min or 1, 1) + (1 if (spec.max or 99) > 2 else 0))
        elif kind == "bool":
            values[spec.name] = True
        elif kind == "phone":
            values[spec.name] = "0912 345 678"
    for spec in fields:
        if spec.type != "id12":
            continue
        year = _year(dates.get(spec.birth_field or "")) or 1988
        sex = normalize_sex(values.get(spec.sex_field or "")) or "Nam"
        serial = (sum(map(ord, spec.name)) * 7919) % 900000 + 100000
        values[spec.name] = "001" + century_sex_digit(year, sex) + f"{year % 100:02d}" + f"{serial:06d}"
    return values


def _year(typed: str | None) -> int | None:
    if not typed:
        return None
    return int(typed.rsplit("/", 1)[-1])
