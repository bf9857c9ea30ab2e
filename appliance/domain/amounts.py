"""An amount of money in đồng as an officer types it (pure): ``25000``, ``25.000``, ``25,000`` or
``25 000``; the postage on a postal handover line and the fee of a return by post read it the same way.

Only ASCII digits count: ``str.isdigit`` also says yes to superscripts (``²``), which ``int`` cannot
read, and to other scripts' digits, which no form of the office asks for.
"""
from __future__ import annotations

from typing import Any

MAX_DONG = 10_000_000


class BadAmount(ValueError):
    """Not a whole amount in đồng; ``too_large`` when it is one, above :data:`MAX_DONG`."""

    def __init__(self, too_large: bool = False):
        super().__init__("too large an amount" if too_large else "not an amount in đồng")
        self.too_large = too_large


def ascii_digits(text: str) -> bool:
    """``text`` is one or more of 0–9 (what ``int`` reads, nothing more)."""
    return text.isascii() and text.isdigit()


def parse_dong(value: Any) -> int | None:
    """The amount, ``None`` when nothing was typed; :class:`BadAmount` otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise BadAmount()
    text = str(value).replace(".", "").replace(",", "").replace(" ", "")
    if not ascii_digits(text):
        raise BadAmount()
    if len(text) > len(str(MAX_DONG)) or int(text) > MAX_DONG:
        raise BadAmount(too_large=True)
    return int(text)
