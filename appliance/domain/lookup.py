"""Looking a dossier up without its code (issue 17): by the phone number given at receipt plus the
last 4 digits of the personal number, or by the QR code printed on the ticket and on Mẫu 01.

Pure: the caller passes the rows and the secret. The answer holds the state and the due time only
(never a name, a number, an address or the procedure, which can itself say too much: "khai tử").

A QR link carries its own proof, ``k``: the first 16 hex digits of HMAC-SHA256(secret, "dossier:CODE"
or "ticket:ID"), so that one printed link opens one dossier and links cannot be made up from a
guessed code or a ticket number.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from .fields import Message
from .messages import clean_phone
from .throttle import Backoff

#: misses (no dossier found) before a wait: per phone from one address, per phone, per address
PAIR = Backoff(free=3, base_s=30, cap_s=600)
PHONE = Backoff(free=6, base_s=60, cap_s=900)
ADDRESS = Backoff(free=10, base_s=30, cap_s=900)
MAX_ANSWERS = 5
LAST4 = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Query:
    phone: str
    last4: str


def parse(phone: str | None, last4: str | None) -> tuple[Query | None, dict[str, Message]]:
    errors: dict[str, Message] = {}
    number = clean_phone((phone or "").strip()[:20])
    if number is None:
        errors["phone"] = Message("Nhập số điện thoại di động đã khai khi nộp hồ sơ, ví dụ 0912 345 678.",
                                  "Enter the mobile number given when the dossier was filed, e.g. 0912 345 678.",
                                  "phone")
    digits = re.sub(r"\s", "", last4 or "")[:8]
    if not LAST4.match(digits):
        errors["last4"] = Message("Nhập đúng 4 chữ số cuối của số định danh cá nhân (số CCCD).",
                                  "Enter the last 4 digits of the personal number (citizen ID card).", "last4")
    if errors or number is None:
        return None, errors
    return Query(number, digits), {}


def matches(query: Query, phone: str | None, id_number: str | None) -> bool:
    """The row's phone is the query's and its personal number ends with the 4 digits."""
    return clean_phone(phone) == query.phone and bool(id_number) and str(id_number).strip().endswith(query.last4)


# --- the keys the hub's public page looks up (synced with dossier.received) -------------------------
#: a slow hash with a fixed salt, the same on every appliance and on the hub: the key is computed from
#: the citizen's query, so no raw phone or personal number has to be sent for the lookup; its cost
#: makes trying every phone and ending for a stolen key list take years, not hours (the hub keys it
#: again with a secret of its own before storing it, docs/hub.md)
KEY_SALT = b"motcua-lookup-v1"
KEY_COST = {"n": 2 ** 14, "r": 8, "p": 1}


def phone_key(query: Query) -> str:
    """The lookup key of a phone and the last 4 digits of a personal number (64 hex digits)."""
    return hashlib.scrypt(f"{query.phone}|{query.last4}".encode(), salt=KEY_SALT, dklen=32,
                          maxmem=64 * 1024 * 1024, **KEY_COST).hex()


def query_of(phone: str | None, id_number: str | None) -> Query | None:
    """The query that finds a dossier with this applicant's phone and personal number, or ``None``
    (no mobile number, or no personal number of at least 4 digits)."""
    number = clean_phone(phone)
    digits = re.sub(r"\D", "", id_number or "")
    if number is None or len(digits) < 4:
        return None
    return Query(number, digits[-4:])


def link_hash(kind: str, value: str, given_proof: str) -> str:
    """What the hub keeps of a QR link (``dossier``/``ticket``, its value and its ``k``): a hash, so
    that the hub's database cannot be turned back into working links."""
    return hashlib.sha256(f"{kind}:{value}:{given_proof.strip().lower()}".encode()).hexdigest()


def proof(secret: bytes, kind: str, value: str) -> str:
    """The ``k`` of a QR link for ``kind`` (``dossier`` or ``ticket``) and its value."""
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:16]


def proof_ok(secret: bytes, kind: str, value: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(proof(secret, kind, value), str(given).strip().lower()[:32])


TICKET_STATES: dict[str, tuple[str, str]] = {
    "waiting": ("Đang chờ gọi", "Waiting to be called"),
    "called": ("Đang được gọi", "Being called"),
    "serving": ("Đang được phục vụ tại quầy", "Being served at the counter"),
    "done": ("Đã phục vụ xong", "Served"),
    "no_show": ("Vắng mặt khi được gọi: xin lấy số mới", "Absent when called: please take a new ticket"),
}
