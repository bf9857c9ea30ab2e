"""Chứng thực as the law keeps it: books, numbers, the lời chứng and one entry per document. Pure.

Every certified copy or signature gets "Số chứng thực N, Quyển số QQ/YYYY-SCT/BS" (or ``/CK``), a
lời chứng, and a line in its Sổ chứng thực (NĐ 23/2015 as amended; TT 01/2020/TT-BTP) [mem: the
``QQ/YYYY`` part of the quyển số is the usual practice, kept in :data:`VOLUME_FORMAT`].

* one book per kind (:data:`BOOKS`): ``BS`` bản sao từ bản chính (2.000815), ``CK`` chữ ký / điểm
  chỉ (2.000884); a book's numbers run per calendar year from 1, across its volumes (quyển);
* the number is allocated by the store inside the transaction that records the entry, so a crash
  can neither skip nor reuse one (:mod:`appliance.services.certification`);
* :func:`check_entry` turns typed input into a clean :class:`EntryInput` or raises a
  :class:`CertificationError` naming the field; :func:`attestation` is the lời chứng's text.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .datewords import date_in_words
from .errors import DomainError, NotFound


@dataclass(frozen=True)
class Book:
    code: str                # BS | CK
    title: str               # the book's title as printed
    procedure: str           # the catalog procedure whose fee applies
    what: str                # short name of the act, for lists


BOOKS: dict[str, Book] = {
    "BS": Book("BS", "SỔ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH", "2.000815", "Chứng thực bản sao từ bản chính"),
    "CK": Book("CK", "SỔ CHỨNG THỰC CHỮ KÝ/CHỨNG THỰC ĐIỂM CHỈ", "2.000884", "Chứng thực chữ ký, điểm chỉ"),
}
VOLUME_FORMAT = "{volume:02d}/{year}"
"""The quyển số before ``-SCT/<book>``: volume in the year, then the year."""
SIGNING = {"ky": "ký", "diem_chi": "điểm chỉ"}
MAX_TEXT = 300


MESSAGES: dict[str, tuple[str, str]] = {
    "cert_bad_book": ("Loại sổ chứng thực không hợp lệ: chọn BS (bản sao) hoặc CK (chữ ký, điểm chỉ).",
                 "Unknown certification book: choose BS (copies) or CK (signatures)."),
    "cert_required": ("Bắt buộc nhập '{label}'.", "'{label_en}' is required."),
    "cert_too_long": ("'{label}' dài quá {max} ký tự.", "'{label_en}' is longer than {max} characters."),
    "cert_bad_number": ("'{label}' phải là số nguyên từ {min} đến {max}.",
                   "'{label_en}' must be a whole number from {min} to {max}."),
    "cert_bad_signing": ("Cách xác nhận phải là 'ky' (ký) hoặc 'diem_chi' (điểm chỉ).",
                    "Signing must be 'ky' (signature) or 'diem_chi' (fingerprint)."),
    "cert_not_found": ("Không có mục sổ chứng thực số {entry}.", "No certification entry {entry}."),
    "cert_bad_day": ("Ngày '{name}' không hợp lệ; dạng YYYY-MM-DD.", "Invalid day '{name}'; use YYYY-MM-DD."),
    "cert_bad_range": ("Ngày 'đến' phải sau hoặc bằng ngày 'từ'.", "'to' must not be before 'from'."),
}


class CertificationError(DomainError):
    """A certification request the rules refuse (bad input); ``field`` names the input at fault."""

    def message(self, lang: str = "vi") -> str:
        vi, en = MESSAGES.get(self.code, ("Lỗi: {code}", "Error: {code}"))
        try:
            return (en if lang == "en" else vi).format(code=self.code, **self.params)
        except (KeyError, IndexError):
            return en if lang == "en" else vi


class CertificationNotFound(CertificationError, NotFound):
    """No such entry in the books."""


LABELS = {
    "requester_name": ("Họ tên người yêu cầu", "Requester's name"),
    "requester_id": ("Số giấy tờ tùy thân", "Identity paper number"),
    "document_name": ("Tên giấy tờ, văn bản", "Document name"),
    "pages": ("Số trang", "Pages"),
    "copies": ("Số bản", "Copies"),
    "signer_name": ("Người ký hoặc điểm chỉ", "Signer"),
    "certifier": ("Người thực hiện chứng thực", "Certifying officer"),
    "certifier_title": ("Chức danh người chứng thực", "Certifying officer's title"),
    "note": ("Ghi chú", "Remarks"),
    "dossier_code": ("Mã hồ sơ", "Dossier code"),
}


@dataclass(frozen=True)
class EntryInput:
    """One document to certify, clean. ``pages`` only for copies; ``signing`` only for signatures."""
    book: str
    requester_name: str
    document_name: str
    copies: int = 1
    pages: int | None = None
    requester_id: str = ""
    signer_name: str = ""
    signing: str = ""
    certifier: str = ""
    certifier_title: str = ""
    note: str = ""
    dossier_code: str = ""

    def fee_values(self) -> dict[str, Any]:
        """The declaration values the catalog's fee rule reads (``pages``, ``copies``)."""
        return {"pages": self.pages, "copies": self.copies}


def _labels(name: str) -> dict[str, str]:
    label, label_en = LABELS.get(name, ("", ""))
    return {"label": label, "label_en": label_en}


def _text(data: Mapping[str, Any], name: str, required: bool = False, upper: bool = False) -> str:
    raw = data.get(name)
    value = "" if raw is None else " ".join(unicodedata.normalize("NFC", str(raw)).split())
    if required and not value:
        raise CertificationError("cert_required", name, **_labels(name))
    if len(value) > MAX_TEXT:
        raise CertificationError("cert_too_long", name, max=MAX_TEXT, **_labels(name))
    return value.upper() if upper else value


def _int(data: Mapping[str, Any], name: str, low: int, high: int, default: int | None) -> int | None:
    raw = data.get(name)
    if raw is None or raw == "":
        if default is None:
            raise CertificationError("cert_required", name, **_labels(name))
        return default
    try:
        value = int(str(raw).strip()) if not isinstance(raw, bool) else None
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise CertificationError("cert_bad_number", name, min=low, max=high, **_labels(name))
    return value


def check_book(book: Any) -> str:
    code = str(book or "").strip().upper()
    if code not in BOOKS:
        raise CertificationError("cert_bad_book", "book")
    return code


def check_entry(data: Mapping[str, Any]) -> EntryInput:
    """Typed input (a JSON body or a form) → a clean :class:`EntryInput`; the first fault raises."""
    book = check_book(data.get("book"))
    requester = _text(data, "requester_name", required=True, upper=True)
    document = _text(data, "document_name", required=True)
    copies = _int(data, "copies", 1, 200, 1)
    pages = _int(data, "pages", 1, 2000, None) if book == "BS" else None
    signing, signer = "", ""
    if book == "CK":
        signing = str(data.get("signing") or "ky").strip()
        if signing not in SIGNING:
            raise CertificationError("cert_bad_signing", "signing")
        signer = _text(data, "signer_name", upper=True) or requester
    return EntryInput(book, requester, document, copies or 1, pages, _text(data, "requester_id"), signer, signing,
                      _text(data, "certifier"), _text(data, "certifier_title"), _text(data, "note"),
                      _text(data, "dossier_code"))


def volume_label(book: str, year: int, volume: int) -> str:
    """``01/2026-SCT/BS``: the quyển số as written after "Quyển số"."""
    return VOLUME_FORMAT.format(volume=volume, year=year) + f"-SCT/{book}"


def number_line(book: str, year: int, number: int, volume: int) -> str:
    """``Số chứng thực: 12. Quyển số: 01/2026-SCT/BS.``"""
    return f"Số chứng thực: {number}. Quyển số: {volume_label(book, year, volume)}."


def attestation(book: str, *, number: int | None, year: int, volume: int, on: date, commune: str,
                signer: str = "", signer_id: str = "", signing: str = "ky", document: str = "",
                certifier: str = "", certifier_title: str = "") -> list[str]:
    """The lời chứng, line by line, ready to print or to stamp: blanks (dots) where the officer
    writes by hand (the certifier's name and title when not given; the number before it is given)."""
    dots = "………………"
    number_text = str(number) if number is not None else dots
    volume_text = volume_label(book, year, volume)
    day = f"Ngày {on.day:02d} tháng {on.month:02d} năm {on.year}"
    if book == "BS":
        return [
            "Chứng thực bản sao đúng với bản chính.",
            f"Số chứng thực: {number_text}. Quyển số: {volume_text}.",
            f"{day}.",
            "NGƯỜI THỰC HIỆN CHỨNG THỰC",
            "(Ký, ghi rõ họ tên và đóng dấu)",
            certifier or "",
        ]
    act = SIGNING.get(signing, "ký")
    return [
        f"{day} (bằng chữ: {date_in_words(on).lower()}).",
        f"Tại {commune}.",
        f"Tôi, {certifier or dots}, {certifier_title or dots}.",
        "Chứng thực:",
        f"Ông/bà {signer or dots}, giấy tờ tùy thân số {signer_id or dots}, đã {act} vào "
        f"{document or 'giấy tờ, văn bản này'} trước mặt tôi.",
        f"Số chứng thực: {number_text}. Quyển số: {volume_text}.",
        "NGƯỜI THỰC HIỆN CHỨNG THỰC",
        "(Ký, đóng dấu và ghi rõ họ tên)",
    ]


def book_of_procedure(code: str | None) -> str | None:
    """The book a catalog procedure's lines go in (2.000815 → BS, 2.000884 → CK), else None."""
    return next((b.code for b in BOOKS.values() if b.procedure == code), None)


def entry_from_dossier(dossier: Mapping[str, Any]) -> dict[str, Any]:
    """The chứng thực form prefilled from a dossier of a chứng thực procedure (its request slip's
    values); the officer checks it and records one line per document."""
    values = dossier.get("values") or {}
    out = {"book": book_of_procedure(dossier.get("procedure")) or "BS", "dossier_code": dossier.get("code") or "",
           "requester_name": values.get("requester_name") or (dossier.get("applicant") or {}).get("name") or "",
           "requester_id": values.get("requester_id_number") or "", "document_name": values.get("document_name") or "",
           "copies": str(values.get("copies") or 1)}
    if values.get("pages"):
        out["pages"] = str(values["pages"])
    if values.get("signing_method") in SIGNING:
        out["signing"] = values["signing_method"]
    return out
