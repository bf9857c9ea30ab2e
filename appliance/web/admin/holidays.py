"""The office's own holidays file: the built-in list plus the days an office adds.

The calendar reads one file (``[office].holidays_file``, or the built-in ``holidays.toml`` when it
is empty). An office that adds days off or make-up working days gets a file in the state
directory holding the built-in days and its own; the admin page finds its own again as the days
that are not in the built-in list. The file is checked by the catalog loader before it replaces
the old one (temporary file, fsync, rename, fsync of the directory).
"""
from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

from flask_babel import gettext as _

from ...catalog.loader import load_holidays
from ...domain.catalog import CatalogError, Holiday
from ...errors import MotcuaError
from ...files import atomic_write

OFFICE_FILE = "office-holidays.toml"


class HolidayInputError(MotcuaError):
    """A mistake in what the administrator typed; ``field`` names the text box."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def office_file(state_dir: Path) -> Path:
    return Path(state_dir).resolve() / OFFICE_FILE


def builtin_holidays() -> tuple[Holiday, ...]:
    return load_holidays(None)


def _key(h: Holiday) -> tuple:
    return (h.day, h.working)


def office_extras(path: str) -> tuple[list[Holiday], list[Holiday]]:
    """Days off and make-up days in ``path`` that the built-in list does not have."""
    try:
        mine = load_holidays(path) if path else ()
    except (CatalogError, OSError):
        return [], []
    builtin = {_key(h) for h in builtin_holidays()}
    extra = [h for h in mine if _key(h) not in builtin]
    return [h for h in extra if not h.working], [h for h in extra if h.working]


def _parse_day(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_lines(text: str, working: bool) -> list[Holiday]:
    """One day a line: ``2026-09-01 Nghỉ bù Quốc khánh`` or ``01/09/2026 Nghỉ bù``; blank lines skipped."""
    field = "extra_working" if working else "extra_days"
    default_name = _("Ngày làm bù") if working else _("Ngày nghỉ của cơ quan")
    out: list[Holiday] = []
    seen: dict[date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        first, _sep, rest = line.partition(" ")
        try:
            day = _parse_day(first)
        except ValueError:
            raise HolidayInputError(_("Dòng %(n)s: “%(text)s” không phải ngày; viết dạng 2026-09-01 hoặc "
                                      "01/09/2026, sau đó là tên ngày nghỉ.", n=number, text=first), field) from None
        if day in seen:
            raise HolidayInputError(_("Dòng %(n)s: ngày %(day)s đã có ở dòng %(m)s.", n=number,
                                      day=day.strftime("%d/%m/%Y"), m=seen[day]), field)
        if working and day.weekday() < 5:
            raise HolidayInputError(_("Dòng %(n)s: ngày làm bù %(day)s không phải thứ Bảy hoặc Chủ nhật.",
                                      n=number, day=day.strftime("%d/%m/%Y")), field)
        seen[day] = number
        out.append(Holiday(day, rest.strip() or default_name, working))
    return out


def _table(h: Holiday) -> str:
    text = f"date = {h.day.isoformat()}\nname = {json.dumps(h.name, ensure_ascii=False)}\n"
    if h.tentative:
        text += "tentative = true\n"
    return text


def render_file(days_off: list[Holiday], working: list[Holiday]) -> str:
    """The TOML text: built-in days, then the office's own (refused when a day is already listed)."""
    builtin = builtin_holidays()
    taken = {h.day: h for h in builtin}
    for h in [*days_off, *working]:
        if h.day in taken:
            other = taken[h.day]
            raise HolidayInputError(_("Ngày %(day)s đã có trong danh sách có sẵn (“%(name)s”); không cần thêm.",
                                      day=h.day.strftime("%d/%m/%Y"), name=other.name),
                                    "extra_working" if h.working else "extra_days")
    head = ("# Ngày nghỉ của cơ quan: danh sách có sẵn cộng các ngày quản trị viên thêm trên bảng điều khiển.\n"
            "# Tệp do bảng điều khiển ghi lại mỗi lần lưu; hãy sửa trên trang Quản trị > Ngày nghỉ.\n"
            f"source = {json.dumps('Danh sách có sẵn và ngày nghỉ riêng của cơ quan', ensure_ascii=False)}\n")
    parts = [head]
    for h in sorted([*(b for b in builtin if not b.working), *days_off], key=lambda x: x.day):
        parts.append("\n[[days_off]]\n" + _table(h))
    for h in sorted([*(b for b in builtin if b.working), *working], key=lambda x: x.day):
        parts.append("\n[[working_days]]\n" + _table(h))
    return "".join(parts)


def write_office_file(state_dir: Path, days_off: list[Holiday], working: list[Holiday]) -> Path:
    """Check the new file with the catalog loader, then replace the office file atomically."""
    target = office_file(state_dir)
    text = render_file(days_off, working).encode("utf-8")
    check = target.with_name(f".{target.name}.{os.getpid()}.check")
    try:
        check.parent.mkdir(parents=True, exist_ok=True)
        check.write_bytes(text)
        load_holidays(check)
    except CatalogError as exc:
        raise HolidayInputError(str(exc)) from None
    finally:
        check.unlink(missing_ok=True)
    atomic_write(target, text, 0o644)
    return target
