"""Vietnamese number words, pure: ``105 -> "một trăm linh năm"``, ``"A015" -> "A mười lăm"``.

Rules (northern standard by default, southern variants by keyword):

- ``mười`` for 10–19, ``mươi`` for 20–99;
- ``mốt`` for a final 1 after ``mươi`` (21, 31 …), ``một`` otherwise (1, 11, 101);
- ``lăm`` for a final 5 after ``mười``/``mươi`` (15, 25 …), ``năm`` otherwise (5, 105);
- a final 4 after ``mươi`` is ``bốn`` (``four="tư"`` for 24 → ``hai mươi tư``);
- a zero tens digit before a unit is ``linh`` (``zero_tens="lẻ"``): 105 → ``một trăm linh năm``;
- inner groups are read in full: 1005 → ``một nghìn không trăm linh năm``;
- groups: ``nghìn`` (``thousand="ngàn"``), ``triệu``, ``tỷ``; all-zero groups are skipped.

No I/O. Used by announcements (audio) and by printed forms ("date of birth in words").
"""
from __future__ import annotations

import re
import unicodedata

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
MAX = 10**12

ZERO_TENS = ("linh", "lẻ")
THOUSANDS = ("nghìn", "ngàn")
FOURS = ("bốn", "tư")

# Vietnamese names of the Latin letters (F, J, W, Z are not in the Vietnamese alphabet but appear
# in codes; they get their usual spoken names).
LETTER_NAMES = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "giê",
    "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e-lờ", "M": "em-mờ", "N": "en-nờ", "O": "o",
    "P": "pê", "Q": "quy", "R": "e-rờ", "S": "ét-xì", "T": "tê", "U": "u", "V": "vê",
    "W": "vê kép", "X": "ích-xì", "Y": "i dài", "Z": "dét",
}

_TICKET = re.compile(r"^\s*([^\W\d_]*)[\s\-]*(\d+)\s*$")


def _check_options(zero_tens: str, thousand: str, four: str) -> None:
    for value, allowed, what in ((zero_tens, ZERO_TENS, "zero_tens"), (thousand, THOUSANDS, "thousand"),
                                 (four, FOURS, "four")):
        if value not in allowed:
            raise ValueError(f"Tùy chọn {what}={value!r} không hợp lệ; chỉ nhận: {', '.join(allowed)}.")


def _check_int(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"Cần một số nguyên, nhận được {n!r}.")
    if not 0 <= n < MAX:
        raise ValueError(f"Chỉ đọc được số từ 0 đến {MAX - 1:,}".replace(",", ".") + f", nhận được {n}.")


def _tens_units(tens: int, units: int, *, zero_tens: str, four: str, after_hundred: bool) -> list[str]:
    """Words for the last two digits of a group (tens, units); empty for 00."""
    if tens == 0:
        if units == 0:
            return []
        return ([zero_tens] if after_hundred else []) + [DIGITS[units]]
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens >= 2 else "một")
    elif units == 5:
        words.append("lăm")
    elif units == 4 and tens >= 2:
        words.append(four)
    elif units:
        words.append(DIGITS[units])
    return words


def _group(value: int, *, full: bool, zero_tens: str, four: str) -> list[str]:
    """Words for 0 < value < 1000. ``full`` reads the hundreds even when zero (inner groups)."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    words += _tens_units(tens, units, zero_tens=zero_tens, four=four, after_hundred=bool(words))
    return words


def number_words(n: int, *, zero_tens: str = "linh", thousand: str = "nghìn", four: str = "bốn") -> list[str]:
    """The words of ``n`` as a list (one item per spoken word, ``"mươi"`` and ``"trăm"`` included)."""
    _check_int(n)
    _check_options(zero_tens, thousand, four)
    if n == 0:
        return [DIGITS[0]]
    scales = ("", thousand, "triệu", "tỷ")
    groups = []
    rest = n
    while rest:
        rest, g = divmod(rest, 1000)
        groups.append(g)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        g = groups[index]
        if g == 0:
            continue
        words += _group(g, full=bool(words), zero_tens=zero_tens, four=four)
        if scales[index]:
            words.append(scales[index])
    return words


def number_to_words(n: int, *, zero_tens: str = "linh", thousand: str = "nghìn", four: str = "bốn") -> str:
    """``n`` (0 ≤ n < 10^12) in Vietnamese words: ``1015 -> "một nghìn không trăm mười lăm"``.

    ``zero_tens``: ``"linh"`` (default) or ``"lẻ"``; ``thousand``: ``"nghìn"`` or ``"ngàn"``;
    ``four``: ``"bốn"`` or ``"tư"`` for a final 4 after ``mươi`` (24 → ``hai mươi tư``).
    """
    return " ".join(number_words(n, zero_tens=zero_tens, thousand=thousand, four=four))


def number_as_digits(digits: str | int) -> str:
    """Read digit by digit: ``"015" -> "không một năm"`` (phone numbers, codes)."""
    text = str(digits)
    if isinstance(digits, bool) or not text.isascii() or not text.isdigit():
        raise ValueError(f"'{text}' không phải là một dãy chữ số.")
    return " ".join(DIGITS[int(ch)] for ch in text)


def letter_name(letter: str) -> str:
    """Vietnamese name of a letter: ``"B" -> "bê"``."""
    key = unicodedata.normalize("NFC", letter).upper()
    if key not in LETTER_NAMES:
        raise ValueError(f"Không đọc được chữ '{letter}' trong số thứ tự; chỉ dùng chữ cái A–Z.")
    return LETTER_NAMES[key]


def split_ticket(number: str) -> tuple[str, int]:
    """``"A015" -> ("A", 15)``; ``"015" -> ("", 15)``. Letters are upper-cased."""
    match = _TICKET.match(unicodedata.normalize("NFC", str(number)))
    if not match:
        raise ValueError(f"Số thứ tự '{number}' không đúng dạng: chữ cái (nếu có) rồi đến các chữ số, ví dụ A015.")
    letters = match.group(1).upper()
    for ch in letters:
        letter_name(ch)
    return letters, int(match.group(2))


def ticket_to_words(number: str, *, spell_letters: bool = False, **options: str) -> str:
    """A ticket number as it is called: ``"A015" -> "A mười lăm"``.

    ``spell_letters=True`` gives the spoken letter names: ``"B021" -> "bê hai mươi mốt"``.
    ``options`` are those of :func:`number_to_words`.
    """
    letters, value = split_ticket(number)
    parts = [letter_name(ch) if spell_letters else ch for ch in letters]
    return " ".join(parts + [number_to_words(value, **options)])
