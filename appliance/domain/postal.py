"""Postal return (issue 17), pure: the tracking number's shape and the handover list's request.

The citizen chooses at receipt to get the result by the public postal service (``return_by_post``,
with an address; Mẫu 01 item 6 says so). When results are ready, the officer hands them to the
postal worker with a **handover list** (danh sách bàn giao): one line per dossier with the item's
tracking number (số hiệu bưu gửi, the label the postal worker sticks on the envelope) and the
postage, signed by both. Each dossier on it is returned by post at that moment (counted as returned
by post in the reports, an SMS with the tracking number queued).

Vietnam Post labels registered items with UPU S10 numbers (``EB123456785VN``: two letters, eight
digits, a check digit, the country). A number of that shape whose check digit is wrong was mistyped
or misread, and is refused; other couriers' numbers (digits and letters, 6–40) are taken as given.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .amounts import parse_dong
from .fields import Message

TRACKING = re.compile(r"^[0-9A-Za-z\-]{6,40}$")
S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
MAX_ITEMS = 200
NUMBER_SUFFIX = "BG-BCCI"        # bàn giao cho bưu chính công ích


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an eight-digit serial."""
    total = sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def clean_tracking(value: str) -> str:
    return re.sub(r"\s", "", value).upper()


def tracking_problem(value: str, field: str = "tracking_number") -> Message | None:
    """Why ``value`` (already cleaned) is not a tracking number, or ``None``."""
    if not TRACKING.match(value):
        return Message("Số hiệu bưu gửi gồm 6–40 chữ và số, ví dụ EB123456785VN.",
                       "A tracking number has 6–40 letters and digits, e.g. EB123456785VN.", field)
    match = S10.match(value)
    if match and s10_check_digit(match.group(2)) != int(match.group(3)):
        return Message(f"Số hiệu bưu gửi {value} sai chữ số kiểm tra (số thứ 11): có thể gõ hoặc quét nhầm; "
                       "kiểm tra lại nhãn bưu gửi.",
                       f"The tracking number {value} has a wrong check digit (the 11th character): mistyped "
                       "or misread; check the label.", field)
    return None


def handover_number(year: int, seq: int) -> str:
    """The list's number as printed: ``03/2026/BG-BCCI``."""
    return f"{seq:02d}/{year}/{NUMBER_SUFFIX}"


@dataclass(frozen=True)
class Item:
    code: str
    tracking_number: str
    fee: int | None


@dataclass(frozen=True)
class Handover:
    postal_unit: str
    postal_worker: str
    note: str | None
    items: tuple[Item, ...]


def _text(data: Mapping[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    return " ".join(str(value).split())[:limit + 1]


def _fee(value: Any) -> tuple[int | None, bool]:
    amount, why = parse_dong(value)
    return amount, why is None


def check_handover(data: Mapping[str, Any]) -> tuple[Handover | None, dict[str, Message]]:
    """``{"postal_unit", "postal_worker", "note"?, "items": [{"code", "tracking_number", "fee"?}]}``:
    the clean request, or a message per field (``items.<i>.tracking_number`` for a line)."""
    errors: dict[str, Message] = {}
    unit = _text(data, "postal_unit", 150)
    worker = _text(data, "postal_worker", 100)
    note = _text(data, "note", 300) or None
    if not unit:
        errors["postal_unit"] = Message("Ghi đơn vị bưu chính nhận, ví dụ Bưu điện văn hóa xã Dương Xá.",
                                        "Enter the postal unit, e.g. Dương Xá commune post office.", "postal_unit")
    elif len(unit) > 150:
        errors["postal_unit"] = Message("Tên đơn vị bưu chính dài quá 150 ký tự.",
                                        "The postal unit's name is longer than 150 characters.", "postal_unit")
    if not worker:
        errors["postal_worker"] = Message("Ghi họ tên nhân viên bưu chính nhận kết quả.",
                                          "Enter the name of the postal worker who takes the results.",
                                          "postal_worker")
    elif len(worker) > 100:
        errors["postal_worker"] = Message("Họ tên dài quá 100 ký tự.", "The name is longer than 100 characters.",
                                          "postal_worker")
    if note and len(note) > 300:
        errors["note"] = Message("Ghi chú dài quá 300 ký tự.", "The note is longer than 300 characters.", "note")
    raw = data.get("items")
    items: list[Item] = []
    seen: dict[str, int] = {}
    if not isinstance(raw, list) or not raw:
        errors["items"] = Message("Chọn ít nhất một hồ sơ và ghi số hiệu bưu gửi của nó.",
                                  "Choose at least one dossier and enter its tracking number.", "items")
    elif len(raw) > MAX_ITEMS:
        errors["items"] = Message(f"Mỗi danh sách tối đa {MAX_ITEMS} hồ sơ.",
                                  f"At most {MAX_ITEMS} dossiers on one list.", "items")
    else:
        codes: set[str] = set()
        for i, entry in enumerate(raw):
            if not isinstance(entry, Mapping):
                errors[f"items.{i}"] = Message("Dòng không đúng dạng.", "Malformed line.", f"items.{i}")
                continue
            code = _text(entry, "code", 64)
            field = f"items.{i}.tracking_number"
            tracking = clean_tracking(_text(entry, "tracking_number", 40))
            if not code or code in codes:
                errors[f"items.{i}.code"] = Message("Thiếu mã hồ sơ, hoặc hồ sơ ghi hai lần.",
                                                    "A missing or repeated dossier code.", f"items.{i}.code")
                continue
            codes.add(code)
            if not tracking:
                errors[field] = Message(f"Hồ sơ {code}: cần số hiệu bưu gửi.",
                                        f"Dossier {code}: the tracking number is needed.", field)
            elif (problem := tracking_problem(tracking, field)) is not None:
                errors[field] = problem
            elif tracking in seen:
                errors[field] = Message(f"Số hiệu bưu gửi {tracking} đã ghi cho hồ sơ khác trong danh sách.",
                                        f"The tracking number {tracking} is on another line of the list.", field)
            seen[tracking] = i
            fee, ok = _fee(entry.get("fee"))
            if not ok:
                errors[f"items.{i}.fee"] = Message("Cước là số nguyên (đồng), ví dụ 25000.",
                                                   "Postage is a whole amount in đồng, e.g. 25000.", f"items.{i}.fee")
            items.append(Item(code, tracking, fee))
    if errors:
        return None, errors
    return Handover(unit, worker, note, tuple(items)), {}
