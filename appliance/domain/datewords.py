"""A date written in words, as on hộ tịch papers ("ngày, tháng, năm sinh bằng chữ"). Pure.

``date(1988, 3, 12)`` → ``"Ngày mười hai tháng ba năm một nghìn chín trăm tám mươi tám"``;
``date(2005, 4, 5)`` → ``"Ngày mồng năm tháng tư năm hai nghìn không trăm linh năm"``.

Conventions: days 1–10 take ``mồng`` (``mồng một`` … ``mồng mười``), April is ``tháng tư``,
the other months and all numbers are read by :func:`appliance.domain.vnwords.number_to_words`.
``style="plain"`` drops ``mồng`` (``Ngày năm tháng tư …``) for provinces that write it so.
"""
from __future__ import annotations

from datetime import date

from appliance.domain.vnwords import number_to_words

_MONTHS = {4: "tư"}


def day_in_words(day: int, style: str = "traditional") -> str:
    if not 1 <= day <= 31:
        raise ValueError(f"Ngày {day} không hợp lệ (1–31).")
    words = number_to_words(day)
    return f"mồng {words}" if style == "traditional" and day <= 10 else words


def month_in_words(month: int) -> str:
    if not 1 <= month <= 12:
        raise ValueError(f"Tháng {month} không hợp lệ (1–12).")
    return _MONTHS.get(month) or number_to_words(month)


def date_in_words(d: date, style: str = "traditional") -> str:
    """The full date in words, first letter capitalised; ``style`` is ``traditional`` or ``plain``."""
    if style not in ("traditional", "plain"):
        raise ValueError("Kiểu viết ngày phải là 'traditional' hoặc 'plain'.")
    return (f"Ngày {day_in_words(d.day, style)} tháng {month_in_words(d.month)} "
            f"năm {number_to_words(d.year)}")


def month_year_in_words(month: int | None, year: int) -> str:
    """For partial dates: ``(3, 1988)`` → ``"Tháng ba năm một nghìn chín trăm tám mươi tám"``."""
    if month is None:
        return f"Năm {number_to_words(year)}"
    return f"Tháng {month_in_words(month)} năm {number_to_words(year)}"
