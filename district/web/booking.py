"""The public booking page ``/dat-lich`` (docs/appointments.md): a citizen books a guidance
appointment at their commune's one-stop office, no login.

``/dat-lich`` lists the communes offering slots, ``/dat-lich/<device>`` their open slots by day,
``POST /dat-lich/<device>/<slot>`` books one with a mobile number and shows the 6-digit code. The
appliance receives the booking at its next sync and texts the confirmation and the reminders. A
phone may hold at most ``MAX_OPEN`` open bookings in one commune (no hoarding of seats).
"""
from __future__ import annotations

from collections import OrderedDict

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from district.api.errors import http_status
from district.db.schema import appointment_bookings, appointment_slots
from district.domain.appointments import clean_phone, mask_phone
from district.domain.errors import Conflict, HubError
from district.hub import current
from district.store import appointments

bp = Blueprint("booking", __name__)
MAX_OPEN = 3


def _messages() -> dict[str, str]:
    return {
        "phone_required": _("Cần số điện thoại di động (ví dụ 0912345678) để nhận mã và tin nhắc."),
        "unknown_slot": _("Không có khung giờ này."),
        "slot_closed": _("Khung giờ này đã ngừng nhận đặt qua mạng; xin gọi điện cho bộ phận một cửa "
                         "hoặc chọn giờ khác."),
        "slot_full": _("Khung giờ này đã đủ người đặt; xin chọn giờ khác."),
        "too_many_bookings": _("Số điện thoại này đã có %(n)s lịch hẹn chưa đến ở xã này.", n=MAX_OPEN),
        "unknown_booking": _("Không tìm thấy lịch hẹn với mã và số điện thoại này."),
        "booking_closed": _("Lịch hẹn này đã xong hoặc đã hủy."),
    }


def _by_day(rows: list[dict]) -> OrderedDict:
    tz = current().settings.tz
    days: OrderedDict = OrderedDict()
    for r in rows:
        start = r["start_at"].astimezone(tz)
        days.setdefault(start.date(), []).append({**r, "time": f"{start:%H:%M}",
                                                  "end_time": f"{r['end_at'].astimezone(tz):%H:%M}"})
    return days


@bp.get("/dat-lich")
def communes():
    hub = current()
    with hub.engine.connect() as conn:
        rows = appointments.communes(conn, hub.now())
    return render_template("booking.html", communes=rows), 200, {"Cache-Control": "no-store"}


def _slots_page(device_id: str, error: str | None = None, status: int = 200, phone: str = ""):
    hub = current()
    with hub.engine.connect() as conn:
        name = appointments.commune_name(conn, device_id)
        if name is None:
            abort(404)
        rows = appointments.open_slots(conn, device_id, hub.now())
    return (render_template("booking_slots.html", device_id=device_id, commune=name, days=_by_day(rows),
                            error=error, phone=phone), status, {"Cache-Control": "no-store"})


@bp.get("/dat-lich/<device_id>")
def slots(device_id: str):
    return _slots_page(device_id)


@bp.post("/dat-lich/<device_id>/<int:slot_id>")
def book(device_id: str, slot_id: int):
    hub = current()
    phone = request.form.get("phone", "")[:30]
    now = hub.now()
    try:
        with hub.engine.begin() as conn:
            if appointments.commune_name(conn, device_id) is None:
                abort(404)
            number = clean_phone(phone)
            if number is not None:
                open_ = conn.execute(select(func.count()).select_from(
                    appointment_bookings.join(appointment_slots, and_(
                        appointment_slots.c.device_id == appointment_bookings.c.device_id,
                        appointment_slots.c.slot_id == appointment_bookings.c.slot_id)))
                    .where(and_(appointment_bookings.c.device_id == device_id, appointment_bookings.c.phone == number,
                                appointment_bookings.c.state == "booked", appointment_slots.c.start_at > now))
                ).scalar_one()
                if open_ >= MAX_OPEN:
                    raise Conflict("too_many_bookings", f"Số điện thoại này đã có {MAX_OPEN} lịch hẹn chưa đến ở "
                                   "xã này.", "phone")
            booked = appointments.book(conn, device_id, slot_id, phone, now)
            name = appointments.commune_name(conn, device_id)
    except HubError as exc:
        status = http_status(exc)
        return _slots_page(device_id, _messages().get(exc.code, str(exc)), status, phone)
    tz = hub.settings.tz
    start = booked["start_at"].astimezone(tz)
    return render_template("booking_done.html", booked=booked, commune=name, device_id=device_id,
                           day=start.date(), time=f"{start:%H:%M}",
                           phone=mask_phone(booked["phone"])), 201, {"Cache-Control": "no-store"}


@bp.get("/dat-lich/<device_id>/huy")
def cancel_form(device_id: str, error: str | None = None, status: int = 200, done: dict | None = None):
    hub = current()
    with hub.engine.connect() as conn:
        name = appointments.commune_name(conn, device_id)
    if name is None:
        abort(404)
    return (render_template("booking_cancel.html", device_id=device_id, commune=name, error=error, done=done),
            status, {"Cache-Control": "no-store"})


@bp.post("/dat-lich/<device_id>/huy")
def cancel(device_id: str):
    """The citizen cancels with the code and the phone; the seat is free again for the slot's owner."""
    hub = current()
    try:
        with hub.engine.begin() as conn:
            if appointments.commune_name(conn, device_id) is None:
                abort(404)
            done = appointments.cancel(conn, device_id, request.form.get("code", "")[:12],
                                       request.form.get("phone", "")[:30], hub.now())
    except HubError as exc:
        return cancel_form(device_id, _messages().get(exc.code, str(exc)), http_status(exc))
    start = done["start_at"].astimezone(hub.settings.tz) if done["start_at"] else None
    return cancel_form(device_id, done={**done, "when": f"{start:%H:%M %d/%m/%Y}" if start else ""})
