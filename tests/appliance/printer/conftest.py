"""Fakes for the printer tests: a loopback ESC/POS printer on TCP and a pty serial port."""
from __future__ import annotations

import os
import select
import socket
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from appliance.config import Printer
from appliance.events import EventBus
from appliance.printer import TicketSlip
from appliance.printer.decode import parse

ANSWERS = {  # (DLE EOT 1, DLE EOT 4) replies of a real printer in each condition
    "ok": (b"\x12", b"\x12"),
    "low": (b"\x12", b"\x1e"),
    "out": (b"\x1a", b"\x72"),
    "silent": (None, None),
}


class FakeNetworkPrinter:
    """Listens on 127.0.0.1, parses what it receives, answers DLE EOT like a printer in ``mode``.

    ``unplug()`` drops every connection and stops listening; ``plug()`` listens again on the same port.
    """

    def __init__(self, mode: str = "ok"):
        self.mode = mode
        self.port = 0
        self.received = bytearray()       # everything but status queries
        self.queries: list[int] = []
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.plug()

    def plug(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(4)
        self.port = sock.getsockname()[1]
        self._listener = sock
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def unplug(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2)
        for c in self._conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()
        self._conns.clear()
        if self._listener:
            self._listener.close()
            self._listener = None

    close = unplug

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        buffers: dict[socket.socket, bytearray] = {}
        while not self._stop.is_set():
            ready, _, _ = select.select([self._listener, *self._conns], [], [], 0.05)
            for sock in ready:
                if sock is self._listener:
                    conn, _ = sock.accept()
                    self._conns.append(conn)
                    buffers[conn] = bytearray()
                    continue
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    self._conns.remove(sock)
                    sock.close()
                    continue
                buf = buffers[sock]
                buf += data
                ops, used = parse(bytes(buf), final=False)
                consumed = bytes(buf[:used])
                del buf[:used]
                for op in ops:
                    if op.name == "status":
                        self.queries.append(op.arg)
                        answer = ANSWERS[self.mode][0 if op.arg == 1 else 1]
                        if answer is not None:
                            sock.sendall(answer)
                self.received += consumed.replace(b"\x10\x04\x01", b"").replace(b"\x10\x04\x04", b"")


@pytest.fixture
def fake_printer():
    printer = FakeNetworkPrinter()
    yield printer
    printer.unplug()


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


def wait_for(predicate, timeout: float = 5.0, step: float = 0.02):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("điều kiện không xảy ra trong thời gian chờ")


@pytest.fixture
def make_settings():
    return printer_settings


@pytest.fixture
def waiter():
    return wait_for
