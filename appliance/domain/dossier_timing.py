"""Time left on a dossier, in working time, as the list shows it. Pure: the clock is passed in.

``overdue``: the due time has passed; ``soon``: less than a fifth of the working time allowed
(at least 30 minutes, at most one working day) is left; ``ok``; ``none``: no time limit or the
dossier is closed or waiting for the citizen (the clock is stopped).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

SOON_MIN_S = 30 * 60
DAY_CAP_S = 8 * 3600                # never more than a working day ahead


@dataclass(frozen=True)
class TimeLeft:
    seconds: float | None          # working seconds left; negative when overdue
    status: str                    # overdue | soon | ok | none
    threshold_s: float = SOON_MIN_S

    def text(self, hours_per_day: float, lang: str = "vi") -> str:
        if self.seconds is None:
            return "—"
        return describe(self.seconds, hours_per_day, lang)


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def classify(left_s: float | None, allowed_s: float | None, overdue: bool = False) -> TimeLeft:
    """Status of a dossier from its working seconds left and the working time it was allowed.

    ``left_s`` None: no running time limit (no limit, closed, waiting for the citizen)."""
    if left_s is None:
        return TimeLeft(None, "none")
    if overdue or left_s <= 0:
        return TimeLeft(min(left_s, -1.0) if left_s <= 0 else -1.0, "overdue")
    threshold = max((allowed_s or 0) / 5, SOON_MIN_S)
    threshold = min(threshold, max(DAY_CAP_S, SOON_MIN_S))
    return TimeLeft(left_s, "soon" if left_s <= threshold else "ok", threshold)


# day, hour, minute, "under a minute", overdue, left
_WORDS: dict[str, tuple[str, str, str, str, str, str]] = {
    "vi": ("ngày", "giờ", "phút", "dưới 1 phút", "quá hạn {}", "còn {}"),
    "en": ("d", "h", "min", "under 1 min", "{} overdue", "{} left"),
}


def describe(seconds: float, hours_per_day: float, lang: str = "vi") -> str:
    """``5400`` → ``còn 1 giờ 30 phút``; ``-90000`` with 7.5 h days → ``quá hạn 3 ngày 2 giờ``.

    Days are working days (``hours_per_day`` working hours each)."""
    late = seconds < 0
    minutes = int(abs(seconds) // 60)
    day_min = max(int(hours_per_day * 60), 1)
    days, rest = divmod(minutes, day_min)
    hours, mins = divmod(rest, 60)
    day, hour, minute, under, overdue, left = _WORDS["en" if lang == "en" else "vi"]
    parts = [f"{days} {day}"] if days else []
    if hours:
        parts.append(f"{hours} {hour}")
    if mins and not days:
        parts.append(f"{mins} {minute}")
    body = " ".join(parts) or under
    return (overdue if late else left).format(body)
