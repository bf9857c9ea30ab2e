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


def health(reading: Reading | None, device: str, link_error: str | None = None,
           job_error: str | None = None) -> tuple[str, str]:
    """(state, Vietnamese message) for the ``device.status`` event and the panel."""
    if link_error:
        return "error", (f"Mất kết nối {device}: {link_error}. Kiểm tra cáp, nguồn điện và nút bật; "
                         "hệ thống tự kết nối lại")
    if reading is not None and reading.paper == "out":
        return "error", "Máy in hết giấy: thay cuộn giấy mới rồi in lại phiếu trong trang quản trị"
    if reading is not None and reading.online is False:
        return "error", "Máy in đang ngừng (nắp mở, hết giấy hoặc kẹt giấy): kiểm tra máy in"
    if job_error:
        return "error", job_error
    if reading is not None and reading.paper == "low":
        return "warning", "Giấy in sắp hết: chuẩn bị thay cuộn mới"
    if reading is None or reading.online is None:
        return "unknown", (f"{device[0].upper()}{device[1:]} không trả lời hỏi trạng thái "
                           "(phiếu vẫn được gửi in; kiểm tra giấy bằng mắt)")
    return "ok", "Máy in sẵn sàng"
