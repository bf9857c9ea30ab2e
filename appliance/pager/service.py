"""The pager device: one worker thread and a queue, the repeat and de-duplication policy, health.

Heard on the bus:

* ``ticket.called`` / ``ticket.recalled`` (ticket with a pager) and ``dossier.ready`` (with a pager)
  page it, then again every ``repeat_after_s`` seconds, at most ``repeat_max`` times; a
  ``dossier.ready`` marked ``reminders = "persisted"`` (the running appliance) is paged once here
  and its repeats come as ``pager.remind`` from the schedule on disk
  (``appliance.services.reminders``, ``appliance.pager.reminders``), which survives a restart;
* ``pager.returned``, ``pager.lost``, ``ticket.serving``, ``ticket.done``, ``ticket.no_show``,
  ``ticket.transferred`` and ``dossier.returned`` for that pager cancel the repeats (the citizen has
  come, or the pager is back on the shelf).

A ready result's page that fails (link down past ``max_delay_s``, refused, no answer, or no
transmitter configured) is published as ``pager.failed``: the reminder worker then calls that
dossier on the hall display. The same pager paged twice within ``options.dedup_s`` seconds is
sent once. A link failure is
retried with exponential back-off until ``options.max_delay_s``; health changes are published as
``device.status`` events. ``clock`` (monotonic seconds) is injectable for the repeat policy.
"""
from __future__ import annotations

import collections
import datetime as dt
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from appliance.config import ConfigError, Pager, Settings
from appliance.events import Event, EventBus

from .encoder import Encoder
from .encoders import make_encoder
from .frames import PagerError
from .options import service_options
from .transport import DisabledTransport, Transport
from .transports import make_transport

log = logging.getLogger(__name__)

PAGE_EVENTS = ("ticket.called", "ticket.recalled", "dossier.ready", "pager.remind")
CANCEL_EVENTS = ("pager.returned", "pager.lost", "ticket.serving", "ticket.done", "ticket.no_show",
                 "ticket.transferred", "dossier.returned")
# Why a pager was paged or its repeats stopped: (Vietnamese, English).
REASON_TEXTS: dict[str, tuple[str, str]] = {
    "ticket.called": ("gọi số", "number called"), "ticket.recalled": ("gọi lại", "number recalled"),
    "dossier.ready": ("hồ sơ có kết quả", "dossier result ready"), "manual": ("gọi thủ công", "manual page"),
    "cancel": ("hủy nhắc lại", "repeats cancelled"),
    "pager.returned": ("hủy nhắc lại: thẻ rung đã được trả", "repeats cancelled: pager returned"),
    "pager.lost": ("hủy nhắc lại: thẻ rung báo mất", "repeats cancelled: pager reported lost"),
    "ticket.serving": ("hủy nhắc lại: công dân đã đến quầy", "repeats cancelled: citizen at the counter"),
    "ticket.done": ("hủy nhắc lại: đã phục vụ xong", "repeats cancelled: served"),
    "ticket.no_show": ("hủy nhắc lại: số bị đánh vắng mặt", "repeats cancelled: marked absent"),
    "ticket.transferred": ("hủy nhắc lại: số được chuyển quầy", "repeats cancelled: ticket transferred"),
    "dossier.returned": ("hủy nhắc lại: đã trả kết quả hồ sơ", "repeats cancelled: result handed over"),
}
REASONS = {event: vi for event, (vi, _en) in REASON_TEXTS.items()}
RESULT_TEXTS: dict[str, tuple[str, str]] = {
    "sent": ("đã gửi", "sent"), "rejected": ("bị từ chối", "refused"), "no_reply": ("không trả lời", "no reply"),
    "failed": ("thất bại", "failed"), "skipped": ("bỏ qua (trùng)", "skipped (duplicate)"),
    "cancelled": ("đã hủy", "cancelled"),
}
RESULTS = {result: vi for result, (vi, _en) in RESULT_TEXTS.items()}
LINK_ERROR_EN = ("Cannot reach the pager transmitter: check its cable and power; the system retries by itself "
                 "(details under the latest error)")
_STOP = object()


@dataclass
class _Job:
    pager: int
    reason: str
    queued_at: float
    repeat_no: int = 0            # 0 = first page, k = k-th repeat
    generation: int = 0


@dataclass
class _Flush:
    done: threading.Event = field(default_factory=threading.Event)


@dataclass
class _Repeat:
    due: float
    left: int
    reason: str
    done: int = 0


def _now_iso() -> str:
    """An aware UTC ISO time: the panel shows it in the office's time zone, never the machine's."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _pager_of(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


class PagerService:
    def __init__(self, settings: Pager | Settings, bus: EventBus, clock: Callable[[], float] = time.monotonic,
                 *, transport: Transport | None = None, encoder: Encoder | None = None,
                 poll_s: float = 0.5, backoff_initial_s: float = 0.2, journal=None):
        if isinstance(settings, Settings):
            settings = settings.pager
        self.settings = settings
        self.bus = bus
        self.clock = clock
        self.journal = journal   # PageJournal: every page kept on disk (GET /api/v1/pagers/{n}/pages)
        self.encoder = encoder or make_encoder(settings)
        self.options = service_options(settings.options, settings.protocol)
        self.transport = transport or make_transport(settings)
        if self.transport.kind not in ("any", self.encoder.kind):
            raise ConfigError(f"Cấu hình sai [pager].url = {settings.url!r}: không hợp với giao thức "
                              f"{settings.protocol}")
        self.enabled = not isinstance(self.transport, DisabledTransport)
        self.poll_s = poll_s
        self.backoff_initial_s = backoff_initial_s
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._pending: set[int] = set()
        self._repeats: dict[int, _Repeat] = {}
        self._generation: collections.Counter = collections.Counter()
        self._last_sent: dict[int, float] = {}
        self._dossiers: dict[str, int] = {}
        self._recent: collections.deque[dict] = collections.deque(maxlen=50)
        self._seq = itertools.count(1)
        self._state = "disabled" if not self.enabled else "unknown"
        self._message = ("Chưa cấu hình bộ phát thẻ rung ([pager].url để trống)" if not self.enabled
                         else "Chưa kết nối bộ phát thẻ rung")
        self._message_en = ("No pager transmitter configured ([pager].url is empty)" if not self.enabled
                            else "The pager transmitter is not connected yet")
        self._last_error: str | None = None
        self._last_page: dict | None = None
        self._next_probe = 0.0
        self._probe_backoff = backoff_initial_s

    # --- public interface -------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None or self._unsubscribe is not None:
            return
        self._unsubscribe = self.bus.subscribe(self._on_event, PAGE_EVENTS + CANCEL_EVENTS)
        if not self.enabled:
            self._publish_status()
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="pager", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout=5)
        self.transport.close()

    def alive(self) -> bool:
        return not self.enabled or (self._thread is not None and self._thread.is_alive())

    def page(self, pager: int, reason: str = "manual", *, repeat: bool = False, repeat_no: int = 0) -> None:
        """Queue a page for ``pager`` (never blocks). ``repeat``: keep paging until collected (the
        in-memory schedule); ``repeat_no``: this page is the n-th repeat of a schedule kept
        elsewhere (a ready result's, on disk: ``pager.remind``)."""
        if _pager_of(pager) is None:
            self._record(pager, reason, "failed", f"Số thẻ rung không hợp lệ: {pager!r}")
            return
        if not self.enabled:
            self._record(pager, reason, "failed", self._message)
            return
        now = self.clock()
        with self._lock:
            if repeat and self.settings.repeat_max > 0:
                self._generation[pager] += 1
                self._repeats[pager] = _Repeat(now + self.settings.repeat_after_s, self.settings.repeat_max, reason)
            if pager in self._pending:
                duplicate = True
            else:
                duplicate = False
                self._pending.add(pager)
        if duplicate:
            self._record(pager, reason, "skipped", f"Thẻ rung số {pager} đang chờ gửi")
            return
        self._queue.put(_Job(pager, reason, now, repeat_no, self._generation[pager]))

    def cancel(self, pager: int, reason: str = "") -> bool:
        """Stop the repeats for ``pager``; True if some were scheduled."""
        with self._lock:
            self._generation[pager] += 1
            had = self._repeats.pop(pager, None) is not None
        if had:
            self._record(pager, reason or "cancel", "cancelled", f"Ngừng nhắc lại thẻ rung số {pager}")
        return had

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued and due page has been handled (for tests and ``page_once``)."""
        if self._thread is None:
            return True
        marker = _Flush()
        self._queue.put(marker)
        return marker.done.wait(timeout)

    def status(self) -> dict:
        with self._lock:
            return {
                "device": "pager",
                "state": self._state,
                "message": self._message,
                "message_en": self._message_en,
                "protocol": self.settings.protocol,
                "url": self.settings.url,
                "last_page": dict(self._last_page) if self._last_page else None,
                "queue": len(self._pending),
                "repeats": len(self._repeats),
                "last_error": self._last_error,
            }

    def recent(self) -> list[dict]:
        with self._lock:
            return list(reversed(self._recent))

    # --- bus ----------------------------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        p = event.payload
        raw_ticket = p.get("ticket")
        ticket: dict[str, Any] = raw_ticket if isinstance(raw_ticket, dict) else {}
        if event.type in ("ticket.called", "ticket.recalled"):
            pager = _pager_of(ticket.get("pager"))
            if pager:
                self.page(pager, event.type, repeat=True)
        elif event.type == "dossier.ready":
            pager = _pager_of(p.get("pager"))
            if pager:
                if isinstance(p.get("code"), str):
                    with self._lock:
                        self._dossiers[p["code"]] = pager
                # the appliance keeps a ready result's repeats on disk (pager.remind); alone, in memory
                self.page(pager, event.type, repeat=p.get("reminders") != "persisted")
        elif event.type == "pager.remind":
            pager = _pager_of(p.get("pager"))
            repeat_no = p.get("repeat")
            if pager:
                self.page(pager, "dossier.ready",
                          repeat_no=repeat_no if isinstance(repeat_no, int) and repeat_no > 0 else 1)
        elif event.type in ("pager.returned", "pager.lost"):
            pager = _pager_of(p.get("pager"))
            if pager:
                with self._lock:
                    for code in [c for c, n in self._dossiers.items() if n == pager]:
                        del self._dossiers[code]
                self.cancel(pager, event.type)
        elif event.type == "dossier.returned":
            with self._lock:
                returned = p.get("code")
                pager = _pager_of(p.get("pager")) or (self._dossiers.pop(returned, None)
                                                      if isinstance(returned, str) else None)
            if pager:
                self.cancel(pager, event.type)
        elif event.type.startswith("ticket."):
            pager = _pager_of(ticket.get("pager"))
            if pager:
                self.cancel(pager, event.type)

    # --- worker -------------------------------------------------------------------------------

    def _run(self) -> None:
        self._probe()
        while not self._stop.is_set():
            self._schedule_due()
            self._idle_probe()
            try:
                item = self._queue.get(timeout=self._wait_s())
            except queue.Empty:
                continue
            if item is _STOP:
                break
            if isinstance(item, _Flush):
                self._schedule_due()
                if self._queue.empty():
                    item.done.set()
                else:
                    self._queue.put(item)
                continue
            try:
                self._process(item)
            except Exception:  # the worker must survive anything a page does
                log.exception("pager worker failed on %r", item)
                self._record(item.pager, item.reason, "failed", "Lỗi không lường trước khi gọi thẻ rung")
            finally:
                with self._lock:
                    self._pending.discard(item.pager)

    def _wait_s(self) -> float:
        with self._lock:
            due = min((r.due for r in self._repeats.values()), default=None)
        if due is None:
            return self.poll_s
        return max(0.0, min(self.poll_s, due - self.clock()))

    def _schedule_due(self) -> None:
        now = self.clock()
        jobs = []
        with self._lock:
            for pager, rep in list(self._repeats.items()):
                if rep.due > now:
                    continue
                rep.done += 1
                rep.left -= 1
                rep.due = now + self.settings.repeat_after_s
                if rep.left <= 0:
                    del self._repeats[pager]
                if pager not in self._pending:
                    self._pending.add(pager)
                    jobs.append(_Job(pager, rep.reason, now, rep.done, self._generation[pager]))
        for job in jobs:
            self._queue.put(job)

    def _probe(self) -> None:
        try:
            self.transport.open()
        except PagerError as exc:
            self._set_status("error", exc.message, error=True, message_en=LINK_ERROR_EN)
            return
        self._set_status("ok", self._ok_message(), message_en=self._ok_message_en())

    def _ok_message(self) -> str:
        return f"Bộ phát thẻ rung hoạt động bình thường ({self.settings.protocol}, {self.transport.describe()})"

    def _ok_message_en(self) -> str:
        return f"The pager transmitter is working ({self.settings.protocol}, {self.settings.url})"

    def _idle_probe(self) -> None:
        """While the link is down, try to reopen it now and then so the panel shows a replug."""
        problem = getattr(self.transport, "problem", lambda: None)()
        if problem and self._state != "error":
            self.transport.close()
            self._set_status("error", problem, error=True, message_en=LINK_ERROR_EN)
        if self._state != "error" or time.monotonic() < self._next_probe:
            return
        self._probe()
        if self._state == "error":
            self._probe_backoff = min(self._probe_backoff * 2, self.options.backoff_max_s)
            self._next_probe = time.monotonic() + self._probe_backoff
        else:
            self._probe_backoff = self.backoff_initial_s

    def _process(self, job: _Job) -> None:
        reason, k = job.reason, job.repeat_no
        if job.repeat_no and job.generation != self._generation[job.pager]:
            return  # cancelled while queued
        now = self.clock()
        last = self._last_sent.get(job.pager)
        if last is not None and now - last < self.options.dedup_s:
            self._record(job.pager, reason, "skipped",
                         f"Thẻ rung số {job.pager} vừa được gọi {now - last:.0f} giây trước", repeat_no=k)
            return
        try:
            tx = self.encoder.encode(job.pager)
        except ValueError as exc:
            self._last_error = str(exc)
            self._record(job.pager, reason, "failed", str(exc), repeat_no=k)
            return
        backoff = self.backoff_initial_s
        while True:
            try:
                reply = self.transport.send(tx)
                break
            except PagerError as exc:
                self._set_status("error", exc.message, error=True, message_en=LINK_ERROR_EN)
                late = self.clock() - job.queued_at > self.options.max_delay_s
                if not exc.retryable or late or self._stop.wait(backoff):
                    self._record(job.pager, reason, "failed", exc.message, tx, k)
                    return
                backoff = min(backoff * 2, self.options.backoff_max_s)
        self._last_sent[job.pager] = self.clock()
        if reply.ok:
            self._set_status("ok", self._ok_message(), message_en=self._ok_message_en())
            self._record(job.pager, reason, "sent", reply.message, tx, k)
        else:
            self._set_status("warning", reply.message, error=True, message_en=(
                "The transmitter refused the last page" if reply.status == "nak"
                else "The transmitter did not answer the last page"))
            self._record(job.pager, reason, "rejected" if reply.status == "nak" else "no_reply",
                         reply.message, tx, k)

    # --- health and history ---------------------------------------------------------------

    def _set_status(self, state: str, message: str, error: bool = False, *, message_en: str = "") -> None:
        with self._lock:
            changed = (state, message) != (self._state, self._message)
            self._state, self._message = state, message
            self._message_en = message_en or message
            if error:
                self._last_error = message
        if changed:
            log.log(logging.WARNING if error else logging.INFO, "pager %s: %s", state, message)
            self._publish_status()

    def _publish_status(self) -> None:
        try:
            self.bus.publish("device.status", {"device": "pager", "state": self._state, "message": self._message})
        except Exception:  # health reporting never breaks paging
            log.exception("could not publish pager status")

    def _record(self, pager: Any, reason: str, result: str, message: str, tx=None, repeat_no: int = 0) -> None:
        vi, en = REASON_TEXTS.get(reason, (reason, reason))
        text = vi + (f" – nhắc lại lần {repeat_no}" if repeat_no else "")
        result_vi, result_en = RESULT_TEXTS.get(result, (result, result))
        entry = {
            "id": next(self._seq),
            "at": _now_iso(),
            "pager": pager,
            "reason": text,
            "reason_en": en + (f" – repeat {repeat_no}" if repeat_no else ""),
            "repeat": repeat_no,
            "event": reason,
            "result": result,
            "result_text": result_vi,
            "result_text_en": result_en,
            "message": message,
            "bytes": tx.summary() if tx is not None else None,
        }
        with self._lock:
            self._recent.append(entry)
            if result in ("sent", "rejected", "no_reply", "failed"):
                self._last_page = {k: entry[k] for k in ("pager", "at", "reason", "result", "message")}
        if reason == "dossier.ready" and result in ("rejected", "no_reply", "failed") and _pager_of(pager):
            # nobody buzzed a ready result's pager: the reminders call it on the display instead
            try:
                self.bus.publish("pager.failed", {"pager": pager, "result": result, "repeat": repeat_no,
                                                  "message": message})
            except Exception:
                log.exception("could not publish pager.failed")
        if self.journal is not None:
            self.journal.record(entry)
