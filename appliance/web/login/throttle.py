"""Failed logins in a sliding window, per login name and per client address (kept in the app)."""
from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable

from flask import current_app

from ...domain.throttle import LoginThrottle as BackoffThrottle

THROTTLE_KEY = "motcua.login_throttle"


class LoginThrottle:
    """Failed logins in a sliding window, per login name and per client address (in memory).

    After ``per_login`` failures for one name, or ``per_address`` from one address, within
    ``window_s`` seconds, further attempts are refused until the oldest failure leaves the window.
    A success clears the name's count (not the address's, so one good account cannot be used to
    keep guessing others).
    """

    def __init__(self, per_login: int = 5, per_address: int = 20, window_s: float = 900.0,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 10000):
        self.per_login = per_login
        self.per_address = per_address
        self.window_s = window_s
        self.clock = clock
        self.max_keys = max_keys
        self._failures: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> collections.deque[float]:
        times = self._failures.get(key)
        if times is None:
            return collections.deque()
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, login: str, address: str) -> int:
        """Seconds until another attempt is allowed; 0 when it is allowed now."""
        now = self.clock()
        with self._lock:
            waits = []
            for key, limit in (("login:" + login.lower(), self.per_login), ("addr:" + address, self.per_address)):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[len(times) - limit] + self.window_s - now)
            return max(1, int(max(waits) + 0.999)) if waits else 0

    def failed(self, login: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) >= self.max_keys:  # forget the oldest names first
                for key in list(self._failures)[: self.max_keys // 10]:
                    del self._failures[key]
            for key in ("login:" + login.lower(), "addr:" + address):
                self._failures.setdefault(key, collections.deque()).append(now)

    def succeeded(self, login: str) -> None:
        with self._lock:
            self._failures.pop("login:" + login.lower(), None)


def throttle() -> BackoffThrottle:
    return current_app.extensions[THROTTLE_KEY]
