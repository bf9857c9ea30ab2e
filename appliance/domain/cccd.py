"""Reading the QR code of a citizen's card (CCCD with chip, 2021–) instead of typing it. Pure.

A USB 2D scanner set up as a keyboard types the QR's text followed by Enter. The text is seven
fields separated by ``|``::

    số CCCD (12 digits) | số CMND cũ (9 digits or empty) | họ và tên | ngày sinh ddmmyyyy |
    giới tính (Nam / Nữ) | nơi thường trú | ngày cấp ddmmyyyy

:func:`read_card` recognises exactly that layout and nothing else: any other text (another
number of fields, a field out of shape, a date that does not exist, a name with digits, a card
issued before its holder was born, or in the future) is **not recognised**, with the reason, and
no field is guessed. The thẻ căn cước of the 2023 law (from 1/7/2024) has a QR whose layout is not
confirmed here: unless it is the same seven fields it is not recognised either.

What is read is shown to the officer to confirm before it goes into a form; the personal number is
cross-checked with the date of birth and the sex (:func:`appliance.domain.personal_number.check`:
warnings, never a refusal). The raw text is the caller's to forget: nothing here keeps it, and no
message repeats it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import personal_number

FIELDS = 7
SEPARATOR = "|"
MAX_SCAN = 600                       # a CCCD QR holds a few hundred characters at most
_DIGITS12 = re.compile(r"^\d{12}$")
_DIGITS9 = re.compile(r"^\d{9}$")
_DATE = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
# a name: letters (any script, with their marks), spaces, and the apostrophe or hyphen some names carry
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+)*$")
_SEXES = {"nam": personal_number.SEX_MALE, "nữ": personal_number.SEX_FEMALE}

# The parts of a person in a form that a card fills, by the field's name after its prefix.
CARD_PARTS = ("name", "id_type", "id_number", "dob", "sex", "residence", "id_issued_on")


@dataclass(frozen=True)
class Card:
    """What a recognised QR code says (``dob`` and ``issued_on`` as dates)."""
    personal_number: str
    old_id_number: str | None
    name: str
    dob: date
    sex: str
    residence: str
    issued_on: date
    warnings: tuple[tuple[str, str], ...] = field(default=())

    def as_json(self, lang: str = "vi") -> dict[str, Any]:
        i = 1 if lang == "en" else 0
        return {"personal_number": self.personal_number, "old_id_number": self.old_id_number,
                "name": self.name, "dob": self.dob.isoformat(), "dob_text": self.dob.strftime("%d/%m/%Y"),
                "sex": self.sex, "residence": self.residence, "issued_on": self.issued_on.isoformat(),
                "issued_on_text": self.issued_on.strftime("%d/%m/%Y"), "warnings": [w[i] for w in self.warnings]}


@dataclass(frozen=True)
class Unrecognised:
    """Not a layout this reader knows: the reason, never the text."""
    reason: tuple[str, str]          # (vi, en)

    def text(self, lang: str = "vi") -> str:
        vi, en = self.reason
        if lang == "en":
            return f"Not recognised: {en}. Please type it in."
        return f"Không nhận dạng được mã QR này: {vi}. Hãy nhập tay."


def _date(text: str) -> date | None:
    match = _DATE.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def read_card(scan: str, today: date) -> Card | Unrecognised:
    """The card's fields from the scanner's text, or why it is not a CCCD QR code."""
    if not isinstance(scan, str) or not scan.strip():
        return Unrecognised(("không có nội dung", "nothing was read"))
    if len(scan) > MAX_SCAN:
        return Unrecognised(("dài hơn mã QR của thẻ căn cước", "longer than a card's QR code"))
    text = unicodedata.normalize("NFC", scan.strip("\r\n\t "))
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        return Unrecognised(("có ký tự điều khiển", "it contains control characters"))
    parts = text.split(SEPARATOR)
    if len(parts) != FIELDS:
        return Unrecognised((f"có {len(parts)} phần thay vì {FIELDS}", f"{len(parts)} parts instead of {FIELDS}"))
    number, old, name, dob_text, sex_text, residence, issued_text = (p.strip() for p in parts)
    if not _DIGITS12.match(number):
        return Unrecognised(("phần đầu không phải số định danh 12 chữ số",
                             "the first part is not a 12-digit personal number"))
    if old and not _DIGITS9.match(old):
        return Unrecognised(("số CMND cũ không phải 9 chữ số", "the old ID number is not 9 digits"))
    name = _clean(name)
    if not name or not _NAME.match(name):
        return Unrecognised(("họ tên có ký tự không phải chữ (máy quét cần đặt chế độ gõ Unicode)",
                             "the name has characters that are not letters (set the scanner to type Unicode)"))
    dob = _date(dob_text)
    issued = _date(issued_text)
    if dob is None or issued is None:
        return Unrecognised(("ngày sinh hoặc ngày cấp không phải ngày ddmmyyyy có thật",
                             "the date of birth or of issue is not a real ddmmyyyy date"))
    if dob > today or issued > today or issued < dob:
        return Unrecognised(("ngày sinh, ngày cấp không hợp lý (ở tương lai, hoặc cấp trước khi sinh)",
                             "the dates make no sense (in the future, or issued before birth)"))
    sex = _SEXES.get(_clean(sex_text).lower())
    if sex is None:
        return Unrecognised(("giới tính không phải Nam hoặc Nữ", "the sex is neither Nam nor Nữ"))
    residence = _clean(residence)
    if not residence:
        return Unrecognised(("không có nơi thường trú", "no residence"))
    checked = personal_number.check(number, dob=dob, sex=sex)
    return Card(number, old or None, name.upper(), dob, sex, residence, issued, checked.warnings)


def card_values(card: Card, prefix: str, field_names: frozenset[str] | set[str]) -> dict[str, str]:
    """The form values a card gives the person ``prefix`` (``requester_``, ``subject_``, …), for the
    fields the procedure has, typed as an officer would type them (dates ``dd/mm/yyyy``)."""
    given = {"name": card.name, "id_type": "cccd", "id_number": card.personal_number,
             "dob": card.dob.strftime("%d/%m/%Y"), "sex": card.sex, "residence": card.residence,
             "id_issued_on": card.issued_on.strftime("%d/%m/%Y")}
    return {prefix + part: value for part, value in given.items() if prefix + part in field_names}


def card_targets(sections: list[tuple[str, list[str]]]) -> list[dict[str, Any]]:
    """The people of a form a card can fill: for each section (its heading, its field names) every
    prefix with a ``<prefix>name`` field and at least one more part a card gives; in form order.
    Returns ``[{"prefix", "title", "fields": {part: field name}}]``."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for title, names in sections:
        present = set(names)
        for name in names:
            if not name.endswith("name") or name in seen:
                continue
            prefix = name[:-len("name")]
            if prefix in {t["prefix"] for t in out}:
                continue
            parts = {part: prefix + part for part in CARD_PARTS if prefix + part in present}
            if len(parts) >= 2 and "name" in parts:
                out.append({"prefix": prefix, "title": title, "fields": parts})
                seen.add(name)
    return out
