"""Slowing down password guessing without locking the real officer out (pure; the clock is given).

Failures are counted under three keys, each with its own exponential backoff (:class:`Backoff`):

* the account *from this address* (:data:`PAIR`): the officer mistyping at their own counter, or
  an attacker at one machine: after 5 failures 30 s, then 60 s, 120 s … at most 5 minutes;
* the account *from anywhere* (:data:`ACCOUNT`): an attacker spread over many addresses: after 10
  failures 15 s, doubling to at most 1 minute, so someone guessing elsewhere can slow the officer
  at their counter to one try a minute, never lock them out for a quarter of an hour;
* the address *for any account* (:data:`ADDRESS`): one machine trying many names: after 20
  failures 30 s, doubling to at most 15 minutes.

While a key waits, attempts are answered "try again in N seconds" and are not counted. A success
clears the account's keys (not the address's: one good account must not reset guessing at others).
A key with no failure for :data:`FORGET_AFTER_S` starts again from zero. An administrator can
:meth:`LoginThrottle.unlock` an account at once (the users page of the panel).

The counts live in memory and, when a :class:`KeptCounts` is given, are written through to it at
every change (the appliance keeps them in SQLite, ``appliance.services.accounts.LoginBackoff``) and
read back at start (:meth:`LoginThrottle.restore`): a restart does not reset an attacker's wait.
The clock is therefore wall-clock seconds; should it step backwards, no wait is ever longer than
its rule's.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Backoff:
    free: int        # failures allowed before any wait
    base_s: float    # the first wait
    cap_s: float     # the longest wait

    def wait_s(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.cap_s, self.base_s * 2.0 ** (failures - self.free))


PAIR = Backoff(free=5, base_s=30, cap_s=300)
ACCOUNT = Backoff(free=10, base_s=15, cap_s=60)
ADDRESS = Backoff(free=20, base_s=30, cap_s=900)
FORGET_AFTER_S = 3600.0


@dataclass
class _Count:
    failures: int
    last: float


class KeptCounts(Protocol):
    """Where the counts are kept beyond the process (rows of kind, login, address)."""

    def put(self, kind: str, login: str, address: str, failures: int, last: float) -> None: ...

    def drop(self, kind: str, login: str, address: str) -> None: ...


def _row(key: tuple[str, ...]) -> tuple[str, str, str]:
    """A key as (kind, login, address), '' where the kind has no such part."""
    if key[0] == "pair":
        return key[0], key[1], key[2]
    if key[0] == "account":
        return key[0], key[1], ""
    return key[0], "", key[1]


class LoginThrottle:
    """Failed logins per account+address, account and address (one process; kept by ``keep``)."""

    def __init__(self, clock: Callable[[], float], pair: Backoff = PAIR, account: Backoff = ACCOUNT,
                 address: Backoff = ADDRESS, forget_after_s: float = FORGET_AFTER_S, max_keys: int = 10000,
                 keep: KeptCounts | None = None):
        self.clock = clock
        self.rules = {"pair": pair, "account": account, "address": address}
        self.forget_after_s = forget_after_s
        self.max_keys = max_keys
        self.keep = keep
        self._counts: dict[tuple[str, ...], _Count] = {}
        self._lock = threading.Lock()

    def restore(self, rows: Iterable[tuple[str, str, str, int, float]]) -> int:
        """Take back counts kept before a restart: (kind, login, address, failures, last); returns how many."""
        taken = 0
        with self._lock:
            for kind, login, address, failures, last in rows:
                if kind not in self.rules or failures <= 0:
                    continue
                key = {"pair": ("pair", login, address), "account": ("account", login),
                       "address": ("address", address)}[kind]
                self._counts[key] = _Count(int(failures), float(last))
                taken += 1
        return taken

    def _wait_left(self, kind: str, count: _Count, now: float) -> float:
        wait = self.rules[kind].wait_s(count.failures)
        return min(wait, count.last + wait - now)   # a clock stepped backwards never lengthens a wait

    def _put(self, key: tuple[str, ...], count: _Count) -> None:
        if self.keep is not None:
            self.keep.put(*_row(key), count.failures, count.last)

    def _drop(self, key: tuple[str, ...]) -> None:
        if self.keep is not None:
            self.keep.drop(*_row(key))

    @staticmethod
    def _keys(login: str, address: str) -> dict[str, tuple[str, ...]]:
        login = login.strip().casefold()
        return {"pair": ("pair", login, address), "account": ("account", login), "address": ("address", address)}

    def _current(self, key: tuple[str, ...], now: float) -> _Count | None:
        count = self._counts.get(key)
        if count is not None and now - count.last > self.forget_after_s:
            del self._counts[key]
            self._drop(key)
            return None
        return count

    def retry_after(self, login: str, address: str) -> int:
        """Whole seconds until ``login`` may try again from ``address``; 0 when it may now."""
        now = self.clock()
        with self._lock:
            wait = 0.0
            for kind, key in self._keys(login, address).items():
                count = self._current(key, now)
                if count is not None:
                    wait = max(wait, self._wait_left(kind, count, now))
        return int(wait + 0.999) if wait > 0 else 0

    def failed(self, login: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._counts) >= self.max_keys:   # forget the oldest first
                for key in sorted(self._counts, key=lambda k: self._counts[k].last)[: self.max_keys // 10]:
                    del self._counts[key]
                    self._drop(key)
            for key in self._keys(login, address).values():
                count = self._current(key, now)
                if count is None:
                    count = self._counts[key] = _Count(1, now)
                else:
                    count.failures += 1
                    count.last = now
                self._put(key, count)

    def succeeded(self, login: str, address: str) -> None:
        keys = self._keys(login, address)
        with self._lock:
            for kind in ("pair", "account"):
                if self._counts.pop(keys[kind], None) is not None:
                    self._drop(keys[kind])

    def unlock(self, login: str) -> int:
        """Forget every failure of ``login`` (from any address); returns how many keys were cleared."""
        login = login.strip().casefold()
        with self._lock:
            keys = [k for k in self._counts if k[0] in ("pair", "account") and k[1] == login]
            for key in keys:
                del self._counts[key]
                self._drop(key)
        return len(keys)

    def waiting(self) -> dict[str, int]:
        """Accounts that must wait now, with the seconds left (for the users page)."""
        now = self.clock()
        out: dict[str, int] = {}
        with self._lock:
            for key, count in list(self._counts.items()):
                if key[0] == "address":
                    continue
                left = self._wait_left(key[0], count, now)
                if left > 0:
                    out[key[1]] = max(out.get(key[1], 0), int(left + 0.999))
        return out
