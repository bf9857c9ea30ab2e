"""Exponential back-off with full jitter, and Retry-After."""
from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def full_jitter(attempt: int, base_s: float = 1.0, cap_s: float = 300.0,
                rng: random.Random | None = None) -> float:
    """A random wait in [0, min(cap, base·2^attempt)] (AWS's 'full jitter')."""
    uniform = rng.uniform if rng is not None else random.uniform
    return uniform(0, min(cap_s, base_s * (2 ** max(0, attempt))))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
