"""``sim://DIR``: a recording fake transmitter for the demo and the devices page.

Each page becomes one JSON line in ``DIR/pages.jsonl`` (time, protocol, pager, the exact bytes
in hex, or the exact pulse frame and its repeat count); the byte stream a serial transmitter
would have received is appended to ``DIR/pager.bin``. The log is rotated past 1 MB.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path

from .frames import PagerError, Reply, Transmission
from .transport import Transport

MAX_LOG_BYTES = 1_000_000
CONTROL_NAMES = {0x01: "SOH", 0x02: "STX", 0x03: "ETX", 0x04: "EOT", 0x06: "ACK", 0x0A: "LF", 0x0D: "CR",
                 0x15: "NAK"}


def printable(data: bytes) -> str:
    """``b"\x013,1,145678\x04"`` → ``"<SOH>3,1,145678<EOT>"`` (other bytes as ``<FF>``)."""
    return "".join(chr(b) if 32 <= b < 127 else f"<{CONTROL_NAMES.get(b, f'{b:02X}')}>" for b in data)


class SimTransport(Transport):
    kind = "any"

    def __init__(self, directory: str | os.PathLike, url: str | None = None):
        self.directory = Path(directory)
        self.url = url or f"sim://{directory}"
        self._lock = threading.Lock()

    @property
    def log_path(self) -> Path:
        return self.directory / "pages.jsonl"

    @property
    def bin_path(self) -> Path:
        return self.directory / "pager.bin"

    def open(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PagerError(f"Không tạo được thư mục mô phỏng {self.directory}: {exc.strerror}",
                             retryable=False) from exc

    def send(self, tx: Transmission) -> Reply:
        self.open()
        record = {
            "at": dt.datetime.now().astimezone().isoformat(timespec="milliseconds"),
            "protocol": tx.protocol,
            "pager": tx.pager,
            "bytes": tx.data.hex() if tx.data else None,
            "text": printable(tx.data) if tx.data else None,
            "frame": [list(p) for p in tx.frame] if tx.frame else None,
            "repeats": tx.repeats if tx.frame else None,
            "duration_us": tx.duration_us if tx.frame else None,
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            try:
                if self.log_path.exists() and self.log_path.stat().st_size > MAX_LOG_BYTES:
                    os.replace(self.log_path, self.log_path.with_suffix(".jsonl.1"))
                with open(self.log_path, "a", encoding="utf-8") as fh:
                    fh.write(line)
                if tx.data:
                    with open(self.bin_path, "ab") as fh:
                        fh.write(tx.data)
            except OSError as exc:
                raise PagerError(f"Không ghi được nhật ký mô phỏng {self.log_path}: {exc.strerror}") from exc
        return Reply("sent", f"Đã ghi lại (mô phỏng) thẻ rung số {tx.pager}")

    def records(self) -> list[dict]:
        """Pages recorded so far, oldest first (for the devices page and tests)."""
        if not self.log_path.exists():
            return []
        with open(self.log_path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def close(self) -> None:
        return None
