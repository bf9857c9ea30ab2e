"""Personal number (số định danh cá nhân, the 12 digits on the CCCD / thẻ căn cước). Pure.

Layout (Nghị định 137/2015, Thông tư 59/2021/TT-BCA):

- digits 1–3: code of the province where the birth was registered (``001`` Hà Nội … ``096`` Cà Mau);
- digit 4: century and sex: 1900s ``0`` male / ``1`` female, 2000s ``2``/``3``, 2100s ``4``/``5``,
  2200s ``6``/``7``, 2300s ``8``/``9``;
- digits 5–6: the last two digits of the year of birth;
- digits 7–12: random.

The format is an error (``^\\d{12}$`` after removing spaces and dots). Disagreement with the date of
birth, the sex or the province table is only a **warning**: registers contain mistakes and an
officer must still be able to record what the paper says.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

_DIGITS = re.compile(r"^\d{12}$")
_SEPARATORS = re.compile(r"[\s.\-]")

SEX_MALE = "Nam"
SEX_FEMALE = "Nữ"
_SEX_ALIASES = {"nam": SEX_MALE, "m": SEX_MALE, "male": SEX_MALE, "trai": SEX_MALE,
                "nữ": SEX_FEMALE, "nu": SEX_FEMALE, "f": SEX_FEMALE, "female": SEX_FEMALE, "gái": SEX_FEMALE}


def normalize_sex(value: str | None) -> str | None:
    """``'nam'``/``'M'``/``'male'`` → ``'Nam'``; ``'nữ'``/``'nu'``/``'F'`` → ``'Nữ'``; else None."""
    if value is None:
        return None
    return _SEX_ALIASES.get(str(value).strip().lower())


@dataclass(frozen=True)
class Decoded:
    """What the first six digits say."""
    province_code: str
    century: int          # 1900, 2000, …
    sex: str              # "Nam" / "Nữ"
    year_suffix: int      # 0–99

    def birth_year(self) -> int:
        return self.century + self.year_suffix


@dataclass(frozen=True)
class Check:
    """Result of :func:`check`: ``number`` is the normalized 12 digits (or the input if invalid)."""
    number: str
    error: tuple[str, str] | None = None                 # (vi, en)
    warnings: tuple[tuple[str, str], ...] = field(default=())
    decoded: Decoded | None = None
    province_name: str | None = None

    @property
    def valid(self) -> bool:
        return self.error is None


def normalize(number: str) -> str:
    """Remove spaces, dots and dashes: ``'001 088 012 345'`` → ``'001088012345'``."""
    return _SEPARATORS.sub("", str(number or ""))


def decode(number: str) -> Decoded | None:
    """Decode a valid 12-digit number; None when the format is wrong."""
    number = normalize(number)
    if not _DIGITS.match(number):
        return None
    code = int(number[3])
    return Decoded(province_code=number[:3], century=1900 + (code // 2) * 100,
                   sex=SEX_MALE if code % 2 == 0 else SEX_FEMALE, year_suffix=int(number[4:6]))


def _birth_year(dob: Any) -> int | None:
    """Year of a date, an ISO string ('1988-03-12', '1988-03', '1988') or an int."""
    if dob is None or dob == "":
        return None
    if isinstance(dob, date):
        return dob.year
    if isinstance(dob, int):
        return dob
    year = getattr(dob, "year", None)
    if isinstance(year, int):
        return year
    match = re.match(r"^(\d{4})", str(dob).strip())
    return int(match.group(1)) if match else None


def check(number: str, dob: Any = None, sex: str | None = None,
          provinces: Mapping[str, str] | None = None) -> Check:
    """Validate ``number`` and cross-check it with a date of birth and a sex when given.

    ``dob``: a :class:`datetime.date`, an ISO (partial) date string or a year; ``sex``: ``Nam``/``Nữ``
    (aliases accepted); ``provinces``: birth-registration code → name (see the catalog's
    ``birth_registration_codes``); unknown codes give a warning.
    """
    raw = normalize(number)
    if not _DIGITS.match(raw):
        digits = sum(ch.isdigit() for ch in raw)
        if raw and not raw.isdigit():
            return Check(str(number), ("Số định danh cá nhân chỉ gồm chữ số.",
                                       "The personal number must contain digits only."))
        return Check(str(number), (f"Số định danh cá nhân phải có đúng 12 chữ số (đang có {digits}).",
                                   f"The personal number must have exactly 12 digits (got {digits})."))
    decoded = decode(raw)
    assert decoded is not None
    warnings: list[tuple[str, str]] = []
    province_name = None
    if provinces is not None:
        province_name = provinces.get(decoded.province_code)
        if province_name is None:
            warnings.append((f"Ba chữ số đầu '{decoded.province_code}' không phải mã tỉnh nơi đăng ký khai sinh; "
                             "hãy đối chiếu với thẻ căn cước.",
                             f"The first three digits '{decoded.province_code}' are not a province code; "
                             "check against the card."))
    year = _birth_year(dob)
    if year is not None:
        if year // 100 * 100 != decoded.century:
            warnings.append((f"Chữ số thứ 4 '{raw[3]}' chỉ thế kỷ {decoded.century // 100 + 1} "
                             f"(sinh năm {decoded.century}–{decoded.century + 99}), không khớp năm sinh {year}.",
                             f"Digit 4 '{raw[3]}' means born {decoded.century}–{decoded.century + 99}, "
                             f"not {year}."))
        elif year % 100 != decoded.year_suffix:
            warnings.append((f"Chữ số thứ 5–6 '{raw[4:6]}' không khớp năm sinh {year}.",
                             f"Digits 5–6 '{raw[4:6]}' do not match the year of birth {year}."))
    sex_norm = normalize_sex(sex)
    if sex_norm is not None and sex_norm != decoded.sex:
        warnings.append((f"Chữ số thứ 4 '{raw[3]}' là của giới tính {decoded.sex}, "
                         f"không khớp giới tính đã khai ({sex_norm}).",
                         f"Digit 4 '{raw[3]}' encodes sex {'male' if decoded.sex == SEX_MALE else 'female'}, "
                         f"which differs from the declared sex."))
    return Check(raw, None, tuple(warnings), decoded, province_name)


def century_sex_digit(year: int, sex: str) -> str:
    """The 4th digit for a year of birth and a sex: ``(1988, 'Nữ')`` → ``'1'``."""
    sex_norm = normalize_sex(sex)
    if sex_norm is None:
        raise ValueError(f"Giới tính '{sex}' không hợp lệ: Nam hoặc Nữ.")
    century_index = year // 100 - 19
    if not 0 <= century_index <= 4:
        raise ValueError(f"Năm sinh {year} ngoài khoảng 1900–2399.")
    return str(century_index * 2 + (0 if sex_norm == SEX_MALE else 1))
