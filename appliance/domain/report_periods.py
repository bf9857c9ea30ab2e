"""Report periods: today, a week, a calendar month, the reporting periods that run from the 15th to
the 14th, and any range of days. Pure: the day "today" is passed in.

Reporting periods (NĐ 09/2019/NĐ-CP Đ12, as provinces apply it; ``/work/shared/domain.md``):

- month *m*: 15 of the month before to 14 of *m* (kỳ tháng 3/2026 = 15/02/2026 – 14/03/2026);
- quarter *q*: 15 of the month before the quarter to 14 of its last month
  (quý I/2026 = 15/12/2025 – 14/03/2026);
- half-year: the first 15/12 of the year before – 14/06; the second 15/06 – 14/12;
- year: 15/12 of the year before – 14/12.

A period is a pair of local days, both included; :func:`bounds` turns it into the half-open
instants ``[first 00:00, day after last 00:00)`` in the office's time zone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from appliance.domain.amounts import ascii_digits
from appliance.domain.errors import DomainError

KINDS = ("today", "week", "month", "report_month", "report_quarter", "report_half", "report_year", "range")
MAX_RANGE_DAYS = 3 * 366
ROMAN = ("I", "II", "III", "IV")


def _bad(vi: str, en: str, field: str) -> DomainError:
    """A period that cannot be read (code ``invalid``: a 400/422 with the reason in both languages)."""
    return DomainError("invalid", field, detail=(vi, en))


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date
    label: str
    label_en: str
    key: str = ""       # what names it in a URL: "2026-03" (month), "2026-Q1", "2026-H1", "2026"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def slug(self) -> str:
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"


def bounds(period: Period, tz: tzinfo) -> tuple[datetime, datetime]:
    """``[start, end)`` of the period's days in the office's time zone."""
    start = datetime.combine(period.first, time(0), tz)
    end = datetime.combine(period.last + timedelta(days=1), time(0), tz)
    return start, end


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def day(on: date) -> Period:
    return Period("today", on, on, f"Ngày {_d(on)}", f"{_d(on)}", on.isoformat())


def week(on: date) -> Period:
    """Monday to Sunday of the week holding ``on``."""
    first = on - timedelta(days=on.weekday())
    last = first + timedelta(days=6)
    return Period("week", first, last, f"Tuần từ {_d(first)} đến {_d(last)}",
                  f"Week {_d(first)} to {_d(last)}", first.isoformat())


def month(year: int, month_: int) -> Period:
    first = date(year, month_, 1)
    nxt = date(year + 1, 1, 1) if month_ == 12 else date(year, month_ + 1, 1)
    return Period("month", first, nxt - timedelta(days=1), f"Tháng {month_:02d}/{year}",
                  f"{first:%B} {year}", f"{year}-{month_:02d}")


def report_month(year: int, month_: int) -> Period:
    y, m = _month_before(year, month_)
    first, last = date(y, m, 15), date(year, month_, 14)
    return Period("report_month", first, last, f"Kỳ báo cáo tháng {month_:02d}/{year} ({_d(first)} – {_d(last)})",
                  f"Reporting month {month_:02d}/{year} ({_d(first)} – {_d(last)})", f"{year}-{month_:02d}")


def report_quarter(year: int, quarter: int) -> Period:
    if quarter not in (1, 2, 3, 4):
        raise _bad("Quý phải là 1, 2, 3 hoặc 4.", "The quarter must be 1 to 4.", "period")
    last_month = 3 * quarter
    y, m = _month_before(year, last_month - 2)
    first, last = date(y, m, 15), date(year, last_month, 14)
    return Period("report_quarter", first, last,
                  f"Kỳ báo cáo quý {ROMAN[quarter - 1]}/{year} ({_d(first)} – {_d(last)})",
                  f"Reporting quarter Q{quarter}/{year} ({_d(first)} – {_d(last)})", f"{year}-Q{quarter}")


def report_half(year: int, half: int) -> Period:
    if half not in (1, 2):
        raise _bad("Nửa năm phải là 1 hoặc 2.", "The half-year must be 1 or 2.", "period")
    first, last = (date(year - 1, 12, 15), date(year, 6, 14)) if half == 1 else (date(year, 6, 15), date(year, 12, 14))
    words = ("6 tháng đầu năm", "6 tháng cuối năm")[half - 1]
    words_en = ("First half", "Second half")[half - 1]
    return Period("report_half", first, last, f"Kỳ báo cáo {words} {year} ({_d(first)} – {_d(last)})",
                  f"{words_en} of {year} ({_d(first)} – {_d(last)})", f"{year}-H{half}")


def report_year(year: int) -> Period:
    first, last = date(year - 1, 12, 15), date(year, 12, 14)
    return Period("report_year", first, last, f"Kỳ báo cáo năm {year} ({_d(first)} – {_d(last)})",
                  f"Reporting year {year} ({_d(first)} – {_d(last)})", str(year))


def day_range(first: date, last: date) -> Period:
    if last < first:
        raise _bad("Ngày 'đến' phải sau hoặc bằng ngày 'từ'.",
                                  "The 'to' day must be on or after the 'from' day.", "to")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise _bad(f"Khoảng ngày tối đa {MAX_RANGE_DAYS} ngày.",
                                  f"A range is at most {MAX_RANGE_DAYS} days.", "to")
    return Period("range", first, last, f"Từ ngày {_d(first)} đến ngày {_d(last)}",
                  f"{_d(first)} to {_d(last)}", f"{first.isoformat()}_{last.isoformat()}")


def reporting_month_of(on: date) -> tuple[int, int]:
    """The reporting month a day belongs to: from the 15th on, the next month's period."""
    if on.day >= 15:
        return (on.year + 1, 1) if on.month == 12 else (on.year, on.month + 1)
    return on.year, on.month


def current(kind: str, today: date) -> Period:
    """The period of ``kind`` that holds ``today`` (a range: today alone)."""
    year, month_ = reporting_month_of(today)
    if kind == "today" or kind == "range":
        return day(today) if kind == "today" else day_range(today, today)
    if kind == "week":
        return week(today)
    if kind == "month":
        return month(today.year, today.month)
    if kind == "report_month":
        return report_month(year, month_)
    if kind == "report_quarter":
        return report_quarter(year, (month_ - 1) // 3 + 1)
    if kind == "report_half":
        return report_half(year, 1 if month_ <= 6 else 2)
    if kind == "report_year":
        return report_year(year)
    raise _bad(f"Không có loại kỳ '{kind}'.", f"No period kind '{kind}'.", "period")


def _int(text: str, what: str, what_en: str) -> int:
    if not ascii_digits(text) or len(text) > 4:
        raise _bad(f"{what} không hợp lệ: '{text[:20]}'.", f"Invalid {what_en}: '{text[:20]}'.",
                                  "key")
    return int(text)


def _year(text: str) -> int:
    year = _int(text, "Năm", "year")
    if not 2000 <= year <= 2100:
        raise _bad("Năm phải từ 2000 đến 2100.", "The year must be 2000 to 2100.", "key")
    return year


def _date(text: str, field: str) -> date:
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        raise _bad(f"Ngày phải có dạng NNNN-TT-NN: '{text[:20]}'.",
                                  f"A day must read YYYY-MM-DD: '{text[:20]}'.", field) from None
    if not 2000 <= parsed.year <= 2100:
        raise _bad("Năm phải từ 2000 đến 2100.", "The year must be 2000 to 2100.", field)
    return parsed


def parse(kind: str | None, key: str | None, today: date, first: str | None = None,
          last: str | None = None) -> Period:
    """A period from a URL: ``kind`` (one of :data:`KINDS`, default today) and ``key`` (the
    period's :attr:`Period.key`; empty: the one holding ``today``), or ``first``/``last`` days for a
    range."""
    kind = kind or "today"
    if kind not in KINDS:
        raise _bad(f"Không có loại kỳ '{kind[:20]}'.", f"No period kind '{kind[:20]}'.", "period")
    if kind == "range":
        one = _date(first, "from") if first else today
        return day_range(one, _date(last, "to") if last else one)
    if not key:
        return current(kind, today)
    if kind in ("today", "week"):
        on = _date(key, "key")
        return day(on) if kind == "today" else week(on)
    parts = key.split("-")
    if kind == "report_year":
        if len(parts) != 1:
            raise _bad("Năm phải có dạng NNNN.", "A year reads YYYY.", "key")
        return report_year(_year(parts[0]))
    if len(parts) != 2:
        raise _bad(f"Kỳ không hợp lệ: '{key[:20]}'.", f"Invalid period: '{key[:20]}'.", "key")
    year = _year(parts[0])
    if kind in ("month", "report_month"):
        month_ = _int(parts[1], "Tháng", "month")
        if not 1 <= month_ <= 12:
            raise _bad("Tháng phải từ 1 đến 12.", "The month must be 1 to 12.", "key")
        return month(year, month_) if kind == "month" else report_month(year, month_)
    letter, number = parts[1][:1].upper(), parts[1][1:]
    if kind == "report_quarter" and letter == "Q":
        return report_quarter(year, _int(number, "Quý", "quarter"))
    if kind == "report_half" and letter == "H":
        return report_half(year, _int(number, "Nửa năm", "half-year"))
    raise _bad(f"Kỳ không hợp lệ: '{key[:20]}'.", f"Invalid period: '{key[:20]}'.", "key")


def blocks(first: date, last: date, skip: date | None = None) -> tuple[list[str], list[str], list[date]]:
    """The days ``first``–``last`` (without ``skip``, today, read apart) as whole reporting years (keys
    ``YYYY``), whole reporting months (``YYYY-MM``) and the days left over, so that a summary kept per
    day, per reporting month and per reporting year is read in as few blocks as possible."""
    years: list[str] = []
    months: list[str] = []
    days: list[date] = []
    on = first
    while on <= last:
        if on.month == 12 and on.day == 15:
            y = report_year(on.year + 1)
            if y.last <= last and not (skip is not None and y.first <= skip <= y.last):
                years.append(y.key)
                on = y.last + timedelta(days=1)
                continue
        if on.day == 15:
            year, month_ = reporting_month_of(on)
            m = report_month(year, month_)
            if m.last <= last and not (skip is not None and m.first <= skip <= m.last):
                months.append(m.key)
                on = m.last + timedelta(days=1)
                continue
        if on != skip:
            days.append(on)
        on += timedelta(days=1)
    return years, months, days
