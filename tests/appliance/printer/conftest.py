"""Fixtures for the printer tests: the package's loopback ESC/POS printer on TCP and a pty serial port."""
from __future__ import annotations

import os
import select
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from waiting import wait_until

from appliance.config import Printer
from appliance.events import EventBus
from appliance.printer import TicketSlip
from appliance.printer.decode import parse
from appliance.printer.fake_printer import FakeNetworkPrinter


@pytest.fixture
def fake_printer():
    with FakeNetworkPrinter() as printer:
        yield printer


class PtyPort:
    """A pty pair behind a stable symlink (like /dev/serial/by-id/…); a reader drains the master."""

    def __init__(self, link: Path, answer: dict[int, bytes] | None = None):
        self.link = link
        self.answer = answer or {1: b"\x12", 4: b"\x12"}
        self.received = bytearray()
        self.rate: float = 0.0          # bytes per second the "printer" reads; 0 = as fast as it can
        self.master: int | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.plug()

    def plug(self) -> None:
        master, slave = os.openpty()
        name = os.ttyname(slave)
        os.close(slave)
        if self.link.is_symlink() or self.link.exists():
            self.link.unlink()
        self.link.symlink_to(name)
        self.master = master
        self._stop.clear()
        self._thread = threading.Thread(target=self._read, args=(master,), daemon=True)
        self._thread.start()

    def unplug(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2)
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def _read(self, fd: int) -> None:
        pending = bytearray()
        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.02)
            if not ready:
                continue
            try:
                data = os.read(fd, 512 if self.rate else 65536)
            except OSError:
                time.sleep(0.02)  # no slave open yet (EIO): wait for the connector
                continue
            self.received += data
            if self.rate:
                time.sleep(len(data) / self.rate)
            pending += data
            ops, used = parse(bytes(pending), final=False)
            del pending[:used]
            for op in ops:
                if op.name == "status" and self.answer.get(op.arg):
                    os.write(fd, self.answer[op.arg])


@pytest.fixture
def pty_port(tmp_path):
    port = PtyPort(tmp_path / "ttyPRINTER")
    yield port
    port.unplug()


@pytest.fixture
def slip() -> TicketSlip:
    return TicketSlip(office_name="UBND xã Dương Xá", service_name="Hộ tịch – Chứng thực", number="A015",
                      ahead=4, issued_at=datetime(2026, 11, 23, 8, 1), pager=7, estimated_wait_min=18,
                      qr="http://motcua.local/t/A015", footer_lines=("Xin cảm ơn!",))


@pytest.fixture
def bus_events():
    bus = EventBus()
    seen: list[dict] = []
    bus.subscribe(lambda e: seen.append(e.payload), ["device.status"])
    return bus, seen


def printer_settings(url: str, profile: str = "TM-T20II", timeout_s: float = 1.0, **options) -> Printer:
    opts = {"poll_s": 0.1, "status_timeout_s": 0.2, "retry_s": 1.0, **options}
    return Printer(url=url, profile=profile, timeout_s=timeout_s, options=opts)


def wait_for(predicate, timeout: float | None = None, step: float = 0.02):
    """The condition's first truthy value (a generous deadline: see tests/waiting.py)."""
    return wait_until(predicate, timeout, step)


@pytest.fixture
def make_settings():
    return printer_settings


@pytest.fixture
def waiter():
    return wait_for
