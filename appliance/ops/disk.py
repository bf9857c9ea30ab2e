"""The disk (SD card) as a watched device: ``ok``, ``warning`` (low space) or ``error`` (full).

:class:`DiskWatch` sits in the device registry under ``disk``, so ``/api/v1/health``, the admin
page and the fault lamp (``device.status`` events) say the card is full like they say the printer
is out of paper. Its state is read from the file system each time (``statvfs``, microseconds):

- ``error`` when less than ``[storage] full_space_mb`` is free, or a write has just failed for
  lack of space (:meth:`DiskWatch.write_failed`) and no space has been freed since;
- ``warning`` below ``[storage] low_space_mb``;
- ``ok`` otherwise: as soon as space is freed, the next write goes through (SQLite kept every
  committed transaction and rolled back the one that did not fit), with no restart.

A thread re-reads the state every few seconds to publish changes (the lamp, the admin page).
"""
from __future__ import annotations

import errno
import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

SQLITE_FULL = 13
MB = 2**20
FULL_MESSAGE = ("Thẻ nhớ đã đầy: máy không ghi được dữ liệu mới. Thao tác vừa rồi CHƯA được lưu. "
                "Hãy báo quản trị xoá bớt bản sao lưu cũ (đã chép ra ngoài) hoặc thay thẻ nhớ lớn hơn; "
                "máy tự hoạt động lại khi có chỗ trống, không cần khởi động lại.")
FULL_MESSAGE_EN = ("The SD card is full: nothing new can be saved and the last action was NOT saved. "
                   "Ask the administrator to delete old backups (copied elsewhere) or fit a larger card; "
                   "service resumes by itself once space is free, no restart needed.")


def is_disk_full(exc: BaseException) -> bool:
    """A write refused for lack of space: SQLite's SQLITE_FULL, or ENOSPC/EDQUOT from a file."""
    if isinstance(exc, sqlite3.OperationalError):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF == SQLITE_FULL
        return "disk is full" in str(exc).lower()
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def _mb(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


class DiskWatch:
    def __init__(self, folder: Path, low_space_mb: float, full_space_mb: float,
                 publish: Callable[[str, dict[str, Any]], Any] | None = None, interval_s: float = 5.0):
        self.folder = Path(folder)
        self.low_space_mb = low_space_mb
        self.full_space_mb = full_space_mb
        self.publish = publish
        self.interval_s = interval_s
        self._failed_at_free: int | None = None  # free bytes when a write last failed for space
        self._last_state: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- the device interface ---------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="motcua-disk", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def alive(self) -> bool:
        return self._thread is None or self._thread.is_alive()

    def status(self) -> dict[str, Any]:
        try:
            usage = shutil.disk_usage(self.folder)
        except OSError as exc:
            return {"state": "error", "message": f"Không đọc được dung lượng thẻ nhớ: {exc}",
                    "message_en": f"Cannot read the free space: {exc}"}
        free_mb = usage.free / MB
        with self._lock:
            if self._failed_at_free is not None and usage.free > self._failed_at_free + MB:
                self._failed_at_free = None  # space was freed since the failure
            failed = self._failed_at_free is not None
        where = f"còn trống {_mb(free_mb)} MB / {_mb(usage.total / MB)} MB"
        where_en = f"{_mb(free_mb)} MB free of {_mb(usage.total / MB)} MB"
        base = {"free_mb": round(free_mb, 1), "total_mb": round(usage.total / MB, 1),
                "low_space_mb": self.low_space_mb, "full_space_mb": self.full_space_mb}
        if failed or free_mb < self.full_space_mb:
            return {**base, "state": "error", "full": True, "message": f"{FULL_MESSAGE} ({where})",
                    "message_en": f"{FULL_MESSAGE_EN} ({where_en})"}
        if free_mb < self.low_space_mb:
            return {**base, "state": "warning", "full": False,
                    "message": f"Thẻ nhớ sắp đầy ({where}). Hãy chép bản sao lưu cũ ra ngoài rồi xoá bớt.",
                    "message_en": f"The SD card is nearly full ({where_en}). Copy old backups elsewhere "
                                  "and delete them."}
        return {**base, "state": "ok", "full": False, "message": f"Thẻ nhớ {where}",
                "message_en": f"SD card: {where_en}"}

    # --- what writers tell it ---------------------------------------------------------------
    def write_failed(self) -> None:
        """A write was just refused for lack of space: the alarm goes on now, not at the next check."""
        try:
            free = shutil.disk_usage(self.folder).free
        except OSError:
            free = 0
        if free < self.low_space_mb * MB:  # else space was freed since that write failed
            with self._lock:
                self._failed_at_free = free
        self.check()

    def check(self) -> dict[str, Any]:
        """Read the state; publish ``device.status`` when it changed."""
        status = self.status()
        if status["state"] != self._last_state:
            self._last_state = status["state"]
            if self.publish is not None:
                self.publish("device.status", {"device": "disk", "state": status["state"],
                                               "message": status["message"]})
        return status

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                self.check()
            except Exception:  # the watch must outlive any surprise
                pass
            self._stop.wait(self.interval_s)
