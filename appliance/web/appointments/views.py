"""The appointment pages: thin views over :class:`appliance.services.appointments.AppointmentService`.

* ``/appointments?day=YYYY-MM-DD`` (officers): the day's slots with their free seats, the bookings
  (code, time, service, masked phone, how booked, state, ticket), and the forms an officer uses on
  the phone or at the counter: book, check in by code or phone, change, cancel.
* ``/appointments/slots`` (administrator): cut slots from the working calendar for a service (and
  optionally one counter), capacity per slot, offered on the hub's public page or not; remove an
  unused slot.

Every form posts back and redirects (PRG); a refusal is the domain's message in the reader's
language, with its HTTP status, never a 500.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...domain.errors import DomainError
from ...store import office_store
from ..auth import appliance, current_principal
from ..errors import http_status
from ..i18n import current_language
from ..login.access import page_requires

bp = Blueprint("appointments", __name__, url_prefix="/appointments")
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def service():
    return appliance().appointments


def user_name() -> str | None:
    principal = current_principal()
    return principal.name if principal else None


def today() -> date:
    return datetime.fromtimestamp(appliance().clock(), appliance().tz).date()


def bad(detail: tuple[str, str], field: str) -> DomainError:
    return DomainError("invalid", field, detail=detail)


def parse_day(text: str | None, default: date | None = None, field: str = "day") -> date:
    if not text and default is not None:
        return default
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise bad(("ngày phải có dạng YYYY-MM-DD", "a day is written YYYY-MM-DD"), field) from None


def parse_time(text: str | None, field: str) -> time:
    try:
        return time.fromisoformat((text or "").strip())
    except ValueError:
        raise bad(("giờ phải có dạng HH:MM", "a time is written HH:MM"), field) from None


def parse_int(text: str | None, field: str, lo: int, hi: int) -> int:
    try:
        value = int((text or "").strip())
    except ValueError:
        raise bad((f"cần một số từ {lo} đến {hi}", f"a number from {lo} to {hi}"), field) from None
    if not lo <= value <= hi:
        raise bad((f"cần một số từ {lo} đến {hi}", f"a number from {lo} to {hi}"), field)
    return value


def _services() -> list[dict[str, Any]]:
    return [dict(r) for r in office_store.list_services(appliance().db.conn()) if r["active"]]


def _counters() -> list[dict[str, Any]]:
    return [c for c in office_store.list_counters(appliance().db.conn())]


@bp.app_template_filter("hhmm")
def hhmm(ts: float | None) -> str:
    """A timestamp as the office's HH:MM (an appointment ticket's booked time on the console)."""
    return datetime.fromtimestamp(ts, appliance().tz).strftime("%H:%M") if ts else ""


# --- the officer's day -------------------------------------------------------------------------
def _day_page(day: date, error: str | None = None, status: int = 200, form: dict | None = None):
    lang = current_language()
    service().mark_no_shows()
    view = service().day(day, lang)
    bookable = service().open_slots(today(), appliance().settings.appointments.days_ahead, lang=lang)
    return render_template("appointments/day.html", view=view, day=day, today=today(), bookable=bookable,
                           prev_day=day - timedelta(days=1), next_day=day + timedelta(days=1),
                           error=error, form=form or {}), status


@bp.get("")
@page_requires("counter")
def day_page():
    try:
        day = parse_day(request.args.get("day"), today())
    except DomainError as exc:
        return _day_page(today(), exc.message(current_language()), http_status(exc))
    return _day_page(day)


def _back(day: date | None = None):
    return redirect(url_for("appointments.day_page", day=(day or today()).isoformat()))


def _refused(exc: DomainError):
    try:
        day = parse_day(request.form.get("day"), today())
    except DomainError:
        day = today()
    return _day_page(day, exc.message(current_language()), http_status(exc), dict(request.form))


@bp.post("/book")
@page_requires("counter")
def book():
    try:
        slot_id = parse_int(request.form.get("slot"), "slot", 1, 2**62)
        booked = service().book(slot_id, request.form.get("phone"), "phone", user=user_name(),
                                note=request.form.get("note", "")[:300])
    except DomainError as exc:
        return _refused(exc)
    flash(_("Đã đặt lịch %(time)s ngày %(day)s, mã %(code)s. Hãy đọc mã cho người gọi; tin nhắn xác nhận "
            "được gửi tới %(phone)s.", time=booked["time"], day=booked["day"], code=booked["code"],
            phone=booked["phone"]), "success")
    return _back(date.fromisoformat(booked["day"]))


@bp.post("/check-in")
@page_requires("counter")
def check_in():
    try:
        done = service().check_in(code=request.form.get("code"), phone=request.form.get("phone"),
                                  channel="counter", user=user_name())
    except DomainError as exc:
        return _refused(exc)
    if done.late:
        flash(_("Lịch hẹn %(code)s: đến trễ, đã cấp số thường %(n)s.", code=done.appointment["code"],
                n=done.issued.ticket.number), "warning")
    else:
        flash(_("Lịch hẹn %(code)s: đã cấp số %(n)s, được gọi lúc %(time)s.", code=done.appointment["code"],
                n=done.issued.ticket.number, time=done.appointment["time"]), "success")
    return _back()


@bp.post("/<code>/cancel")
@page_requires("counter")
def cancel(code: str):
    try:
        done = service().cancel(code, user=user_name())
    except DomainError as exc:
        return _refused(exc)
    flash(_("Đã hủy lịch hẹn %(code)s.", code=done["code"]), "success")
    return _back(date.fromisoformat(done["day"]))


@bp.post("/<code>/change")
@page_requires("counter")
def change(code: str):
    try:
        slot_id = parse_int(request.form.get("slot"), "slot", 1, 2**62)
        done = service().change(code, slot_id, user=user_name())
    except DomainError as exc:
        return _refused(exc)
    flash(_("Đã đổi lịch hẹn %(code)s sang %(time)s ngày %(day)s.", code=done["code"], time=done["time"],
            day=done["day"]), "success")
    return _back(date.fromisoformat(done["day"]))


# --- the administrator's slots -----------------------------------------------------------------
def _slots_page(error: str | None = None, status: int = 200, form: dict | None = None):
    from ..admin.blueprint import SECTIONS
    lang = current_language()
    first = today()
    days = []
    for offset in range(14):
        day = first + timedelta(days=offset)
        slots = service().day(day, lang)["slots"]
        if slots:
            days.append((day, slots))
    defaults = {"first": first.isoformat(), "last": (first + timedelta(days=13)).isoformat(), "start": "08:00",
                "end": "11:00", "minutes": "30", "capacity": "2", "weekdays": list(WEEKDAY_KEYS[:5])}
    return render_template("appointments/slots.html", days=days, services=_services(), counters=_counters(),
                           form={**defaults, **(form or {})}, error=error, weekday_keys=WEEKDAY_KEYS,
                           online_possible=bool(appliance().settings.sync.url.strip()),
                           online_close=appliance().settings.appointments.online_close_min,
                           admin_sections=[(e, str(label)) for e, label in SECTIONS]), status


@bp.get("/slots")
@page_requires("admin")
def slots():
    return _slots_page()


@bp.post("/slots")
@page_requires("admin")
def create_slots():
    f = request.form
    form = {**f.to_dict(), "weekdays": f.getlist("weekdays")}
    try:
        counter_text = f.get("counter", "").strip()
        counter_id = parse_int(counter_text, "counter", 1, 999) if counter_text else None
        weekdays = [WEEKDAY_KEYS.index(d) for d in f.getlist("weekdays") if d in WEEKDAY_KEYS]
        if not weekdays:
            raise bad(("chọn ít nhất một thứ trong tuần", "choose at least one weekday"), "weekdays")
        made = service().create_slots(
            f.get("service", ""), counter_id, parse_day(f.get("first"), field="first"),
            parse_day(f.get("last"), field="last"), parse_time(f.get("start"), "start"),
            parse_time(f.get("end"), "end"), parse_int(f.get("minutes"), "minutes", 5, 240),
            parse_int(f.get("capacity"), "capacity", 1, 50), online=f.get("online") == "1", weekdays=weekdays,
            user=user_name())
    except DomainError as exc:
        return _slots_page(exc.message(current_language()), http_status(exc), form)
    if made:
        flash(_("Đã tạo %(n)s khung giờ hẹn (chỉ trong giờ làm việc, bỏ ngày nghỉ và giờ nghỉ trưa).", n=made),
              "success")
    else:
        flash(_("Không có khung giờ mới: các khung này đã có, hoặc rơi vào ngày nghỉ, giờ nghỉ hay đã qua."),
              "warning")
    return redirect(url_for("appointments.slots"))


@bp.post("/slots/<int:slot_id>/delete")
@page_requires("admin")
def delete_slot(slot_id: int):
    try:
        service().delete_slot(slot_id, user=user_name())
    except DomainError as exc:
        return _slots_page(exc.message(current_language()), http_status(exc))
    flash(_("Đã xóa khung giờ."), "success")
    return redirect(url_for("appointments.slots"))
