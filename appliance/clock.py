"""What the Pi knows about its own clock: whether it is synchronised, and this boot's id.

The Pi has no RTC; until NTP answers, its clock may be days off. Every outbox row records
``clock_synced`` so the hub can correct skew; order is by local sequence, never by wall time.

For training, :class:`RehearsalClock` runs the appliance on a shifted, faster clock (``[training]``
in the configuration, ``motcua demo --clock … --speed …``; docs/training.md).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import time
import uuid
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

_STA_UNSYNC = 0x0040
_TIME_ERROR = 5


class _Timex(ctypes.Structure):
    # struct timex from <sys/timex.h>: we only need the status/return value; pad generously.
    _fields_ = [("modes", ctypes.c_uint), ("_pad", ctypes.c_byte * 256)]


@functools.lru_cache(maxsize=1)
def _libc():
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


_cache: tuple[float, bool] = (0.0, False)


def clock_synced(max_age_s: float = 30.0) -> bool:
    """True when the kernel says NTP has disciplined the clock (adjtimex != TIME_ERROR).

    ``MOTCUA_CLOCK_SYNCED=1|0`` overrides (tests, and hosts without adjtimex).
    """
    global _cache
    forced = os.environ.get("MOTCUA_CLOCK_SYNCED")
    if forced in ("0", "1"):
        return forced == "1"
    now = time.monotonic()
    if now - _cache[0] < max_age_s:
        return _cache[1]
    synced = False
    libc = _libc()
    if libc is not None and hasattr(libc, "adjtimex"):
        buf = _Timex()
        state = libc.adjtimex(ctypes.byref(buf))
        synced = state not in (-1, _TIME_ERROR)
    if Path("/run/systemd/timesync/synchronized").exists():
        synced = True
    _cache = (now, synced)
    return synced


@functools.lru_cache(maxsize=1)
def boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return str(uuid.uuid4())


# --- the rehearsal clock (training) ------------------------------------------------------------

TRAINING_KEY = "training.clock"       # kv: the running rehearsal's anchor, so a restart continues it
CONTINUE_WITHIN_S = 12 * 3600         # rehearsal seconds: a restart within one rehearsal day continues it


class RehearsalClock:
    """A shifted, faster clock for training (``motcua demo --clock "2026-12-08 07:30" --speed 20``):
    the appliance's time is ``start + (wall - origin) * speed``. Every rule reads the appliance's
    clock (working hours, the 15:00 cut-off, lunch, holidays), so they apply as on that day. Wall
    time (not monotonic) so that the clock can continue across a restart (``origin`` kept)."""

    def __init__(self, start: float, speed: float, origin: float | None = None,
                 wall: Callable[[], float] = time.time):
        if not speed > 0:
            raise ValueError("speed must be positive")
        self.start = start
        self.speed = speed
        self._wall = wall
        self.origin = wall() if origin is None else origin

    def __call__(self) -> float:
        return self.start + (self._wall() - self.origin) * self.speed

    def __repr__(self) -> str:
        return f"<RehearsalClock start={self.start} speed={self.speed}>"


def parse_training_clock(text: str, tz: tzinfo) -> float:
    """``2026-12-08 07:30`` (or ``08/12/2026 07:30``, or ISO ``2026-12-08T07:30``) in the office's
    time zone → epoch seconds; ValueError with a Vietnamese message otherwise."""
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return moment.replace(tzinfo=tz).timestamp()
    raise ValueError(f"giờ tập huấn '{text}' không đúng dạng 'YYYY-MM-DD HH:MM', ví dụ '2026-12-08 07:30'")


def rehearsal_anchor(kept: dict | None, setting: str, speed: float, start: float, now: float) -> float:
    """The origin of the rehearsal clock: the kept one when it is the same rehearsal (same start and
    speed, less than a rehearsal day since it began: a restart after a crash continues the morning),
    else ``now`` (a new rehearsal begins at ``start``)."""
    if kept and kept.get("clock") == setting and kept.get("speed") == speed:
        origin = float(kept.get("origin", now))
        if 0 <= (now - origin) * speed <= CONTINUE_WITHIN_S:
            return origin
    return now
