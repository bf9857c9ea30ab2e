"""A fake ESC/POS network printer on 127.0.0.1, for tests, benchmarks and bench-top trials.

The appliance prints to ``fake.url`` (``tcp://127.0.0.1:PORT``) as it would to a printer on the
LAN. The fake reads the stream with this package's own decoder (:mod:`appliance.printer.decode`),
answers ``DLE EOT 1`` / ``DLE EOT 4`` like a printer in ``mode`` (``ok``, ``low``, ``out``,
``silent``; switchable at any time), keeps the job bytes without the status queries, and notes
with ``time.perf_counter()`` when each cut arrives. ``unplug()`` drops every connection and stops
listening; ``plug()`` listens again on the same port.
"""
from __future__ import annotations

import select
import socket
import threading
import time

from .decode import Op, parse

# (reply to DLE EOT 1, reply to DLE EOT 4) of a real printer in each condition; None = no reply
ANSWERS: dict[str, tuple[bytes | None, bytes | None]] = {
    "ok": (b"\x12", b"\x12"),
    "low": (b"\x12", b"\x1e"),
    "out": (b"\x1a", b"\x72"),
    "silent": (None, None),
}
_LONG_CUTS = (65, 66, 97, 98, 103, 104)  # GS V m n: these take a feed byte


def _length(op: Op) -> int:
    """Bytes the command ``op`` took in the stream (the decoder gives the ops, not their spans)."""
    if op.name == "text":
        return len(op.arg)
    if op.name == "raster":
        return 8 + op.arg[1] * op.arg[2]
    if op.name == "cut":
        return 4 if op.arg in _LONG_CUTS else 3
    return {"init": 2, "lf": 1}.get(op.name, 3)


class FakeNetworkPrinter:
    """Listens on 127.0.0.1:``port`` (0 = any free port) from construction until ``close()``."""

    def __init__(self, port: int = 0, *, mode: str = "ok"):
        self.mode = mode
        self.port = port
        self.received = bytearray()          # every byte read, status queries removed
        self.queries: list[int] = []         # n of each DLE EOT n, in order
        self.cut_times: list[float] = []     # time.perf_counter() when each cut arrived
        self.errors: list[str] = []          # streams the decoder refused (the connection is dropped)
        self._cond = threading.Condition()
        self._listener: socket.socket | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.plug()

    # --- condition and plugging ------------------------------------------------------------

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        if value not in ANSWERS:
            raise ValueError(f"chế độ máy in giả '{value}' không có; chọn một trong: {', '.join(ANSWERS)}")
        self._mode = value

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    @property
    def cuts(self) -> int:
        return len(self.cut_times)

    def plug(self) -> None:
        """Listen (again) on ``port``; nothing happens when already listening."""
        if self._listener is not None:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", self.port))
            sock.listen(4)
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        self._listener = sock
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, args=(sock,), daemon=True, name="fake-printer")
        self._thread.start()

    def unplug(self) -> None:
        """Drop every connection and stop listening (the port stays reserved for ``plug()``)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def close(self) -> None:
        self.unplug()

    def __enter__(self) -> FakeNetworkPrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reading ---------------------------------------------------------------------------

    def wait_cuts(self, count: int, timeout: float = 5.0) -> float:
        """``perf_counter`` time at which the ``count``-th cut (1-based) arrived; waits up to ``timeout``."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.cut_times) >= count, timeout):
                raise TimeoutError(f"máy in giả chưa nhận lệnh cắt giấy thứ {count} sau {timeout} giây")
            return self.cut_times[count - 1]

    def _serve(self, listener: socket.socket) -> None:
        conns: dict[socket.socket, bytearray] = {}
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([listener, *conns], [], [], 0.05)
                for sock in ready:
                    if sock is listener:
                        conn, _ = sock.accept()
                        conns[conn] = bytearray()
                    elif not self._take(sock, conns[sock]):
                        del conns[sock]
                        sock.close()
        finally:
            for conn in conns:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()

    def _take(self, sock: socket.socket, pending: bytearray) -> bool:
        """Read what ``sock`` sent, answer its status queries; False when the connection is over."""
        try:
            data = sock.recv(65536)
        except OSError:
            return False
        stamp = time.perf_counter()
        if not data:
            return False
        pending += data
        try:
            ops, used = parse(bytes(pending), final=False)
        except ValueError as exc:
            self.errors.append(str(exc))
            return False
        at = 0
        for op in ops:
            size = _length(op)
            if op.name == "status":
                self.queries.append(op.arg)
                answer = ANSWERS[self._mode][0 if op.arg == 1 else 1]
                if answer is not None:
                    try:
                        sock.sendall(answer)
                    except OSError:
                        return False
            else:
                self.received += pending[at:at + size]
                if op.name == "cut":
                    with self._cond:
                        self.cut_times.append(stamp)
                        self._cond.notify_all()
            at += size
        del pending[:used]
        if at != used:                       # a command this fake measures wrongly: say so, stop
            self.errors.append(f"độ dài lệnh tính sai: {at} ≠ {used} byte")
            return False
        return True
