"""Load shedding for batch ingest: answer 503 + Retry-After before a batch would wait longer than
the devices wait for an answer.

A province-wide catch-up (hundreds of communes reconnecting at once) queued every batch behind the
others: the last waited 20 s and more while the appliance gives up at 15 s, then sent it again —
a retry storm. Here at most ``ingest_concurrency`` batches are stored at once per worker process;
a batch that arrives while they are busy is admitted only if its estimated wait (batches ahead ×
the recent time per batch ÷ concurrency) plus its own work stays under ``ingest_max_wait_s``, and
only for that long. Otherwise it gets ``503`` with ``Retry-After`` (the time the batches ahead need,
at least 2 s): nothing of it is stored, the device keeps it and comes back (with jitter) later.

A waiting batch holds a server thread, so at most ``ingest_max_waiting`` wait; waitress is given
more threads than ``ingest_concurrency + ingest_max_waiting`` (``--threads 32``), so a shed
answer leaves at once instead of queueing behind the work it protects.

An admitted batch still has a deadline (``ingest_deadline_s`` after the hub began reading it, under
the devices' timeout): the estimate above is an average, and on a starved machine one batch took
14.8 s against 5.7 s for the median, so a device gave up at 15 s and sent it again. The slot yields
a :class:`Deadline`; the store checks it before every statement and bounds each statement by what
is left (PostgreSQL ``statement_timeout``), so a batch that cannot be stored in time is rolled
back and answered ``503`` + ``Retry-After`` (:class:`DeadlinePassed`) instead of never.
"""
from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Iterator

from appliance.errors import MotcuaError
from district.domain.errors import Overloaded


class Shed(Overloaded):
    """Refused for load: ``retry_after_s`` is when the queue ahead should have drained."""

    def __init__(self, retry_after_s: int, ahead: int = 0):
        super().__init__("overloaded", f"overloaded: {ahead} batches ahead")
        self.retry_after_s = retry_after_s
        self.ahead = ahead


class DeadlinePassed(MotcuaError):
    """The batch could not be stored before its deadline; its transaction is rolled back."""


class Deadline:
    """When an admitted batch must be stored by (a ``clock`` time)."""

    def __init__(self, at: float, clock=time.monotonic):
        self.at = at
        self.clock = clock

    def remaining_s(self) -> float:
        return self.at - self.clock()

    def check(self) -> float:
        """The seconds left; raises :class:`DeadlinePassed` when there are none."""
        left = self.remaining_s()
        if left <= 0:
            raise DeadlinePassed(f"deadline passed {-left:.2f} s ago")
        return left


class Admission:
    def __init__(self, concurrency: int, max_wait_s: float, first_guess_s: float = 0.3,
                 retry_min_s: int = 2, retry_max_s: int = 120, max_waiting: int = 16,
                 clock=time.monotonic, deadline_s: float = 12.0):
        self.concurrency = max(1, concurrency)
        self.max_wait_s = max_wait_s
        self.deadline_s = deadline_s  # from the start of slot() to the end of the batch's storing
        self.max_waiting = max_waiting  # batches holding a server thread while they wait
        self.retry_min_s = retry_min_s
        self.retry_max_s = retry_max_s
        self.clock = clock
        self.per_batch_s = first_guess_s  # moving average of the time one batch takes
        self._slots = threading.Semaphore(self.concurrency)
        self._lock = threading.Lock()
        self.waiting = 0
        self.running = 0
        self.shed = 0
        self.admitted = 0

    def estimate_wait_s(self, ahead: int) -> float:
        """Seconds a newcomer would wait with ``ahead`` batches running or waiting before it."""
        if ahead < self.concurrency:
            return 0.0
        return (ahead - self.concurrency + 1) / self.concurrency * self.per_batch_s

    def _refuse(self, ahead: int) -> Shed:
        with self._lock:
            self.shed += 1
            drain = (ahead + 1) / self.concurrency * self.per_batch_s
        return Shed(min(self.retry_max_s, max(self.retry_min_s, math.ceil(drain))), ahead)

    def expired(self) -> Shed:
        """The answer for a batch whose deadline passed while it was being stored."""
        with self._lock:
            ahead = self.waiting + self.running
        return self._refuse(ahead)

    @contextlib.contextmanager
    def slot(self, started: float | None = None) -> Iterator[Deadline]:
        """Hold one of the batch slots while the block runs; raises :class:`Shed` instead of
        letting a batch wait past ``max_wait_s``. Yields the batch's :class:`Deadline`:
        ``deadline_s`` after ``started`` (default: now, the clock's time)."""
        deadline = Deadline((self.clock() if started is None else started) + self.deadline_s, self.clock)
        with self._lock:
            ahead = self.waiting + self.running
            wait = self.estimate_wait_s(ahead)
            if wait + self.per_batch_s > self.max_wait_s or self.waiting >= self.max_waiting:
                refuse = True
            else:
                refuse = False
                self.waiting += 1
        if refuse:
            raise self._refuse(ahead)
        got = self._slots.acquire(timeout=max(0.1, self.max_wait_s - self.per_batch_s))
        with self._lock:
            self.waiting -= 1
            if got:
                self.running += 1
                self.admitted += 1
        if not got:
            raise self._refuse(ahead)
        started = self.clock()
        try:
            yield deadline
        finally:
            took = self.clock() - started
            with self._lock:
                self.running -= 1
                self.per_batch_s = 0.8 * self.per_batch_s + 0.2 * took
            self._slots.release()

    def state(self) -> dict[str, float | int]:
        with self._lock:
            return {"waiting": self.waiting, "running": self.running, "shed": self.shed,
                    "admitted": self.admitted, "per_batch_s": round(self.per_batch_s, 3),
                    "concurrency": self.concurrency, "max_wait_s": self.max_wait_s}
