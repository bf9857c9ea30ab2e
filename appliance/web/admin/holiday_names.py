"""English names of the holidays in the built-in list (``appliance/catalog/holidays.toml`` names
them in Vietnamese, as the Prime Minister's notices do).

:func:`english_name` reads a name phrase by phrase; a name it cannot read whole (one an
administrator typed) is returned as ``None`` and the page shows it as written, marked Vietnamese.
"""
from __future__ import annotations

import re

_VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)

# (pattern, English), applied in order; longer phrases first.
PHRASES: list[tuple[str, str]] = [
    (r"Nghỉ hoán đổi Tết Dương lịch", "Swapped day off for New Year's Day"),
    (r"Tết Nguyên đán (?:Ất Tỵ|Bính Ngọ|Đinh Mùi|Mậu Thân|Kỷ Dậu|Canh Tuất)", "Lunar New Year (Tết)"),
    (r"Tết Dương lịch", "New Year's Day"),
    (r"Giỗ Tổ Hùng Vương", "Hung Kings' Commemoration Day"),
    (r"Ngày Quốc tế Lao động", "International Labour Day"),
    (r"Ngày Chiến thắng", "Reunification Day"),
    (r"Ngày Văn hóa Việt Nam", "Vietnamese Culture Day"),
    (r"Quốc khánh", "National Day"),
    (r"Nghỉ hoán đổi", "Swapped day off"),
    (r"Làm bù cho ngày nghỉ", "Make-up working day for the day off of"),
    (r"Làm bù cho ngày", "Make-up working day for"),
    (r"Nghỉ bù", "Day off in lieu:"),
    (r"làm bù thứ Bảy", "worked on Saturday"),
    (r"nghỉ bù", "day off in lieu"),
    (r"nghỉ hằng tuần", "weekend"),
    (r"trước giao thừa", "before New Year's Eve"),
    (r"giao thừa", "New Year's Eve"),
    (r"mùng (\d+)", r"day \1"),
    (r"(\d+)/(\d+) âm lịch", r"\1th of lunar month \2"),
    (r"thứ Bảy", "Saturday"),
    (r"Chủ nhật", "Sunday"),
]


def english_name(name: str) -> str | None:
    """``Tết Nguyên đán Bính Ngọ (mùng 1)`` → ``Lunar New Year (Tết) (day 1)``; None when not readable whole."""
    text = name
    for pattern, english in PHRASES:
        text = re.sub(pattern, english, text)
    return None if _VIETNAMESE.search(text.replace("Tết", "")) else text
