"""Appointment rules the hub applies (docs/appointments.md). Pure.

A Vietnamese mobile number and how it is shown masked are the appliance's own rules
(``appliance/domain/messages.py``, pure domain the hub may import, docs/hub.md): a booking's phone
travels to the office and must read the same there. The hub's half of the 6-digit codes (first
digit 5–9; the office's are 1–4) is checked against ``appliance/domain/appointments.py`` by
``tests/district/test_appointments.py``.
"""
from __future__ import annotations

from collections.abc import Callable

from appliance.domain.messages import clean_phone, mask_phone

__all__ = ["HUB_FIRST_DIGITS", "clean_phone", "hub_code", "mask_phone"]

HUB_FIRST_DIGITS = "56789"


def hub_code(draw: Callable[[int, int], int]) -> str:
    """A fresh code of the hub's range; ``draw(a, b)`` is ``random.randint``."""
    return HUB_FIRST_DIGITS[draw(0, len(HUB_FIRST_DIGITS) - 1)] + "".join(str(draw(0, 9)) for _ in range(5))
