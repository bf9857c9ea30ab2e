"""One link to the printer: open, send a job in bounded chunks, ask its status, close.

Every failure becomes :class:`PrinterUnavailable` with a Vietnamese reason; the caller (the worker)
closes, backs off and reopens, which is how an unplugged and replugged printer comes back.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER

from appliance.errors import PrinterError

from .connectors import SimPrinter, make_printer, parse_url
from .status import Reading, parse_online, parse_paper

log = logging.getLogger(__name__)
CHUNK = 1024


class PrinterUnavailable(PrinterError):
    """The printer cannot be reached or stopped answering; ``str()`` is Vietnamese."""


def _reason(exc: BaseException) -> str:
    name = type(exc).__name__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, TimeoutError) or "timeout" in name.lower() or "timed out" in text.lower():
        return "máy in không nhận dữ liệu trong thời gian chờ"
    if "DeviceNotFound" in name or isinstance(exc, FileNotFoundError):
        return "không tìm thấy máy in (chưa cắm, chưa bật hoặc sai địa chỉ)"
    if isinstance(exc, PermissionError) or "Access denied" in text or "Permission denied" in text:
        return "không có quyền dùng thiết bị (thiếu quy tắc udev hoặc nhóm lp/dialout)"
    if "Resource busy" in text:
        return "thiết bị đang bị chương trình khác giữ"
    if name == "SerialException" or "No such device" in text or getattr(exc, "errno", None) in (5, 19):
        return "thiết bị đã bị rút ra hoặc tắt nguồn"
    if isinstance(exc, ConnectionError):
        return "kết nối tới máy in bị ngắt"
    return f"lỗi thiết bị ({name}: {text[:80]})" if text else f"lỗi thiết bị ({name})"


class Connection:
    def __init__(self, url: str, profile: str, timeout_s: float, status_timeout_s: float):
        self.target = parse_url(url)
        self.describe = self.target.describe()
        self._make: Callable = lambda: make_printer(self.target, profile, timeout_s, status_timeout_s, CHUNK)
        self.printer: Any = None  # a python-escpos printer (untyped) while open

    @property
    def is_open(self) -> bool:
        return self.printer is not None

    def open(self) -> None:
        if self.printer is not None:
            return
        printer = self._make()
        try:
            printer.open()
        except Exception as exc:
            printer.close()
            raise PrinterUnavailable(_reason(exc)) from exc
        self.printer = printer

    def close(self) -> None:
        printer, self.printer = self.printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:
                log.debug("closing the printer failed", exc_info=True)

    def send(self, data: bytes, name: str = "", preview: Callable | None = None) -> None:
        """Hand ``data`` to the device in chunks of :data:`CHUNK` bytes, each write with its timeout."""
        self.open()
        printer = self.printer
        sim = isinstance(printer, SimPrinter)
        try:
            if sim:
                printer.begin_job()
            for start in range(0, len(data), CHUNK):
                printer._raw(data[start:start + CHUNK])
            if sim:
                printer.end_job(name, preview() if preview else None)
        except Exception as exc:
            self.close()
            raise PrinterUnavailable(_reason(exc)) from exc

    def query(self) -> Reading:
        """DLE EOT 1 and 4. A printer that stays silent gives ``Reading(None, 'unknown')``."""
        self.open()
        printer = self.printer
        if not getattr(printer, "can_query", True):
            return Reading(None, "unknown")   # e.g. a plain file: nothing could ever answer
        try:
            printer.drain()
            online = parse_online(printer.query_status(RT_STATUS_ONLINE))
            if online is None:
                return Reading(None, "unknown")
            paper = parse_paper(printer.query_status(RT_STATUS_PAPER))
            return Reading(online, paper)
        except NotImplementedError:
            return Reading(None, "unknown")
        except Exception as exc:
            self.close()
            raise PrinterUnavailable(_reason(exc)) from exc
