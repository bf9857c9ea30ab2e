"""An amount of money in đồng as an officer types it (pure): ``25000``, ``25.000``, ``25,000`` or
``25 000``; the postage on a postal handover line and the fee of a return by post read it the same way.

Only ASCII digits count: ``str.isdigit`` also says yes to superscripts (``²``), which ``int`` cannot
read, and to other scripts' digits, which no form of the office asks for.
"""
from __future__ import annotations

from typing import Any

MAX_DONG = 10_000_000


def ascii_digits(text: str) -> bool:
    """``text`` is one or more of 0–9 (what ``int`` reads, nothing more)."""
    return text.isascii() and text.isdigit()


def parse_dong(value: Any) -> tuple[int | None, str | None]:
    """``(amount, None)``, ``(None, None)`` when nothing was typed, or ``(None, why)`` with ``why``
    ``"not_amount"`` or ``"too_large"`` (above :data:`MAX_DONG`)."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None, "not_amount"
    text = str(value).replace(".", "").replace(",", "").replace(" ", "")
    if not ascii_digits(text):
        return None, "not_amount"
    if len(text) > len(str(MAX_DONG)) or int(text) > MAX_DONG:
        return None, "too_large"
    return int(text), None
