"""The SMS device: one worker thread draining the durable queue (``sms_messages``) through the
transport, with rate limits, retries and delivery reports; its health for ``/api/v1/health``, the
devices page and ``motcua doctor``.

* Woken by ``sms.queued`` (published after the commit that queued a message) and every
  ``poll_s`` seconds (reminders fall due, a replugged modem is found again).
* A link error (unplugged, no SIM, no signal) puts the message back unchanged and the link is
  probed again with exponential back-off up to ``backoff_max_s``; when it is back, the queue goes
  out in order, each message once.
* A refusal counts an attempt; the message is retried after ``[sms].retry_after_s`` doubled each
  time, and marked failed after ``[sms].max_attempts``.
* At most ``[sms].per_minute`` messages a minute and ``[sms].per_hour`` an hour: a SIM that sends
  faster is blocked by Vietnamese operators as spam.
* Delivery reports (``+CDS``) mark messages delivered (or failed).
* The link's state (SIM, signal, network) is written to ``STATE_DIR/devices/sms-status.json`` so
  ``motcua doctor``, another process that cannot open the busy port, can say it.
"""
from __future__ import annotations

import collections
import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from appliance.events import EventBus
from appliance.files import atomic_write

from .transport import DisabledTransport, LinkState, SmsLinkError, SmsRejected, SmsTransport

log = logging.getLogger(__name__)
STATUS_FILE = "sms-status.json"


class SmsService:
    def __init__(self, queue: Any, settings: Callable[[], Any], bus: EventBus, transport: SmsTransport, *,
                 state_dir: Path | None = None, poll_s: float = 5.0, backoff_initial_s: float = 0.5,
                 backoff_max_s: float = 60.0, probe_every_s: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic):
        self.queue = queue
        self._settings = settings
        self.bus = bus
        self.transport = transport
        self.enabled = not isinstance(transport, DisabledTransport)
        self.state_dir = state_dir
        self.poll_s = poll_s
        self.backoff_initial_s = backoff_initial_s
        self.backoff_max_s = backoff_max_s
        self.probe_every_s = probe_every_s
        self.monotonic = monotonic
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._sent_times: collections.deque[float] = collections.deque()
        self._link: LinkState = (transport.link() if not self.enabled else
                                 LinkState(False, message="Chưa kết nối modem / cổng SMS",
                                           message_en="The SMS modem or gateway is not connected yet"))
        self._link_up = False
        self._next_probe = 0.0
        self._backoff = backoff_initial_s
        self._last_probe = 0.0
        self._last_error: str | None = None
        self._sent = 0

    # --- device interface -------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._unsubscribe = self.bus.subscribe(lambda _event: self._wake.set(), ["sms.queued"])
        if not self.enabled:
            self._publish_status()
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sms", daemon=True)
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
        self.transport.close()

    def alive(self) -> bool:
        return not self.enabled or (self._thread is not None and self._thread.is_alive())

    def wake(self) -> None:
        self._wake.set()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until the worker has found nothing due to send (tests, ``motcua sms send``)."""
        self._idle.clear()
        self._wake.set()
        return self._idle.wait(timeout)

    def status(self) -> dict[str, Any]:
        with self._lock:
            link = self._link
            if not self.enabled:
                state = "disabled"
            elif not self._last_probe:
                state = "unknown"
            else:
                state = "ok" if self._link_up else "error"
            return {"device": "sms", "state": state, "message": link.message, "message_en": link.message_en,
                    "kind": self.transport.kind, "url": self.transport.url, **link.as_dict(),
                    "sent": self._sent, "last_error": self._last_error,
                    "delivery_reports": bool(getattr(self.transport, "delivery_reports", False))}

    # --- worker -------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            self.queue.recover()
        except Exception:
            log.exception("sms: could not recover interrupted messages")
        while not self._stop.is_set():
            try:
                progressed = self._step()
            except Exception:      # the worker survives anything one message does
                log.exception("sms worker step failed")
                progressed = False
            if not progressed:
                self._idle.set()
                self._wake.wait(self.poll_s)
                self._wake.clear()

    def _step(self) -> bool:
        """One round; True when it did something and should go on at once."""
        now = self.monotonic()
        if not self._link_up:
            if now < self._next_probe:
                return False
            self._probe()
            if not self._link_up:
                return False
        elif now - self._last_probe > self.probe_every_s:
            self._probe()
            if not self._link_up:
                return False
        self._drain_reports()
        wait = self._rate_wait(now)
        if wait > 0:
            self._stop.wait(min(wait, self.poll_s))
            return True
        row = self.queue.claim()
        if row is None:
            return False
        self._send(row)
        return True

    def _probe(self) -> None:
        self._last_probe = self.monotonic()
        try:
            self.transport.open()
            link = self.transport.link()
        except SmsLinkError as exc:
            link = LinkState(False, message=exc.message, message_en=exc.message_en)
        self._set_link(link)
        if link.ok:
            self._backoff = self.backoff_initial_s
        else:
            self.transport.close()
            self._next_probe = self.monotonic() + self._backoff
            self._backoff = min(self._backoff * 2, self.backoff_max_s)

    def _rate_wait(self, now: float) -> float:
        s = self._settings().sms
        times = self._sent_times
        while times and now - times[0] > 3600:
            times.popleft()
        waits = [0.0]
        last_minute = [t for t in times if now - t < 60]
        if len(last_minute) >= s.per_minute:
            waits.append(60 - (now - last_minute[-s.per_minute]))
        if len(times) >= s.per_hour:
            waits.append(3600 - (now - times[-s.per_hour]))
        return max(waits)

    def _send(self, row: Any) -> None:
        try:
            if hasattr(self.transport, "send") and self.transport.kind == "gateway":
                result = self.transport.send(row["phone"], row["text"], reference=str(row["id"]))  # type: ignore[call-arg]
            else:
                result = self.transport.send(row["phone"], row["text"])
        except SmsLinkError as exc:
            self.queue.link_down(row["id"], exc.message)
            with self._lock:
                self._last_error = exc.message
            self.transport.close()
            self._set_link(LinkState(False, message=exc.message, message_en=exc.message_en))
            self._next_probe = self.monotonic() + self._backoff
            self._backoff = min(self._backoff * 2, self.backoff_max_s)
            return
        except SmsRejected as exc:
            with self._lock:
                self._last_error = exc.message
            state = self.queue.refused(row["id"], exc.message)
            log.warning("sms %s refused (%s): %s", row["id"], state, exc.message)
            return
        self._sent_times.append(self.monotonic())
        with self._lock:
            self._sent += 1
        self.queue.sent(row["id"], result.references, result.parts, self.transport.kind)

    def _drain_reports(self) -> None:
        for report in self.transport.reports():
            try:
                self.queue.delivered(report.reference, report.state)
            except Exception:
                log.exception("sms: delivery report %r not applied", report)

    # --- health ---------------------------------------------------------------------------------

    def _set_link(self, link: LinkState) -> None:
        with self._lock:
            changed = (link.ok, link.message) != (self._link.ok, self._link.message) or not self._last_probe
            self._link = link
            self._link_up = link.ok
        if changed:
            log.log(logging.INFO if link.ok else logging.WARNING, "sms link: %s", link.message)
            self._publish_status()

    def _publish_status(self) -> None:
        status = self.status()
        if self.state_dir is not None:
            try:
                folder = self.state_dir / "devices"
                folder.mkdir(parents=True, exist_ok=True)
                atomic_write(folder / STATUS_FILE, json.dumps({**status, "at": time.time()},
                                                              ensure_ascii=False).encode("utf-8"), 0o640,
                             durable=False)
            except OSError:
                log.warning("sms: could not write %s", STATUS_FILE)
        try:
            self.bus.publish("device.status", {"device": "sms", "state": status["state"],
                                               "message": status["message"]})
        except Exception:
            log.exception("could not publish sms status")
