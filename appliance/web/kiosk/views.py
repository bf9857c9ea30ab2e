"""The ticket kiosk ``/kiosk``: a touch screen where citizens take a number.

Large buttons, one per service, each naming the procedures it covers; then a second step, as large,
"no priority" or a priority group (``/kiosk/service/<code>``), which takes the number. Taking a
number calls the queue engine
(channel ``kiosk``); the printer prints it on the ``ticket.issued`` event, and the screen shows
the number, how many are ahead and the estimated wait, so a printer fault never loses anyone.

A citizen with an appointment checks in (``/kiosk/appointment``: the code or the phone) and gets a
ticket called at the booked time; ``/kiosk/appointment/book`` books a free slot later today.

Who may open it: a tablet paired as the kiosk (with no token it shows a pairing code and a QR
code; an administrator approves it in Quản trị → Màn hình, see :mod:`appliance.web.screens`), a
``kiosk`` token given once in the URL (``/kiosk?token=…``, kept in a cookie), or a logged-in
admin, officer or volunteer (a volunteer helping people in the hall).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...domain import dossier_form
from ...domain.errors import DomainError
from ...store import office_store
from ..auth import appliance, current_principal
from ..errors import http_status
from ..i18n import current_language
from ..login.access import accept_device_token, page_requires
from ..screens import pairing_page

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

# What is stored with a priority ticket (data, in Vietnamese) and what the button says.
PRIORITY_REASONS = [
    ("người cao tuổi", _l("Người cao tuổi")),
    ("người khuyết tật", _l("Người khuyết tật")),
    ("phụ nữ mang thai", _l("Phụ nữ mang thai")),
    ("người đi cùng trẻ nhỏ", _l("Người đi cùng trẻ dưới 6 tuổi")),
    ("người có công", _l("Người có công với cách mạng")),
]
RETURN_AFTER_S = 20
STEP_RETURN_AFTER_S = 45     # the priority step goes back to the start if nobody finishes it


def _services():
    return [dict(r) for r in office_store.list_services(appliance().db.conn()) if r["active"]]


def printer_state() -> str:
    """"ok", "error" (tell people to remember the number) or "none" (no printer configured)."""
    devices = appliance().devices
    if "printer" not in devices:
        return "none"
    status = devices.status().get("printer", {})
    return "error" if status.get("state") in ("error", "warning") else "ok"


def _login_page():
    """A tablet with no token shows its pairing code (staff may still log in from that page)."""
    if request.method == "GET":
        return pairing_page("/kiosk")
    return redirect(url_for("kiosk.start"))


@bp.get("")
def start():
    enrolled = accept_device_token(("kiosk",))
    if enrolled is not None:
        return enrolled
    return _start()


def covers() -> dict[str, list[str]]:
    """Service code → the names of the procedures it covers (shown on its button)."""
    try:
        catalog = appliance().dossiers.catalog
    except DomainError:
        return {}
    en = current_language() == "en"
    return {s["code"]: [(p.name_en or p.name) if en else p.name
                        for p in dossier_form.service_procedures(catalog, s["code"])] for s in _services()}


@page_requires("issue", anonymous=_login_page)
def _start(error: str | None = None, status: int = 200):
    return render_template("kiosk/start.html", services=_services(), covers=covers(),
                           error=error), status


@bp.get("/service/<code>")
@page_requires("issue", anonymous=_login_page)
def priority_step(code: str):
    """Step 2: the service is chosen; "no priority" or one of the priority groups, each a button as
    big as a service button, takes the number."""
    service = next((s for s in _services() if s["code"] == code), None)
    if service is None:
        return _start(_("Lĩnh vực này hiện không nhận số. Xin mời chọn lĩnh vực khác hoặc hỏi cán bộ."), 404)
    return render_template("kiosk/priority.html", service=service, reasons=PRIORITY_REASONS,
                           procedures=covers().get(code, []), return_after=STEP_RETURN_AFTER_S)


@bp.post("")
@page_requires("issue", anonymous=_login_page)
def issue():
    code = request.form.get("service", "")
    reason = request.form.get("priority", "")
    allowed = {value for value, _label in PRIORITY_REASONS}
    priority = reason in allowed
    principal = current_principal()
    try:
        issued = appliance().engine.issue(
            code, priority=priority, priority_reason=reason if priority else None, channel="kiosk",
            user_login=principal.name if principal.kind == "user" else None)
    except DomainError as exc:
        return _start(exc.message(current_language()), http_status(exc))
    services = {s["code"]: s for s in _services()}
    return render_template("kiosk/issued.html", ticket=issued.ticket, ahead=issued.ahead,
                           wait=issued.estimated_wait_min, service=services.get(issued.ticket.service_code),
                           printer=printer_state(), return_after=RETURN_AFTER_S), 201


# --- appointments: check in by code or phone; book for later today ------------------------------
def _appointment_page(error: str | None = None, status: int = 200, form: dict | None = None):
    return render_template("kiosk/appointment.html", error=error, form=form or {},
                           return_after=STEP_RETURN_AFTER_S), status


@bp.get("/appointment")
@page_requires("issue", anonymous=_login_page)
def appointment():
    """"Tôi có lịch hẹn": the 6-digit code (or the phone the booking was made with)."""
    return _appointment_page()


@bp.post("/appointment")
@page_requires("issue", anonymous=_login_page)
def appointment_check_in():
    principal = current_principal()
    try:
        done = appliance().appointments.check_in(
            code=request.form.get("code"), phone=request.form.get("phone"), channel="kiosk",
            user=principal.name if principal and principal.kind == "user" else None)
    except DomainError as exc:
        return _appointment_page(exc.message(current_language()), http_status(exc),
                                 {"code": request.form.get("code", "")[:12]})
    issued = done.issued
    services = {s["code"]: s for s in _services()}
    return render_template("kiosk/issued.html", ticket=issued.ticket, ahead=issued.ahead,
                           wait=issued.estimated_wait_min, service=services.get(issued.ticket.service_code),
                           printer=printer_state(), return_after=RETURN_AFTER_S,
                           appointment=done.appointment, late=done.late), 201


def _today_slots(service_code: str | None = None) -> list[dict]:
    app_ = appliance()
    today = datetime.fromtimestamp(app_.clock(), app_.tz).date()
    return app_.appointments.open_slots(today, 1, service_code, lang=current_language())


@bp.get("/appointment/book")
@page_requires("issue", anonymous=_login_page)
def appointment_slots():
    """"Hẹn giờ khác trong hôm nay": the free slots of the rest of today, by service."""
    slots = _today_slots()
    by_service: dict[str, list[dict]] = {}
    for s in slots:
        by_service.setdefault(s["service"], []).append(s)
    services = [s for s in _services() if s["code"] in by_service]
    return render_template("kiosk/appointment_slots.html", services=services, by_service=by_service,
                           return_after=STEP_RETURN_AFTER_S)


def _slot_or_none(slot_id: int) -> dict | None:
    return next((s for s in _today_slots() if s["id"] == slot_id), None)


@bp.get("/appointment/book/<int:slot_id>")
@page_requires("issue", anonymous=_login_page)
def appointment_phone(slot_id: int, error: str | None = None, status: int = 200) -> Any:
    slot = _slot_or_none(slot_id)
    if slot is None:
        return _appointment_page(_("Khung giờ này không còn chỗ. Xin mời chọn giờ khác."), 409)
    return render_template("kiosk/appointment_phone.html", slot=slot, error=error,
                           return_after=STEP_RETURN_AFTER_S), status


@bp.post("/appointment/book/<int:slot_id>")
@page_requires("issue", anonymous=_login_page)
def appointment_book(slot_id: int):
    principal = current_principal()
    try:
        booked = appliance().appointments.book(slot_id, request.form.get("phone"), "kiosk",
                                               user=principal.name if principal and principal.kind == "user" else None)
    except DomainError as exc:
        if _slot_or_none(slot_id) is None:
            return _appointment_page(exc.message(current_language()), http_status(exc))
        return appointment_phone(slot_id, exc.message(current_language()), http_status(exc))
    return render_template("kiosk/appointment_booked.html", booked=booked, return_after=RETURN_AFTER_S * 2), 201
