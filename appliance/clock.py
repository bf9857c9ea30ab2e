"""What the Pi knows about its own clock: whether it is synchronised, and this boot's id.

The Pi has no RTC; until NTP answers, its clock may be days off. Every outbox row records
``clock_synced`` so the hub can correct skew; order is by local sequence, never by wall time.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import time
import uuid
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
