"""Per-button lockout: a chattering contact never issues two tickets or calls two numbers.

gpiozero's MockPin ignores ``bounce_time`` and cheap arcade buttons bounce for tens of
milliseconds, so the product keeps its own rule: after an accepted press, the same button is
ignored for ``seconds``. The clock is injected so tests can move time by hand.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Lockout:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()

    def allow(self) -> bool:
        """True (and start a new lockout) if the previous accepted press is old enough."""
        with self._lock:
            now = self.clock()
            if self._last is not None and now - self._last < self.seconds:
                return False
            self._last = now
            return True

    def __repr__(self) -> str:
        return f"<Lockout {self.seconds:.1f} s>"
