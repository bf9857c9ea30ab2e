"""The text messages sent to citizens, in Vietnamese, and how a phone number is shown.

Pure: the caller passes the office's name, the times (already in the office's time zone) and the
numbers. Every text starts with the office's name (a citizen must know who writes), names the
dossier or appointment code the citizen can look up, and never holds a name, a personal number or
an address (an SMS can be read over the shoulder, and the operator keeps it).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime

KINDS: dict[str, tuple[str, str]] = {
    "result_ready": ("Báo có kết quả", "Result ready"),
    "appointment_booked": ("Xác nhận lịch hẹn", "Appointment booked"),
    "appointment_reminder_day": ("Nhắc lịch hẹn (hôm trước)", "Appointment reminder (day before)"),
    "appointment_reminder_hour": ("Nhắc lịch hẹn (trước 1 giờ)", "Appointment reminder (hour before)"),
    "appointment_changed": ("Đổi lịch hẹn", "Appointment changed"),
    "appointment_cancelled": ("Hủy lịch hẹn", "Appointment cancelled"),
    "postal_handover": ("Gửi kết quả qua bưu chính", "Result posted"),
    "test": ("Tin nhắn thử", "Test message"),
}
STATES: dict[str, tuple[str, str]] = {
    "queued": ("Đang chờ gửi", "Queued"), "sending": ("Đang gửi", "Sending"), "sent": ("Đã gửi", "Sent"),
    "delivered": ("Đã đến máy", "Delivered"), "failed": ("Không gửi được", "Failed"),
    "expired": ("Quá hạn, bỏ", "Expired"), "cancelled": ("Đã hủy", "Cancelled"),
}
PHONE = re.compile(r"^(\+84|84|0)(3|5|7|8|9)[0-9]{8}$")   # ASCII digits: \d takes any script's


def clean_phone(value: str | None) -> str | None:
    """A Vietnamese mobile number as ``0xxxxxxxxx``, or ``None`` when ``value`` is not one
    (a landline cannot receive an SMS)."""
    if not value:
        return None
    digits = re.sub(r"[\s.\-()]", "", value)
    if not PHONE.match(digits):
        return None
    return "0" + digits[-9:]


def mask_phone(value: str | None) -> str:
    """``0912345678`` → ``091****678``: enough for the citizen to recognise, not to copy."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _when(at: datetime) -> str:
    return at.strftime("%H:%M ngày %d/%m/%Y")


def result_ready(office: str, code: str, counter: int | None) -> str:
    where = f"quầy {counter} " if counter else ""
    return _nfc(f"{office}: Hồ sơ {code} đã có kết quả. Mời ông/bà đến Bộ phận Một cửa {where}"
                "trong giờ làm việc để nhận.")


def appointment_booked(office: str, code: str, service: str, at: datetime) -> str:
    return _nfc(f"{office}: Đã đặt lịch {service} lúc {_when(at)}, mã {code}. "
                "Khi đến, nhập mã tại máy lấy số hoặc báo quầy.")


def appointment_reminder(office: str, code: str, service: str, at: datetime, now: datetime) -> str:
    day = "hôm nay" if at.date() == now.date() else ("ngày mai" if (at.date() - now.date()).days == 1 else "")
    when = f"{at:%H:%M} {day} ({at:%d/%m})" if day else _when(at)
    return _nfc(f"{office}: Nhắc lịch hẹn {service} lúc {when}, mã {code}. Đến trễ quá 15 phút sẽ lấy số thường.")


def appointment_changed(office: str, code: str, service: str, at: datetime) -> str:
    return _nfc(f"{office}: Lịch hẹn mã {code} ({service}) đã đổi sang {_when(at)}.")


def appointment_cancelled(office: str, code: str, at: datetime) -> str:
    return _nfc(f"{office}: Lịch hẹn mã {code} lúc {_when(at)} đã được hủy.")


def postal_handover(office: str, code: str, tracking: str) -> str:
    return _nfc(f"{office}: Kết quả hồ sơ {code} đã gửi qua bưu chính, số hiệu bưu gửi {tracking}.")


def test_message(office: str, at: datetime) -> str:
    return _nfc(f"{office}: Tin nhắn thử của hệ thống Một cửa lúc {at:%H:%M %d/%m/%Y}.")
