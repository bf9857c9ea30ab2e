"""SMS encoding for a GSM modem: UCS-2 text, the parts of a long message, SMS-SUBMIT PDUs.

Every message is sent in UCS-2 (data coding scheme 8): Vietnamese needs it for its diacritics
(GSM 03.38's 7-bit alphabet has none of "ă â đ ê ô ơ ư" nor the tone marks), and one alphabet for
every message keeps the count of parts predictable: 70 characters fit one SMS, a longer text is
cut into parts of 67 characters, each carrying a concatenation header (UDH ``05 00 03 ref total
seq``) so the phone shows one message.

A single SMS goes in text mode (``AT+CMGF=1``, ``AT+CSCS="UCS2"``, ``AT+CSMP=…,8``): every modem
does it the same way. A concatenated SMS needs the UDH, which text mode cannot carry reliably
(whether the modem accepts the header inside the hex text differs from one firmware to the next),
so each part goes as an SMS-SUBMIT PDU (``AT+CMGF=0``, 3GPP TS 23.040 §9.2.2.2), which every modem
accepts unchanged. ``decode_submit`` reads a PDU back (the fake modem and the tests use it).

A character outside the Basic Multilingual Plane (an emoji) is two UTF-16 units; parts are cut
between units only where that does not split a pair.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SINGLE_UNITS = 70          # UTF-16 units in one UCS-2 SMS (140 octets)
PART_UNITS = 67            # in each part of a concatenated one (140 - 6 octets of UDH)
MAX_PARTS = 8              # a longer text is refused: no office message needs more
DCS_UCS2 = 0x08
VP_24H = 0xA7              # relative validity: 24 hours (TS 23.040 §9.2.3.12.1)


def units(text: str) -> list[int]:
    """``text`` as UTF-16 code units (big-endian values)."""
    raw = text.encode("utf-16-be")
    return [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]


def ucs2_hex(text: str) -> str:
    """``"Hồ sơ"`` → ``"0048 1ED3 0020 0073 01A1"`` without spaces (the form AT+CSCS="UCS2" uses)."""
    return text.encode("utf-16-be").hex().upper()


def from_ucs2_hex(data: str) -> str:
    return bytes.fromhex(data).decode("utf-16-be")


def split_parts(text: str) -> list[str]:
    """The parts ``text`` is sent as: one when it fits 70 units, else parts of at most 67."""
    u = units(text)
    if len(u) <= SINGLE_UNITS:
        return [text]
    parts: list[str] = []
    start = 0
    while start < len(u):
        end = min(start + PART_UNITS, len(u))
        if end < len(u) and 0xD800 <= u[end - 1] <= 0xDBFF:   # do not split a surrogate pair
            end -= 1
        chunk = b"".join(x.to_bytes(2, "big") for x in u[start:end])
        parts.append(chunk.decode("utf-16-be"))
        start = end
    return parts


def count_parts(text: str) -> int:
    return len(split_parts(text))


def international(number: str) -> str:
    """A Vietnamese number in international form: ``0912 345 678`` → ``+84912345678``.

    Spaces, dots and dashes are dropped; ``84…`` and ``+84…`` are kept; anything that is not a
    phone number raises ValueError."""
    digits = re.sub(r"[\s.\-()]", "", number or "")
    if digits.startswith("+"):
        body = digits[1:]
    elif digits.startswith("84") and len(digits) == 11:
        body = digits
    elif digits.startswith("0"):
        body = "84" + digits[1:]
    else:
        body = digits
    if not body.isdigit() or not 8 <= len(body) <= 15:
        raise ValueError(f"not a phone number: {number!r}")
    return "+" + body


def _semi_octets(digits: str) -> str:
    if len(digits) % 2:
        digits += "F"
    return "".join(digits[i + 1] + digits[i] for i in range(0, len(digits), 2))


def _from_semi_octets(data: str, count: int) -> str:
    out = "".join(data[i + 1] + data[i] for i in range(0, len(data), 2))
    return out[:count]


@dataclass(frozen=True)
class Pdu:
    hex: str          # the whole PDU, SMSC part first ("00": the SIM's service centre)
    tpdu_length: int  # octets after the SMSC part: the number AT+CMGS=<n> takes in PDU mode


def submit_pdu(number: str, text: str, *, reference: int = 0, total: int = 1, seq: int = 1,
               status_report: bool = True) -> Pdu:
    """One SMS-SUBMIT in UCS-2. ``total > 1``: part ``seq`` of a concatenated message ``reference``
    (0–255, the same for every part)."""
    full = international(number)
    digits = full[1:]
    first = 0x01 | 0x10 | (0x20 if status_report else 0) | (0x40 if total > 1 else 0)   # SUBMIT, VP relative
    payload = text.encode("utf-16-be")
    udh = bytes([0x05, 0x00, 0x03, reference & 0xFF, total, seq]) if total > 1 else b""
    user_data = udh + payload
    if len(user_data) > 140:
        raise ValueError("one part holds at most 140 octets")
    tpdu = (f"{first:02X}00{len(digits):02X}91{_semi_octets(digits)}00{DCS_UCS2:02X}{VP_24H:02X}"
            f"{len(user_data):02X}{user_data.hex().upper()}")
    return Pdu("00" + tpdu, len(tpdu) // 2)


def submit_pdus(number: str, text: str, reference: int, *, status_report: bool = True) -> list[Pdu]:
    parts = split_parts(text)
    if len(parts) > MAX_PARTS:
        raise ValueError(f"a message of {len(parts)} parts is too long (at most {MAX_PARTS})")
    return [submit_pdu(number, part, reference=reference, total=len(parts), seq=i + 1,
                       status_report=status_report) for i, part in enumerate(parts)]


@dataclass(frozen=True)
class Submitted:
    """An SMS-SUBMIT read back: number, text of this part, and its concatenation header."""
    number: str
    text: str
    reference: int | None
    total: int
    seq: int
    status_report: bool


def decode_submit(pdu_hex: str) -> Submitted:
    """Read an SMS-SUBMIT PDU (with its SMSC part), as a modem would (UCS-2 and 8-bit; not 7-bit)."""
    data = pdu_hex.strip().upper()
    pos = 0

    def take(n: int) -> str:
        nonlocal pos
        if pos + n * 2 > len(data):
            raise ValueError("PDU too short")
        out = data[pos:pos + n * 2]
        pos += n * 2
        return out

    smsc_len = int(take(1), 16)
    take(smsc_len)
    first = int(take(1), 16)
    if first & 0x03 != 0x01:
        raise ValueError("not an SMS-SUBMIT")
    take(1)                                   # message reference (the modem assigns it)
    da_len = int(take(1), 16)
    toa = int(take(1), 16)
    number = _from_semi_octets(take((da_len + 1) // 2), da_len)
    if toa & 0x70 == 0x10:
        number = "+" + number
    take(1)                                   # PID
    dcs = int(take(1), 16)
    vpf = (first >> 3) & 0x03
    if vpf == 0x02:
        take(1)
    elif vpf in (0x01, 0x03):
        take(7)
    udl = int(take(1), 16)
    if dcs & 0x0C == 0x00:
        raise ValueError("7-bit user data is not used by motcua")
    ud = bytes.fromhex(take(udl))
    reference, total, seq = None, 1, 1
    if first & 0x40:
        hl = ud[0]
        header = ud[1:1 + hl]
        i = 0
        while i < len(header):
            iei, ln = header[i], header[i + 1]
            if iei == 0x00 and ln == 3:
                reference, total, seq = header[i + 2], header[i + 3], header[i + 4]
            i += 2 + ln
        ud = ud[1 + hl:]
    text = ud.decode("utf-16-be") if dcs & 0x0C == 0x08 else ud.decode("latin-1")
    return Submitted(number, text, reference, total, seq, bool(first & 0x20))


def delivery_state(status: int) -> str:
    """TP-Status of a status report (TS 23.040 §9.2.3.15): ``delivered``, ``pending`` (the network
    still tries) or ``failed``."""
    if status < 0x20:
        return "delivered"
    if status < 0x40:
        return "pending"
    return "failed"
