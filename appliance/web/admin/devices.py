"""Admin: the devices page (printer, pager, GPIO buttons, SMS modem) with a test for each, the ticket
preview, and the recent text messages (numbers masked, state).

Devices come from ``appliance.devices``; one that is absent was not configured and is shown as
such. Tests never block the request for long: the printer and the pager queue the job on their
own worker; a simulated button press (mock GPIO only) waits for that one press to be handled so
the page shows its result.

Devices report times as aware ISO strings (UTC); the page shows them in the office's time zone
(``appliance().tz``), as the audit page does, whatever zone the machine itself is set to. Each
status carries ``message`` (Vietnamese) and may carry ``message_en``; the page shows the one for
the reader's language.
"""
from __future__ import annotations

import io
from datetime import datetime

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _

from ...domain.amounts import ascii_digits
from ...domain.errors import Conflict, DomainError
from ...store import pager_store
from ..auth import appliance
from ..i18n import current_language
from .blueprint import bp
from .helpers import actor, audit, render_admin

PREVIEW_WIDTH_PX = 576  # an 80 mm printer, when none is configured
SMS_RECENT = 20         # text messages listed (numbers masked)


def _device(name: str):
    return appliance().devices.get(name)


@bp.app_template_filter("device_time")
def device_time(text: str | None, full: bool = False) -> str:
    """A device's ISO time (``2026-11-30T01:01:02+00:00``) in the office's zone: ``08:01:02``.

    ``full`` adds the date (``30/11/2026 08:01:02``). A time without a zone is shown as it is."""
    if not text:
        return "—"
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return str(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(appliance().tz)
    return moment.strftime("%d/%m/%Y %H:%M:%S" if full else "%H:%M:%S")


def _in_language(entry: dict, *keys: str) -> dict:
    """``entry`` with each ``key`` replaced by its ``key_en`` twin on the English pages."""
    if current_language() != "en":
        return entry
    return {**entry, **{key: entry[f"{key}_en"] for key in keys if entry.get(f"{key}_en")}}


def _status(device) -> dict:
    if device is None:
        return {"state": None, "message": _("Không cấu hình")}
    try:
        return _in_language(dict(device.status()), "message")
    except Exception as exc:  # a broken adapter must not break the page
        return {"state": "error", "message": _("Không đọc được trạng thái: %(why)s", why=exc)}


def _recent(device, limit: int = 10) -> list[dict]:
    try:
        entries = list(device.recent())[:limit] if device is not None else []
    except Exception:  # the status line already says what is wrong
        return []
    return [_in_language(dict(e), "reason", "result_text") for e in entries]


def _pager_pool() -> dict:
    counts = {"free": 0, "assigned": 0, "lost": 0}
    for row in pager_store.list_pagers(appliance().db.conn()):
        counts[row["state"]] = counts.get(row["state"], 0) + 1
    counts["size"] = appliance().settings.queue.pager_pool
    return counts


@bp.get("/devices")
def devices():
    return _devices_page()


def _devices_page(status: int = 200, detach_offer: dict | None = None):
    """The page; ``detach_offer`` (pager, dossier, message) asks to confirm detaching a pager."""
    registry = appliance().devices
    printer, pager, gpio = registry.get("printer"), registry.get("pager"), registry.get("gpio")
    gpio_status = _status(gpio)
    others = {name: _status(registry.get(name)) for name in registry.names()
              if name not in ("printer", "pager", "gpio", "sms")}
    sms_device = registry.get("sms")
    return render_admin(
        "admin/devices.html", status,
        detach_offer=detach_offer,
        printer=_status(printer), printer_jobs=_recent(printer),
        has_printer=printer is not None,
        pager=_status(pager), pager_recent=_recent(pager), has_pager=pager is not None,
        pool=_pager_pool(),
        gpio=gpio_status, has_gpio=gpio is not None,
        gpio_simulated=gpio_status.get("factory") == "MockFactory",
        sms=_status(sms_device), has_sms=sms_device is not None, sms_enabled=sms_enabled(),
        sms_list=_sms_listing(),
        others=others)


def _sms_listing() -> dict:
    """The recent messages, newest first, each time in the office's zone (numbers already masked)."""
    listing = appliance().messages.listing(SMS_RECENT, current_language())
    tz = appliance().tz
    for item in listing["items"]:
        last = item["delivered_ts"] or item["sent_ts"] or item["created_ts"]
        item["at"] = datetime.fromtimestamp(last, tz).strftime("%d/%m/%Y %H:%M:%S") if last else "—"
    return listing


def sms_enabled() -> bool:
    return bool(appliance().settings.sms.url.strip())


def _test_slip():
    """The sample ticket at the office's time now, its QR code opening this panel's public page."""
    from ...printer import sample_slip
    app_ = appliance()
    return sample_slip(app_.settings.office.name, datetime.fromtimestamp(app_.clock(), app_.tz),
                       base_url=request.host_url)


@bp.post("/devices/printer/test")
def printer_test():
    printer = _device("printer")
    if printer is None:
        flash(_("Chưa cấu hình máy in ([printer].url trong tệp cấu hình)."), "error")
        return redirect(url_for("admin.devices"))
    job = printer.submit(_test_slip())
    audit("printer.test", "device:printer", f"việc in {job}")
    flash(_("Đã gửi phiếu in thử (việc %(job)s). Xem kết quả ở danh sách bên dưới.", job=job), "ok")
    return redirect(url_for("admin.devices") + "#printer")


@bp.post("/devices/printer/reprint/<job_id>")
def printer_reprint(job_id: str):
    from ...printer import JobNotFound
    printer = _device("printer")
    if printer is None:
        flash(_("Chưa cấu hình máy in ([printer].url trong tệp cấu hình)."), "error")
        return redirect(url_for("admin.devices"))
    try:
        job = printer.reprint(job_id)
    except JobNotFound:
        flash(_("Không còn việc in %(job)s trong danh sách gần đây.", job=job_id), "error")
    else:
        audit("printer.reprint", "device:printer", f"in lại {job_id} → {job}")
        flash(_("Đã gửi in lại (việc %(job)s).", job=job), "ok")
    return redirect(url_for("admin.devices") + "#printer")


@bp.get("/devices/printer/preview.png")
def printer_preview():
    """The sample ticket as this printer lays it out (or as an 80 mm printer would)."""
    from ...printer import render_ticket
    slip = _test_slip()
    printer = _device("printer")
    image = printer.preview(slip) if printer is not None else render_ticket(slip, PREVIEW_WIDTH_PX)
    out = io.BytesIO()
    image.convert("L").save(out, "PNG", optimize=True)
    return Response(out.getvalue(), mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.post("/devices/pager/test")
def pager_test():
    pager = _device("pager")
    if pager is None:
        flash(_("Chưa cấu hình bộ phát thẻ rung ([pager].url trong tệp cấu hình)."), "error")
        return redirect(url_for("admin.devices"))
    text = request.form.get("number", "").strip()
    pool = appliance().settings.queue.pager_pool
    if not ascii_digits(text) or not 1 <= int(text) <= max(pool, 1):
        flash(_("Số thẻ rung phải từ 1 đến %(pool)s.", pool=max(pool, 1)), "error")
        return redirect(url_for("admin.devices") + "#pager")
    pager.page(int(text), "manual")
    audit("pager.test", "device:pager", f"thẻ rung số {text}")
    flash(_("Đã gửi lệnh rung thẻ số %(n)s; thẻ đó phải rung trong vài giây.", n=text), "ok")
    return redirect(url_for("admin.devices") + "#pager")


@bp.post("/devices/pager/return")
def pager_return():
    """A pager handed back at the desk. One that a dossier still holds is refused with the reason
    and an explicit "detach" button (the pager policy: ``appliance.services.pagers``)."""
    text = request.form.get("number", "").strip()
    pool = appliance().settings.queue.pager_pool
    if not ascii_digits(text) or not 1 <= int(text) <= max(pool, 1):
        flash(_("Số thẻ rung phải từ 1 đến %(pool)s.", pool=max(pool, 1)), "error")
        return redirect(url_for("admin.devices") + "#pager")
    number, detach = int(text), request.form.get("detach") == "1"
    try:
        returned = appliance().engine.return_pager(number, detach=detach, user_login=actor())
    except Conflict as exc:
        if exc.code != "pager_held_by_dossier":
            raise
        offer = {"pager": number, "dossier": exc.params["dossier"], "message": exc.message(current_language())}
        return _devices_page(409, offer)
    if returned.detached_from:
        flash(_("Đã tách thẻ rung số %(n)s khỏi hồ sơ %(code)s và thu lại; hồ sơ này sẽ không báo bằng thẻ rung "
                "nữa.", n=number, code=returned.detached_from), "ok")
    else:
        flash(_("Đã thu lại thẻ rung số %(n)s.", n=number), "ok")
    return redirect(url_for("admin.devices") + "#pager")


@bp.post("/devices/gpio/press")
def gpio_press():
    board = _device("gpio")
    name = request.form.get("button", "")
    hold = request.form.get("hold") == "1"
    if board is None:
        flash(_("Chưa cấu hình nút bấm GPIO."), "error")
        return redirect(url_for("admin.devices"))
    try:
        board.simulate_press(name, hold=hold)
    except DomainError as exc:
        flash(exc.message(current_language()), "error")
        return redirect(url_for("admin.devices") + "#gpio")
    result = next((b for b in board.status().get("buttons", []) if b["name"] == name), {})
    audit("gpio.test_press", f"button:{name}", ("giữ; " if hold else "") + (result.get("last_result") or ""))
    flash(_("Đã bấm thử nút “%(label)s”: %(result)s", label=result.get("label", name),
            result=result.get("last_result") or _("không có kết quả")), "ok")
    return redirect(url_for("admin.devices") + "#gpio")


@bp.post("/devices/sms/test")
def sms_test():
    """A test message to the number typed: queued like any other (the worker sends it)."""
    from ...domain.messages import clean_phone
    if not sms_enabled():
        flash(_("Chưa cấu hình gửi tin nhắn ([sms].url trong tệp cấu hình)."), "error")
        return redirect(url_for("admin.devices") + "#sms")
    phone = request.form.get("phone", "").strip()[:20]
    if clean_phone(phone) is None:
        flash(_("Số điện thoại di động không đúng, ví dụ 0912 345 678."), "error")
        return redirect(url_for("admin.devices") + "#sms")
    message_id = appliance().messages.test(phone, actor())
    flash(_("Đã xếp tin nhắn thử (số %(id)s) vào hàng đợi; trạng thái ở danh sách bên dưới.",
            id=message_id), "ok")
    return redirect(url_for("admin.devices") + "#sms")
