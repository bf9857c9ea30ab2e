"""A fake serial transmitter on a pseudo-terminal, for tests, benchmarks and bench-top trials.

The appliance opens the pty's slave path (or a stable symlink to it, like ``/dev/serial/by-id``)
as it would a USB-serial adapter; this object reads the master side, timestamps what arrives and
answers like the device (WaveWare ACK/NAK, RF-bridge OK/ERR). ``unplug()`` closes the master
(the device vanishes: writes fail with EIO) and ``replug()`` makes a new pty behind the same link.
"""
from __future__ import annotations

import os
import select
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path

# responder(pending_bytes) -> (reply_bytes, remaining_bytes), or None while a command is incomplete
Responder = Callable[[bytes], "tuple[bytes, bytes] | None"]


def waveware_responder(ack: bool = True, nak_code: str = "03", version: str = "V9.01") -> Responder:
    def respond(pending: bytes):
        end = pending.find(b"\x04")
        if end < 0:
            return None
        command, rest = pending[:end + 1], pending[end + 1:]
        status = (b"\x01\x06" + f"{version},00,0,1,1A".encode() if ack else b"\x01\x15" + nak_code.encode())
        return command + status + b"\x04", rest
    return respond


def bridge_responder(ok: bool = True, code: str = "RANGE") -> Responder:
    def respond(pending: bytes):
        end = pending.find(b"\n")
        if end < 0:
            return None
        words = pending[:end].decode("ascii", "replace").split()
        tag = words[1] if len(words) > 1 and words[0] == "TX" else "-"
        reply = f"OK {tag}\n" if ok else f"ERR {tag} {code} gia tri ngoai pham vi\n"
        return b"READY motcua-bridge 1\n" + reply.encode(), pending[end + 1:]
    return respond


class FakeTransmitter:
    def __init__(self, responder: Responder | None = None, link: str | os.PathLike | None = None):
        self.responder = responder
        self.link = Path(link) if link else None
        self.received = bytearray()
        self.chunks: list[tuple[float, bytes]] = []     # (time.perf_counter(), bytes) as read
        self.tty = ""
        self._cond = threading.Condition()
        self._master = -1
        self._slave = -1
        self._thread: threading.Thread | None = None

    # --- plugging --------------------------------------------------------------------------

    def start(self) -> FakeTransmitter:
        self._plug()
        return self

    def _plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        self.tty = os.ttyname(slave)
        self._master, self._slave = master, slave
        if self.link is not None:
            self.link.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.link.with_name(self.link.name + ".new")
            if tmp.is_symlink():
                tmp.unlink()
            os.symlink(self.tty, tmp)
            os.replace(tmp, self.link)
        self._thread = threading.Thread(target=self._read_loop, args=(master,), daemon=True,
                                        name="fake-transmitter")
        self._thread.start()

    def unplug(self) -> None:
        master, slave = self._master, self._slave
        self._master = self._slave = -1
        for fd in (master, slave):
            if fd >= 0:
                os.close(fd)
        if self.link is not None and self.link.is_symlink():
            self.link.unlink()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def replug(self) -> None:
        if self._master >= 0:
            self.unplug()
        self._plug()

    def close(self) -> None:
        self.unplug()

    def __enter__(self) -> FakeTransmitter:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def path(self) -> str:
        return str(self.link) if self.link is not None else self.tty

    @property
    def url(self) -> str:
        return "serial://" + self.path

    # --- reading ---------------------------------------------------------------------------

    def _read_loop(self, master: int) -> None:
        pending = b""
        while self._master == master:
            try:
                ready, _, _ = select.select([master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(master, 4096)
            except (OSError, ValueError):
                if self._master != master:
                    return
                time.sleep(0.01)
                continue
            stamp = time.perf_counter()
            with self._cond:
                self.received += data
                self.chunks.append((stamp, data))
                self._cond.notify_all()
            pending += data
            while self.responder is not None:
                answer = self.responder(pending)
                if answer is None:
                    break
                reply, pending = answer
                if reply:
                    try:
                        os.write(master, reply)
                    except OSError:
                        return

    def wait_for(self, size: int, timeout: float = 2.0) -> bytes:
        """Block until at least ``size`` bytes have arrived in all; returns everything received."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.received) < size:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return bytes(self.received)

    def time_of_byte(self, index: int) -> float | None:
        """``perf_counter`` time at which the byte at ``index`` (0-based, in all received) was read."""
        seen = 0
        with self._cond:
            for stamp, data in self.chunks:
                seen += len(data)
                if seen > index:
                    return stamp
        return None

    def clear(self) -> None:
        with self._cond:
            self.received.clear()
            self.chunks.clear()
