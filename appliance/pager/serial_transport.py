"""Serial transmitters through pyserial: a device path, ``socket://host:port`` or ``loop://``.

The port is opened lazily and reopened after a failure (unplug, EIO); point the URL at a stable
``/dev/serial/by-id/…`` path so a replugged adapter is found again under the same name.
"""
from __future__ import annotations

import errno
import logging
import os
import termios
import time
from typing import Any

import serial

from .frames import PagerError, Reply, ReplyReader, Transmission
from .transport import Transport

# What a serial link raises when its device goes away mid-use: pyserial's own error, the OS's, and
# termios.error (not an OSError) from tcflush/tcsetattr on a port whose USB device was unplugged.
LINK_ERRORS = (serial.SerialException, OSError, termios.error)

log = logging.getLogger(__name__)


def _is_device_path(target: str) -> bool:
    return "://" not in target


def explain(exc: BaseException, target: str) -> str:
    """A Vietnamese sentence for a pyserial/OS error."""
    text = str(exc)
    code = getattr(exc, "errno", None)
    if code == errno.ENOENT or "No such file" in text:
        return (f"Không thấy bộ phát thẻ rung ở {target}: kiểm tra cáp USB và đường dẫn "
                "(nên dùng /dev/serial/by-id/…)")
    if code in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return f"Không có quyền mở {target}: thêm người dùng dịch vụ vào nhóm dialout"
    if code == errno.EBUSY or "exclusively lock" in text or "busy" in text.lower():
        return (f"Cổng {target} đang được chương trình khác dùng (có thể dịch vụ motcua đang chạy): "
                "hãy gọi thẻ từ bảng điều khiển")
    if "timeout" in text.lower():
        return f"Bộ phát thẻ rung ở {target} không nhận dữ liệu (hết thời gian ghi; kiểm tra dây CTS/rtscts)"
    return f"Mất kết nối với bộ phát thẻ rung ở {target}: {text}"


def serial_candidates(by_id_dir: str = "/dev/serial/by-id") -> list[dict]:
    """Serial devices to offer in the admin page, stable names first:
    ``[{"url": "serial:///dev/serial/by-id/…", "device": "/dev/ttyUSB0", "description": …}]``."""
    from serial.tools import list_ports  # noqa: PLC0415 - only when listing

    info = {p.device: p for p in list_ports.comports()}
    out, seen = [], set()
    if os.path.isdir(by_id_dir):
        for name in sorted(os.listdir(by_id_dir)):
            link = os.path.join(by_id_dir, name)
            device = os.path.realpath(link)
            port = info.get(device)
            out.append({"url": "serial://" + link, "device": device,
                        "description": port.description if port else name})
            seen.add(device)
    for device, port in sorted(info.items()):
        if device not in seen:
            out.append({"url": "serial://" + device, "device": device, "description": port.description})
    return out


class SerialTransport(Transport):
    kind = "bytes"

    def __init__(self, target: str, baudrate: int = 9600, rtscts: bool = False, write_timeout_s: float = 2.0,
                 url: str | None = None):
        self.target = target
        self.url = url or target
        self.baudrate = baudrate
        self.rtscts = rtscts
        self.write_timeout_s = write_timeout_s
        self._port: serial.Serial | None = None

    @property
    def port(self) -> serial.Serial | None:
        return self._port

    @property
    def is_open(self) -> bool:
        return self._port is not None and self._port.is_open

    def open(self) -> None:
        if self.is_open:
            return
        kwargs: dict[str, Any] = dict(baudrate=self.baudrate, rtscts=self.rtscts, timeout=0.02,
                                      write_timeout=self.write_timeout_s)
        if _is_device_path(self.target):
            kwargs["exclusive"] = True
        try:
            self._port = serial.serial_for_url(self.target, **kwargs)
        except (*LINK_ERRORS, ValueError) as exc:
            self._port = None
            raise PagerError(explain(exc, self.target)) from exc
        log.info("pager transmitter open: %s", self.target)

    def problem(self) -> str | None:
        """A reason the link is known to be down without writing to it (the device node is gone)."""
        if _is_device_path(self.target) and not os.path.exists(self.target):
            return explain(FileNotFoundError(errno.ENOENT, "No such file"), self.target)
        return None

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except LINK_ERRORS:
                pass

    def send(self, tx: Transmission) -> Reply:
        if not tx.data:
            raise PagerError(f"Giao thức {tx.protocol} cần bộ phát nối chân GPIO, không phải cổng nối tiếp",
                             retryable=False)
        self.open()
        port = self._port
        if port is None:
            raise PagerError(f"Chưa mở được cổng {self.target} của bộ phát")
        reader = tx.read_reply
        try:
            if reader is not None:
                port.reset_input_buffer()
            port.write(tx.data)
            if reader is None:
                return Reply("sent", f"Đã gửi {len(tx.data)} byte tới bộ phát")
            return self._await_reply(port, tx, reader)
        except LINK_ERRORS as exc:
            self.close()
            raise PagerError(explain(exc, self.target)) from exc

    def _await_reply(self, port: serial.Serial, tx: Transmission, reader: ReplyReader) -> Reply:
        buffer = b""
        deadline = time.monotonic() + tx.reply_timeout_s
        while time.monotonic() < deadline:
            chunk = port.read(max(1, port.in_waiting))
            if chunk:
                buffer += chunk
                reply = reader(buffer)
                if reply is not None:
                    return reply
        return Reply("no_reply", f"Bộ phát không trả lời sau {tx.reply_timeout_s:g} giây "
                                 f"(kiểm tra tốc độ baud {self.baudrate} và nguồn của bộ phát)", buffer)
