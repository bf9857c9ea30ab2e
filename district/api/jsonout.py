"""Plain-JSON conversion: aware datetimes as ISO 8601 in the office's time zone, dates as YYYY-MM-DD."""
from __future__ import annotations

from datetime import date, datetime, tzinfo


def plain(value, tz: tzinfo):
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v, tz) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, tz) for v in value]
    return value
