"""Printer health from ``DLE EOT`` replies, in the words an officer can act on. Pure."""
from __future__ import annotations

from dataclasses import dataclass

DISABLED_MSG = "Chưa cấu hình máy in ([printer].url để trống): phiếu chỉ hiện trên màn hình"


@dataclass(frozen=True)
class Reading:
    """``online``: None when the printer did not answer; ``paper``: ok | low | out | unknown."""
    online: bool | None
    paper: str


def _valid(reply: bytes) -> bool:
    # Every DLE EOT answer has bit 1 and bit 4 set and bits 0 and 7 clear.
    return len(reply) >= 1 and reply[0] & 0x93 == 0x12


def parse_online(reply: bytes) -> bool | None:
    """DLE EOT 1: bit 3 set = offline. An empty or malformed reply is unknown (None), never 'ok'."""
    if not _valid(reply):
        return None
    return not reply[-1] & 0x08


def parse_paper(reply: bytes) -> str:
    """DLE EOT 4: bits 5–6 = paper end, bits 2–3 = near end."""
    if not _valid(reply):
        return "unknown"
    if reply[-1] & 0x60:
        return "out"
    if reply[-1] & 0x0C:
        return "low"
    return "ok"


def _condition(reading: Reading | None, link_error: str | None, job_error: str | None) -> tuple[str, str]:
    """(state, condition) in order of what the officer must fix first."""
    if link_error:
        return "error", "link"
    if reading is not None and reading.paper == "out":
        return "error", "paper_out"
    if reading is not None and reading.online is False:
        return "error", "offline"
    if job_error:
        return "error", "job"
    if reading is not None and reading.paper == "low":
        return "warning", "paper_low"
    if reading is None or reading.online is None:
        return "unknown", "silent"
    return "ok", "ready"


MESSAGES_EN = {
    "link": "Lost the connection to the printer. Check the cable, the power and the switch; "
            "the system reconnects by itself",
    "paper_out": "The printer is out of paper: put in a new roll, then reprint the ticket from this page",
    "offline": "The printer has stopped (cover open, out of paper or paper jam): check the printer",
    "job": "A ticket could not be printed (see the latest error); reprint it from this page",
    "paper_low": "The paper is running low: have a new roll ready",
    "silent": "The printer does not answer status queries (tickets are still sent; check the paper by eye)",
    "ready": "Printer ready",
}
DISABLED_MSG_EN = "No printer configured ([printer].url is empty): tickets are shown on screen only"
CONNECTING_MSG_EN = "Connecting to the printer…"


def health(reading: Reading | None, device: str, link_error: str | None = None,
           job_error: str | None = None) -> tuple[str, str]:
    """(state, Vietnamese message) for the ``device.status`` event and the panel."""
    state, condition = _condition(reading, link_error, job_error)
    if condition == "link":
        return state, (f"Mất kết nối {device}: {link_error}. Kiểm tra cáp, nguồn điện và nút bật; "
                       "hệ thống tự kết nối lại")
    if condition == "paper_out":
        return state, "Máy in hết giấy: thay cuộn giấy mới rồi in lại phiếu trong trang quản trị"
    if condition == "offline":
        return state, "Máy in đang ngừng (nắp mở, hết giấy hoặc kẹt giấy): kiểm tra máy in"
    if condition == "job":
        return state, job_error or ""
    if condition == "paper_low":
        return state, "Giấy in sắp hết: chuẩn bị thay cuộn mới"
    if condition == "silent":
        return state, (f"{device[0].upper()}{device[1:]} không trả lời hỏi trạng thái "
                       "(phiếu vẫn được gửi in; kiểm tra giấy bằng mắt)")
    return state, "Máy in sẵn sàng"


def health_en(reading: Reading | None, link_error: str | None = None, job_error: str | None = None) -> str:
    """The English message for the same health (the English admin pages)."""
    return MESSAGES_EN[_condition(reading, link_error, job_error)[1]]
