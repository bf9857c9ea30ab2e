"""The printer worker: one thread, one queue, status polling, reconnect, the last tickets kept.

Callers :meth:`PrinterService.submit` and return at once; the worker renders, encodes and sends.
When the printer is gone, or says its paper is out, the job is retried for ``retry_s`` seconds,
then kept as failed (the ticket itself stays valid; staff reprint it from the panel or
``POST /api/v1/printer/jobs/{id}/reprint``) and ``device.status`` carries the alert.

With a ``journal`` (:class:`appliance.devices.journal.PrintJournal`) every job is kept on disk: the
list and reprint survive a restart, and a ticket queued or printing when the appliance stopped (a
power cut, a kill) is printed at the next start.
"""
from __future__ import annotations

import collections
import itertools
import logging
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from appliance.config import Printer
from appliance.errors import PrinterError

from .connection import Connection, PrinterUnavailable
from .encode import encode
from .fonts import FontMissingError, find_fonts
from .layout import Plan, boot_plan, compose, ticket_plan
from .options import parse_options, profile_width
from .slip import TicketSlip
from .status import CONNECTING_MSG_EN, DISABLED_MSG, DISABLED_MSG_EN, Reading, health, health_en

log = logging.getLogger(__name__)
BACKOFF_MAX_S = 10.0
#: how long the worker steps aside between two pieces of a ticket's rendering. Rendering is mostly
#: pure Python (the QR code's eight mask tries above all) and holds the interpreter; a request
#: thread that wants it back after each database call or socket write would otherwise wait up to
#: the interpreter's switch interval (5 ms) every time: ticket issue p50 went from 3 to 10 ms with
#: the printer rendering the previous ticket. A sleep lets it in at once (a ticket: ~20 pauses).
STEP_ASIDE_S = 0.0003


def step_aside() -> None:
    time.sleep(STEP_ASIDE_S)


def unprinted_message(job: Job, exc: Exception) -> str:
    """Why a job did not print, in the words of what it is: a citizen's ticket stays valid (the
    number is in the queue), the boot slip is only the panel's address."""
    if job.kind == "boot":
        return (f"Chưa in được phiếu địa chỉ bảng điều khiển: {exc}. Đây không phải phiếu số thứ tự; "
                "in lại trong trang quản trị khi máy in hoạt động")
    return (f"Chưa in được phiếu số {job.label}: {exc}. Số thứ tự vẫn có hiệu lực; "
            "in lại trong trang quản trị khi máy in hoạt động")


@dataclass
class Job:
    id: str
    kind: str                      # ticket | boot
    slip: TicketSlip | None = None
    urls: tuple[str, ...] = ()
    setup_code: str | None = None  # a boot slip while no administrator exists (first setup)
    state: str = "queued"          # queued | printing | printed | failed | skipped
    error: str | None = None
    submitted: float = field(default_factory=time.time)
    submitted_mono: float = field(default_factory=time.monotonic)
    sent_mono: float | None = None
    printed_at: float | None = None
    bytes: int = 0
    attempts: int = 0
    reprint_of: str | None = None
    ticket_id: int | None = None
    submitted_wall: float = field(default_factory=time.time)   # the machine's time (the resume window)

    @property
    def label(self) -> str:
        return self.slip.number if self.slip else "địa chỉ bảng điều khiển"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "number": self.slip.number if self.slip else None,
            "service_name": self.slip.service_name if self.slip else None,
            "state": self.state, "error": self.error, "bytes": self.bytes, "attempts": self.attempts,
            "submitted_at": _iso(self.submitted), "printed_at": _iso(self.printed_at),
            "latency_ms": (round((self.sent_mono - self.submitted_mono) * 1000, 1)
                           if self.sent_mono is not None else None),
            "reprint_of": self.reprint_of, "ticket_id": self.ticket_id,
        }

    def journal_row(self) -> dict[str, Any]:
        """The job as the journal keeps it (the boot slip's setup code is never written to disk)."""
        slip: dict[str, Any] = self.slip.as_json() if self.slip else {"urls": list(self.urls)}
        slip["submitted_wall"] = self.submitted_wall   # physical time: the rehearsal clock may run faster
        return {"id": self.id, "kind": self.kind, "number": self.slip.number if self.slip else None,
                "ticket_id": self.ticket_id, "slip": slip, "state": self.state, "error": self.error,
                "attempts": self.attempts, "bytes": self.bytes, "submitted_ts": self.submitted,
                "printed_ts": self.printed_at, "reprint_of": self.reprint_of}

    @classmethod
    def from_journal(cls, row: dict[str, Any]) -> Job:
        slip_data = row.get("slip") or {}
        slip = TicketSlip.from_json(slip_data) if row["kind"] == "ticket" else None
        return cls(row["id"], row["kind"], slip=slip, urls=tuple(slip_data.get("urls") or ()), state=row["state"],
                   error=row.get("error"), submitted=row["submitted_ts"], printed_at=row.get("printed_ts"),
                   bytes=row.get("bytes") or 0, attempts=row.get("attempts") or 0,
                   reprint_of=row.get("reprint_of"), ticket_id=row.get("ticket_id"),
                   submitted_wall=float(slip_data.get("submitted_wall") or row["submitted_ts"]))


def _iso(ts: float | None) -> str | None:
    """An aware UTC ISO time: the panel shows it in the office's time zone, never the machine's."""
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds") if ts else None


class NoPaper(PrinterError):
    """The printer answered that its paper is out: the ticket is held, not sent."""


class StoppedBeforePrinting(PrinterError):
    """The appliance stopped (a kill, a power cut) before the ticket was printed."""


class JobNotFound(PrinterError):
    def __str__(self) -> str:
        return f"Không còn phiếu in {self.args[0]!r} trong danh sách gần đây"


class PrinterService:
    def __init__(self, settings: Printer, bus=None, keep_last: int = 20, *, journal=None, clock=time.time):
        self.settings = settings
        self.bus = bus
        self.journal = journal            # PrintJournal or None (jobs kept in memory only)
        self.clock = clock                # the appliance's clock: the times shown for each job
        self.options = parse_options(settings.options)
        self.width = profile_width(settings.profile, self.options)
        self.enabled = bool(settings.url)
        self.connection = (Connection(settings.url, settings.profile, settings.timeout_s,
                                      self.options.status_timeout_s) if self.enabled else None)
        self.device = self.connection.describe if self.connection else "máy in"
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._jobs: collections.OrderedDict[str, Job] = collections.OrderedDict()
        self._keep = keep_last
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seq = itertools.count(1)
        self._reading: Reading | None = None
        self._link_error: str | None = None
        self._job_error: str | None = None
        self._published: tuple[str, str] | None = None
        self._next_connect = 0.0
        self._backoff = 0.5
        self._state = ("disabled", DISABLED_MSG) if not self.enabled else (
            "unknown", f"Đang kết nối {self.device}…")
        self._message_en = DISABLED_MSG_EN if not self.enabled else CONNECTING_MSG_EN

    # ------------------------------------------------------------ public API

    def start(self) -> None:
        if not self.enabled:
            self._publish(force=True)
            return
        if self._thread is not None and self._thread.is_alive():
            return
        self._resume()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="printer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout if timeout is not None else self.settings.timeout_s * 2 + 5)
            self._thread = None
        if self.connection is not None:
            self.connection.close()

    def alive(self) -> bool:
        return not self.enabled or (self._thread is not None and self._thread.is_alive())

    def submit(self, slip: TicketSlip, ticket_id: int | None = None) -> str:
        return self._add(Job(self._new_id(), "ticket", slip=slip, ticket_id=ticket_id))

    def print_boot_slip(self, urls: list[str], setup_code: str | None = None) -> str:
        return self._add(Job(self._new_id(), "boot", urls=tuple(urls), setup_code=setup_code))

    def reprint(self, job_id: str) -> str:
        with self._lock:
            old = self._jobs.get(job_id)
        if old is None and self.journal is not None:
            row = self.journal.get(job_id)
            old = Job.from_journal(row) if row else None
        if old is None:
            raise JobNotFound(job_id)
        return self._add(Job(self._new_id(), old.kind, slip=old.slip, urls=old.urls, setup_code=old.setup_code,
                             reprint_of=old.id, ticket_id=old.ticket_id))

    def recent(self, limit: int | None = None) -> list[dict]:
        """The latest jobs, newest first: the journal's (``limit``, default the kept count) when there
        is one, else those kept in memory."""
        with self._lock:
            live = {job.id: job.as_dict() for job in self._jobs.values()}
        if self.journal is not None:
            rows = self.journal.recent(limit or self._keep)
            if rows is not None:
                return [live.get(r["id"]) or Job.from_journal(r).as_dict() for r in reversed(rows)]
        return list(reversed(live.values()))[:limit]

    def jobs_of_ticket(self, ticket_id: int) -> list[dict]:
        """Every job of one ticket, newest first (the journal's, else those kept in memory)."""
        with self._lock:
            live = {job.id: job.as_dict() for job in self._jobs.values()}
        rows = self.journal.of_ticket(ticket_id) if self.journal is not None else None
        if rows is not None:
            return [live.get(r["id"]) or Job.from_journal(r).as_dict() for r in reversed(rows)]
        return [j for j in reversed(live.values()) if j["ticket_id"] == ticket_id]

    def job(self, job_id: str) -> dict | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job:
                return job.as_dict()
        row = self.journal.get(job_id) if self.journal is not None else None
        return Job.from_journal(row).as_dict() if row else None

    def status(self) -> dict:
        with self._lock:
            last = next(reversed(self._jobs.values()), None)
            state, message = self._state
            reading = self._reading
            return {
                "state": state, "message": message, "message_en": self._message_en, "device": self.device,
                "online": reading.online if reading else None,
                "paper": reading.paper if reading else "unknown",
                "queue": self._queue.qsize(), "last_error": self._link_error or self._job_error,
                "last_job": last.as_dict() if last else None,
                "profile": self.settings.profile, "width_px": self.width,
            }

    def preview(self, slip: TicketSlip):
        """The ticket image exactly as this printer's settings lay it out (admin preview)."""
        return compose(ticket_plan(slip, self.width, self.options))

    # ------------------------------------------------------------ internals

    def _new_id(self) -> str:
        return f"{next(self._seq):04d}-{uuid.uuid4().hex[:6]}"

    def _add(self, job: Job) -> str:
        job.submitted, job.submitted_wall = self.clock(), time.time()
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
        if not self.enabled:
            job.state, job.error = "skipped", DISABLED_MSG
            self._save(job)
            return job.id
        self._save(job)
        self._queue.put(job)
        return job.id

    def _save(self, job: Job) -> None:
        if self.journal is not None:
            self.journal.save(job.journal_row())

    def _resume(self) -> None:
        """At start: the journal's latest jobs listed again. A ticket it holds as queued or printing
        (the appliance stopped before it came out: a kill, a power cut) is printed now, under its own
        id, when it was issued less than ``retry_s`` ago (the citizen is still at the kiosk); an older
        one is kept as failed, to reprint. A boot slip of an earlier boot is not: this boot prints its own."""
        if self.journal is None:
            return
        rows = self.journal.recent(self._keep) or []
        unfinished = self.journal.unfinished() or []
        with self._lock:
            current = self._jobs
            known = set(current)
            self._jobs = collections.OrderedDict((r["id"], Job.from_journal(r)) for r in rows if r["id"] not in known)
            self._jobs.update(current)
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
        for row in unfinished:
            if row["id"] in known:
                continue   # submitted in this run, already queued
            job = self._jobs.get(row["id"]) or Job.from_journal(row)
            if job.kind != "ticket":
                job.state, job.error = "skipped", "Phiếu địa chỉ của lần khởi động trước"
                self._save(job)
                continue
            waited = time.time() - job.submitted_wall     # physical seconds, whatever the appliance's clock
            if not 0 <= waited <= self.options.retry_s:
                # as for a printer that stayed away: a slip coming out minutes later would confuse the
                # next citizen; it is listed as failed for staff to reprint
                job.state, job.error = "failed", unprinted_message(job, StoppedBeforePrinting(
                    "thiết bị đã dừng trước khi in"))
                self._save(job)
                continue
            job.state, job.submitted_mono = "queued", time.monotonic() - max(waited, 0.0)
            log.info("printing ticket %s left unprinted at the last stop (job %s)", job.label, job.id)
            self._queue.put(job)

    def _connected(self) -> Connection:
        """The printer connection (the worker runs only when a printer is configured)."""
        if self.connection is None:
            raise PrinterUnavailable("Chưa cấu hình máy in ([printer].url trong tệp cấu hình).")
        return self.connection

    def _plan(self, job: Job) -> Plan:
        if job.kind == "boot":
            return boot_plan(list(job.urls), self.width, self.options, setup_code=job.setup_code)
        assert job.slip is not None, "a ticket job carries its slip"
        return ticket_plan(job.slip, self.width, self.options, pause=step_aside)

    def _run(self) -> None:
        try:
            find_fonts(self.options.font, self.options.font_bold)
        except FontMissingError as exc:
            self._job_error = str(exc)
        self._poll()
        while not self._stop.is_set():
            wait = self.options.poll_s if self._connected().is_open else max(
                0.05, min(self.options.poll_s, self._next_connect - time.monotonic()))
            try:
                job = self._queue.get(timeout=wait)
            except queue.Empty:
                job = None
            if self._stop.is_set():
                break
            if job is None:
                self._poll()
                continue
            try:
                self._print(job)
            except Exception as exc:  # a bug must not kill the worker
                log.exception("printing job %s failed", job.id)
                self._fail(job, f"Lỗi khi in phiếu {job.label}: {exc}")
        self._drain_on_stop()

    def _drain_on_stop(self) -> None:
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                return
            if job is not None and job.state == "queued":
                # the journal keeps it queued: it prints at the next start
                job.state, job.error = "failed", "Dịch vụ in đã dừng trước khi in phiếu này"

    def _print(self, job: Job) -> None:
        job.state = "printing"
        self._save(job)
        try:
            plan = self._plan(job)
        except FontMissingError as exc:
            self._fail(job, str(exc))
            return
        data = encode(plan, self.settings.profile, self.options, pause=step_aside)
        job.bytes = len(data)
        deadline = job.submitted_mono + self.options.retry_s
        backoff = 0.2
        while True:
            job.attempts += 1
            try:
                self._check_paper()
                self._connected().send(data, name=f"{time.strftime('%Y%m%d-%H%M%S')}-{job.id}",
                                     preview=lambda: compose(plan))
            except (NoPaper, PrinterUnavailable) as exc:
                # paper out: held (the link is up); the link gone: marked down. Both retried to the deadline
                if isinstance(exc, PrinterUnavailable):
                    self._link_down(str(exc))
                if self._stop.is_set() or time.monotonic() + backoff > deadline:
                    self._fail(job, unprinted_message(job, exc))
                    return
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 2.0)
                continue
            job.sent_mono = time.monotonic()
            job.state, job.error, job.printed_at = "printed", None, self.clock()
            self._save(job)
            self._link_error = self._job_error = None
            self._backoff = 0.5
            answers = self._reading is not None and self._reading.online is not None
            if self._queue.empty() and answers:  # a silent printer would hold the next ticket
                self._poll()
            else:
                self._update()
            return

    def _check_paper(self) -> None:
        """A ticket is not sent into a printer that said it has no paper (it would not come out, or
        come out blank): the status is asked again, and while the paper is still out the job waits
        like one for an unreachable printer, then is left failed for staff to reprint."""
        if self._reading is None or self._reading.paper != "out":
            return
        reading = self._connected().query()
        self._reading = reading
        if reading.paper == "out":
            self._update()
            raise NoPaper("máy in hết giấy")
        self._update()

    def _fail(self, job: Job, message: str) -> None:
        job.state, job.error = "failed", message
        self._save(job)
        self._job_error = message
        log.warning("%s", message)
        self._update()

    def _link_down(self, reason: str) -> None:
        self._link_error = reason
        self._reading = None
        self._next_connect = time.monotonic() + self._backoff
        self._backoff = min(self._backoff * 2, BACKOFF_MAX_S)
        self._update()

    def _poll(self) -> None:
        if not self._connected().is_open and time.monotonic() < self._next_connect:
            return
        try:
            reading = self._connected().query()
        except PrinterUnavailable as exc:
            self._link_down(str(exc))
            return
        if self._link_error:
            self._job_error = None  # back after an outage: the failed job stays listed in recent()
        self._link_error = None
        self._backoff = 0.5
        self._reading = reading
        if reading.paper in ("ok", "low") and reading.online:
            self._job_error = None
        self._update()

    def _update(self) -> None:
        state = health(self._reading, self.device, self._link_error, self._job_error)
        message_en = health_en(self._reading, self._link_error, self._job_error)
        with self._lock:
            self._state = state
            self._message_en = message_en
        self._publish()

    def _publish(self, force: bool = False) -> None:
        state = self._state
        if state == self._published and not force:
            return
        self._published = state
        log.info("printer %s: %s", *state)
        if self.bus is not None:
            self.bus.publish("device.status", {"device": "printer", "state": state[0], "message": state[1]})
