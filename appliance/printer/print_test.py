"""``motcua print-test``: print a sample ticket and say, in Vietnamese, how it went."""
from __future__ import annotations

import time
from zoneinfo import ZoneInfo

from appliance.config import ConfigError, Settings

from .service import PrinterService
from .slip import sample_slip

BAUD_RATES = (9600, 115200)


def seconds_on_wire(nbytes: int, baud: int) -> float:
    """8N1: ten bits per byte."""
    return nbytes * 10 / baud


def panel_url(settings: Settings) -> str:
    """The panel's address as the office's phones reach it (``motcua.local``, the appliance's mDNS name)."""
    port = settings.web.port
    return "http://motcua.local" + ("" if port == 80 else f":{port}")


def print_test(settings: Settings, wait_s: float | None = None) -> tuple[bool, str]:
    """Print a sample ticket; return (ok, report). Never raises for a printer problem."""
    if not settings.printer.url:
        return False, ("Chưa cấu hình máy in: đặt [printer].url (ví dụ usb://0416:5011, "
                       "serial:///dev/ttyUSB0?baudrate=9600, tcp://192.0.2.10:9100 hoặc sim://var/devices/printer)")
    try:
        service = PrinterService(settings.printer)
    except ConfigError as exc:
        return False, str(exc)
    service.start()
    try:
        job_id = service.submit(sample_slip(settings.office.name, tz=ZoneInfo(settings.office.timezone),
                                            base_url=panel_url(settings)))
        limit = time.monotonic() + (wait_s if wait_s is not None
                                    else service.options.retry_s + settings.printer.timeout_s * 2 + 5)
        job = service.job(job_id) or {}
        while job.get("state") in ("queued", "printing") and time.monotonic() < limit:
            time.sleep(0.05)
            job = service.job(job_id) or {}
        status = service.status()
    finally:
        service.stop()
    lines = []
    ok = job.get("state") == "printed"
    if ok:
        kb = job["bytes"] / 1024
        wire = ", ".join(f"{seconds_on_wire(job['bytes'], b):.1f} giây ở {b} baud" for b in BAUD_RATES)
        sent = f"Đã gửi phiếu in thử {job['number']} tới {service.device}: {kb:.1f} KB ({wire})"
        lines.append(sent.replace(".", ",") + ".")
    else:
        lines.append(job.get("error") or f"Chưa in được phiếu thử trên {service.device} (hết thời gian chờ).")
    paper = {"ok": "đủ giấy", "low": "giấy sắp hết", "out": "hết giấy", "unknown": "không rõ"}[status["paper"]]
    online = {True: "sẵn sàng", False: "đang ngừng", None: "không rõ"}[status["online"]]
    lines.append(f"Trạng thái: {status['message']} (máy in: {online}; giấy: {paper}).")
    return ok and status["state"] != "error", "\n".join(lines)
