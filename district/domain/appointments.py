"""Appointment rules the hub applies (docs/appointments.md). Pure.

The hub keeps to the same rules as the appliance (``appliance/domain/appointments.py`` and
``appliance/domain/messages.py``; the hub imports nothing of the appliance but the error root), and
``tests/district/test_appointments.py`` checks the two agree: a Vietnamese mobile number, how it
is shown masked, and the hub's half of the 6-digit codes (first digit 5–9; the office's are 1–4).
"""
from __future__ import annotations

import re
from collections.abc import Callable

PHONE = re.compile(r"^(\+84|84|0)(3|5|7|8|9)\d{8}$")
HUB_FIRST_DIGITS = "56789"


def clean_phone(value: str | None) -> str | None:
    """A Vietnamese mobile number as ``0xxxxxxxxx``, or None."""
    if not value:
        return None
    digits = re.sub(r"[\s.\-()]", "", value)
    return "0" + digits[-9:] if PHONE.match(digits) else None


def mask_phone(value: str | None) -> str:
    """``0912345678`` → ``091****678``."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def hub_code(draw: Callable[[int, int], int]) -> str:
    """A fresh code of the hub's range; ``draw(a, b)`` is ``random.randint``."""
    return HUB_FIRST_DIGITS[draw(0, len(HUB_FIRST_DIGITS) - 1)] + "".join(str(draw(0, 9)) for _ in range(5))
