"""The reminder worker: gives the repeats of every ready result when they fall due.

The schedule is on disk (``reminders``, :mod:`appliance.services.reminders`), so a restart resumes
it: at start the worker gives at once what fell due while the appliance was down (once, not once
per missed interval), then each reminder at its time. Each round is one unit of work that moves
the schedule on and publishes ``pager.remind`` (the pager service buzzes the pager again) or
``dossier.call`` (the hall display and the announcer call the dossier's number again). A
``pager.failed`` (the transmitter could not buzz a ready result's pager) turns that dossier's
schedule into display calls and calls it at once.

Woken by ``dossier.ready`` (a new schedule) and every ``poll_s`` seconds; ``status()`` for
``/api/v1/health`` and the devices list.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from appliance.events import EventBus

log = logging.getLogger(__name__)


class ReminderWorker:
    def __init__(self, queue: Any, bus: EventBus, clock: Callable[[], float], *, poll_s: float = 1.0):
        self.queue = queue                     # appliance.services.reminders.ReminderQueue
        self.bus = bus
        self.clock = clock                     # the appliance's clock (the schedule's time)
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._given = 0
        self._lock = threading.Lock()
        self._failed: set[int] = set()     # pagers the transmitter could not buzz, to call on the display
        self._last_error: str | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._unsubscribe = self.bus.subscribe(self._on_event, ["dossier.ready", "pager.failed"])
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="reminders", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        thread, self._thread = self._thread, None
        self._stop.set()
        self._wake.set()
        if thread is not None:
            thread.join(timeout=10)

    def _on_event(self, event: Any) -> None:
        if event.type == "pager.failed":
            pager = event.payload.get("pager")
            if isinstance(pager, int) and not isinstance(pager, bool):
                with self._lock:
                    self._failed.add(pager)
        self._wake.set()

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until a round found nothing (more) due (tests)."""
        self._idle.clear()
        self._wake.set()
        return self._idle.wait(timeout)

    def status(self) -> dict[str, Any]:
        try:
            pending = self.queue.pending()
        except Exception as exc:  # health must answer
            return {"device": "reminders", "state": "error", "message": f"Không đọc được lịch nhắc lại: {exc}"}
        calls = sum(1 for r in pending if r["kind"] == "call")
        state = "error" if self._last_error else "ok"
        message = (self._last_error or
                   f"{len(pending)} hồ sơ có kết quả đang được nhắc lại ({len(pending) - calls} thẻ rung, "
                   f"{calls} gọi trên màn hình)")
        return {"device": "reminders", "state": state, "message": message,
                "message_en": (f"{len(pending)} ready results being called again ({len(pending) - calls} by pager, "
                               f"{calls} on the display)"),
                "pending": len(pending), "pagers": len(pending) - calls, "calls": calls,
                "next_due_ts": min((r["due_ts"] for r in pending), default=None), "given": self._given}

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self._lock:
                    failed, self._failed = self._failed, set()
                for pager in sorted(failed):
                    if self.queue.pager_failed(pager):
                        log.warning("pager %s could not be buzzed: its ready dossier is called on the display", pager)
                given = self.queue.fire_due()
                self._given += given
                self._last_error = None
                next_due = self.queue.next_due()
            except Exception as exc:   # the worker survives a busy or broken database; retried
                log.exception("reminders: round failed")
                self._last_error = f"Lỗi khi nhắc lại hồ sơ có kết quả: {exc}"
                next_due = None
            wait = self.poll_s if next_due is None else max(0.0, min(self.poll_s, next_due - self.clock()))
            if wait > 0:
                self._idle.set()
                self._wake.wait(wait)
                self._wake.clear()
