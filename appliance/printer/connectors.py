"""python-escpos connectors built from a device URL, each with a timeout on every write and read.

``usb://VID:PID``, ``serial:///dev/ttyUSB0?baudrate=9600``, ``tcp://HOST:9100``,
``file:///dev/usb/lp0`` and ``sim://DIR`` (relative to the current directory unless absolute).
The subclasses only add what 24/7 use needs on top of python-escpos: write timeouts (its ``Usb``
defaults to none, its ``Serial`` sets only a read timeout, its ``File`` blocks), a short read for
status queries, and a ``close`` that never raises on a device that has vanished.
"""
from __future__ import annotations

import errno
import os
import select
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import File, Network, Serial, Usb

from appliance.config import ConfigError
from appliance.files import atomic_write

SCHEMES = ("usb", "serial", "tcp", "file", "sim")
SERIAL_FLOW = ("none", "rtscts", "dsrdtr", "xonxoff")


def _bad_url(url: str, why: str) -> ConfigError:
    return ConfigError(f"Cấu hình sai [printer].url = {url!r}: {why}")


@dataclass(frozen=True)
class Target:
    """A parsed printer URL."""
    scheme: str
    path: str = ""        # device file, directory, or host
    port: int = 0
    vid: int = 0
    pid: int = 0
    baudrate: int = 9600
    flow: str = "none"
    in_ep: int = 0x82
    out_ep: int = 0x01

    def describe(self) -> str:
        if self.scheme == "usb":
            return f"máy in USB {self.vid:04x}:{self.pid:04x}"
        if self.scheme == "serial":
            return f"máy in cổng nối tiếp {self.path} ({self.baudrate} baud)"
        if self.scheme == "tcp":
            return f"máy in mạng {self.path}:{self.port}"
        if self.scheme == "file":
            return f"máy in {self.path}"
        return f"máy in mô phỏng ({self.path})"


def parse_url(url: str) -> Target:
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in SCHEMES:
        raise _bad_url(url, "máy in dùng " + ", ".join(s + "://…" for s in SCHEMES))
    rest = url.split("://", 1)[1]
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        if scheme == "usb":
            vid, _, pid = parts.netloc.partition(":")
            eps: dict[str, Any] = {k: int(query.pop(k), 0) for k in ("in_ep", "out_ep") if k in query}
            target = Target("usb", vid=int(vid, 16), pid=int(pid, 16), **eps)
        elif scheme == "serial":
            path = parts.path or parts.netloc
            baud = int(query.pop("baudrate", "9600"))
            flow = query.pop("flow", "none")
            if flow not in SERIAL_FLOW or baud <= 0 or not path:
                raise ValueError
            target = Target("serial", path=path, baudrate=baud, flow=flow)
        elif scheme == "tcp":
            if not parts.hostname:
                raise ValueError
            target = Target("tcp", path=parts.hostname, port=parts.port or 9100)
        elif scheme == "file":
            if not parts.path:
                raise ValueError
            target = Target("file", path=parts.path)
        else:
            path = rest.split("?", 1)[0]
            if not path:
                raise ValueError
            target = Target("sim", path=str(Path(path).resolve()))
    except ValueError:
        raise _bad_url(url, {
            "usb": "dạng usb://VID:PID (số hex), ví dụ usb://0416:5011",
            "serial": "dạng serial:///dev/ttyUSB0?baudrate=9600 (flow=" + "|".join(SERIAL_FLOW) + ")",
            "tcp": "dạng tcp://ĐỊA-CHỈ:9100",
            "file": "dạng file:///dev/usb/lp0",
            "sim": "dạng sim://THƯ-MỤC, ví dụ sim://var/devices/printer",
        }[scheme]) from None
    if query:
        raise _bad_url(url, f"tham số lạ '{sorted(query)[0]}'")
    return target


# ---------------------------------------------------------------- connectors

class TimedUsb(Usb):
    """``Usb`` with the write timeout always set (ms) and a short read for status."""

    def __init__(self, *args, read_timeout_ms: int = 1000, **kwargs):
        super().__init__(*args, **kwargs)
        self.read_timeout_ms = read_timeout_ms

    def _read(self) -> bytes:
        import usb.core
        try:
            return bytes(self.device.read(self.in_ep, 16, self.read_timeout_ms))
        except usb.core.USBTimeoutError:
            return b""

    def drain(self) -> None:
        return None

    def close(self) -> None:
        try:
            super().close()
        except Exception:
            self._device = False


class TimedSerial(Serial):
    """``Serial`` with a write timeout (python-escpos sets only the read timeout)."""

    _device: Any  # python-escpos keeps the open pyserial port here, False when closed

    def __init__(self, *args, write_timeout: float = 5.0, rtscts: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.write_timeout = write_timeout
        self.rtscts = rtscts

    def open(self, raise_not_found: bool = True) -> None:
        super().open(raise_not_found)
        if self._device:
            self._device.write_timeout = self.write_timeout
            if self.rtscts:
                self._device.rtscts = True

    def drain(self) -> None:
        self.device.reset_input_buffer()

    def close(self) -> None:
        device, self._device = self._device, False
        if device:
            try:
                device.close()  # no flush(): on an unplugged port it can block or raise
            except Exception:
                pass


class TimedNetwork(Network):
    """``Network`` whose status read waits ``read_timeout`` and treats a closed peer as unplugged."""

    device: socket.socket | None

    def __init__(self, *args, read_timeout: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.read_timeout = read_timeout

    def open(self, raise_not_found: bool = True) -> None:
        # Not ``Network.open``: on a refused connection python-escpos 3.1 drops its new socket
        # without closing it, and a printer that is off for an hour would leak one per retry.
        if self._device:
            self.close()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            self.device = None
            if raise_not_found:
                raise DeviceNotFoundError(f"Không kết nối được máy in {self.host}:{self.port}: {exc}") from None
            return
        # small writes (status queries after a job) must not wait for delayed ACKs
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.device = sock

    def _socket(self) -> socket.socket:
        if self.device is None:
            raise ConnectionResetError(errno.ENOTCONN, "chưa kết nối máy in")
        return self.device

    def _read(self) -> bytes:
        sock = self._socket()
        sock.settimeout(self.read_timeout)
        try:
            data = sock.recv(16)
        except TimeoutError:
            return b""
        finally:
            sock.settimeout(self.timeout)
        if data == b"":
            raise ConnectionResetError(errno.ECONNRESET, "máy in đã đóng kết nối")
        return data

    def drain(self) -> None:
        sock = self._socket()
        sock.settimeout(0)
        try:
            while True:
                if sock.recv(64) == b"":
                    raise ConnectionResetError(errno.ECONNRESET, "máy in đã đóng kết nối")
        except (BlockingIOError, InterruptedError):
            pass
        finally:
            sock.settimeout(self.timeout)

    def close(self) -> None:
        try:
            super().close()
        except OSError:
            self._device = False


class TimedFile(File):
    """``File`` for ``/dev/usb/lp0``: non-blocking descriptor, every write bounded by a deadline."""

    device: int | None

    def __init__(self, *args, timeout: float = 5.0, read_timeout: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.timeout = timeout
        self.read_timeout = read_timeout
        self._fd: int | None = None
        self._readable = False

    def open(self, raise_not_found: bool = True) -> None:
        self.close()
        try:
            try:
                self._fd = os.open(self.devfile, os.O_RDWR | os.O_NONBLOCK | os.O_NOCTTY)
                self._readable = not Path(self.devfile).is_file()
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.EISDIR):
                    raise
                self._fd = os.open(self.devfile, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
                self._readable = False
        except OSError as exc:
            self._fd = None
            self.device = None
            if raise_not_found:
                raise DeviceNotFoundError(f"Không mở được máy in {self.devfile}: {exc}") from exc
            return
        self.device = self._fd

    def _raw(self, msg: bytes) -> None:
        fd = self.device if self._fd is None else self._fd
        if fd is None:
            raise OSError(errno.EBADF, f"máy in {self.devfile} chưa mở")
        deadline = time.monotonic() + self.timeout
        view = memoryview(msg)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(errno.ETIMEDOUT, f"ghi vào {self.devfile} quá {self.timeout:g} giây")
            _, writable, _ = select.select([], [fd], [], left)
            if writable:
                try:
                    view = view[os.write(fd, view):]
                except BlockingIOError:
                    continue

    @property
    def can_query(self) -> bool:
        return self._readable

    def _read(self) -> bytes:
        if not self._readable or self._fd is None:
            return b""
        ready, _, _ = select.select([self._fd], [], [], self.read_timeout)
        if not ready:
            return b""
        try:
            return os.read(self._fd, 16)
        except BlockingIOError:
            return b""

    def drain(self) -> None:
        return None

    def flush(self) -> None:
        return None

    def close(self) -> None:
        fd, self._fd = self._fd, None
        self._device = False
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass


class SimPrinter(Escpos):
    """A simulated printer (``sim://DIR``): each job's exact bytes and its picture, one pair per job.

    A file ``DIR/status`` holding ``low``, ``out``, ``offline`` or ``silent`` makes it answer status
    queries like a printer in that condition (for the demo and for drills).
    """

    REPLIES = {"ok": (b"\x12", b"\x12"), "low": (b"\x12", b"\x1e"), "out": (b"\x1a", b"\x72"),
               "offline": (b"\x1a", b"\x12"), "silent": (b"", b"")}

    def __init__(self, directory: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(directory)
        self._job: bytearray | None = None
        self._last_query = b""

    def open(self, raise_not_found: bool = True) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.device = self.directory

    def _raw(self, msg: bytes) -> None:
        if self._job is not None:
            self._job += msg
        else:
            self._last_query = bytes(msg)

    def _read(self) -> bytes:
        try:
            cond = (self.directory / "status").read_text(encoding="utf-8").strip() or "ok"
        except OSError:
            cond = "ok"
        online, paper = self.REPLIES.get(cond, self.REPLIES["ok"])
        return paper if self._last_query.endswith(b"\x10\x04\x04") else online

    def drain(self) -> None:
        return None

    def begin_job(self) -> None:
        self._job = bytearray()

    def end_job(self, name: str, preview) -> Path:
        data, self._job = bytes(self._job or b""), None
        base = self.directory / name
        atomic_write(base.with_suffix(".bin"), data, durable=False)  # a simulation: no fsync on the hot path
        if preview is not None:
            tmp = base.with_suffix(".png.tmp")
            preview.save(tmp, format="PNG")
            os.replace(tmp, base.with_suffix(".png"))
        return base.with_suffix(".bin")

    def close(self) -> None:
        self._device = False


def make_printer(target: Target, profile: str, timeout_s: float, read_timeout_s: float,
                 chunk: int) -> Escpos:
    """The python-escpos printer object for ``target`` (not yet opened)."""
    if target.scheme == "usb":
        return TimedUsb(target.vid, target.pid, timeout=int(timeout_s * 1000), in_ep=target.in_ep,
                        out_ep=target.out_ep, profile=profile, read_timeout_ms=int(read_timeout_s * 1000))
    if target.scheme == "serial":
        per_chunk = chunk * 10 / target.baudrate
        return TimedSerial(target.path, baudrate=target.baudrate, timeout=read_timeout_s,
                           dsrdtr=target.flow == "dsrdtr", xonxoff=target.flow == "xonxoff",
                           rtscts=target.flow == "rtscts", write_timeout=timeout_s + per_chunk,
                           profile=profile)
    if target.scheme == "tcp":
        return TimedNetwork(target.path, target.port, timeout=timeout_s, read_timeout=read_timeout_s,
                            profile=profile)
    if target.scheme == "file":
        return TimedFile(target.path, timeout=timeout_s, read_timeout=read_timeout_s, profile=profile)
    return SimPrinter(target.path, profile=profile)
