"""ISO 8601 parsing with a mandatory offset, as the event contract requires."""
from __future__ import annotations

from datetime import date, datetime


def parse_aware(value: object) -> datetime | None:
    """An aware datetime, or ``None`` when ``value`` is not an ISO 8601 string with an offset."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None and parsed.utcoffset() is not None else None


def parse_day(value: object) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
