"""``sim://DIR``: a recording modem for the demo and the devices page.

Each message becomes one JSON line in ``DIR/sms.jsonl`` (time, number, text, parts) and is
"delivered" at once: the next ``reports()`` returns its delivery report, so the panel shows the
whole path. The log is rotated past 1 MB.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import threading
from pathlib import Path

from . import pdu
from .transport import DeliveryReport, LinkState, Sent, SmsLinkError, SmsRejected, SmsTransport

MAX_LOG_BYTES = 1_000_000


class SimModem(SmsTransport):
    kind = "sim"
    delivery_reports = True

    def __init__(self, directory: str | os.PathLike, url: str | None = None):
        self.directory = Path(directory)
        self.url = url or f"sim://{directory}"
        self._lock = threading.Lock()
        self._refs = itertools.count(1)
        self._reports: list[DeliveryReport] = []

    @property
    def log_path(self) -> Path:
        return self.directory / "sms.jsonl"

    def open(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SmsLinkError(f"Không tạo được thư mục mô phỏng {self.directory}: {exc.strerror}",
                               f"Cannot create the simulated modem's folder {self.directory}") from exc

    def send(self, number: str, text: str) -> Sent:
        self.open()
        try:
            full = pdu.international(number)
        except ValueError:
            raise SmsRejected(f"Số điện thoại không hợp lệ: {number!r}", f"Not a phone number: {number!r}") from None
        parts = pdu.split_parts(text)
        refs = [str(next(self._refs)) for _ in parts]
        record = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), "number": full,
                  "text": text, "parts": len(parts), "refs": refs}
        with self._lock:
            try:
                if self.log_path.exists() and self.log_path.stat().st_size > MAX_LOG_BYTES:
                    os.replace(self.log_path, self.log_path.with_suffix(".jsonl.1"))
                with open(self.log_path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            except OSError as exc:
                raise SmsLinkError(f"Không ghi được nhật ký mô phỏng {self.log_path}: {exc.strerror}",
                                   f"Cannot write the simulated modem's log {self.log_path}") from exc
            self._reports.extend(DeliveryReport(r, "delivered", 0, "sim") for r in refs)
        return Sent(refs, len(parts), f"Đã ghi lại (mô phỏng) tin nhắn {len(parts)} phần")

    def link(self) -> LinkState:
        return LinkState(True, sim="ready", signal=20, network="home", operator="MÔ PHỎNG",
                         message=f"Modem mô phỏng: tin nhắn ghi vào {self.log_path}",
                         message_en=f"Simulated modem: messages are written to {self.log_path}")

    def reports(self) -> list[DeliveryReport]:
        with self._lock:
            out, self._reports = self._reports, []
        return out

    def records(self) -> list[dict]:
        if not self.log_path.exists():
            return []
        with open(self.log_path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
