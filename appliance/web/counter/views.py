"""The counter console ``/counter/<n>``: the ticket at this counter, the buttons an officer uses
all day (each with a one-key shortcut), and who waits next, kept fresh over SSE.

Every button is a plain form (CSRF token, the ticket it was shown for) posted to
``/counter/<n>/<action>``; it works without JavaScript. ``counter.js`` submits the same forms with
``fetch`` and swaps in the returned HTML, and refreshes ``/counter/<n>/state`` when an event says
the queue changed. All actions go through the queue engine, like the GPIO buttons and the API.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...domain.amounts import ascii_digits
from ...domain.errors import DomainError, NotFound
from ...domain.queue import Ratio, Runs, Ticket, choose_with_appointments
from ...store import queue_store
from ..auth import appliance, current_principal, signed_in
from ..csrf import is_fetch
from ..errors import http_status
from ..i18n import current_language
from ..login.access import page_requires
from .ticket_dossiers import dossier_choices

bp = Blueprint("counter", __name__, url_prefix="/counter")

ACTIONS = ("call", "recall", "serve", "done", "no-show", "transfer", "open", "pause", "close", "undo")
DESK_ACTIONS = {"open": "open", "pause": "pause", "close": "close"}
WAITING_SHOWN = 30


def call_order(waiting: list[Ticket], ratio: Ratio, priority_run: int, normal_run: int,
               limit: int, now: float | None = None, appointment_run: int = 0, in_a_row: int = 2) -> list[Ticket]:
    """The order in which the engine would call these tickets now if nobody else arrived."""
    left = list(waiting)
    out: list[Ticket] = []
    runs = Runs(priority_run, normal_run, appointment_run)
    at = time.time() if now is None else now
    while left and len(out) < limit:
        chosen, runs = choose_with_appointments(left, ratio, runs, at, in_a_row)
        if chosen is None:
            break
        out.append(chosen)
        left.remove(chosen)
    return out


@dataclass
class CounterView:
    counter: object
    current: Ticket | None
    waiting: list[Ticket]
    waiting_total: int
    services: list[dict]
    transfer_services: list[dict]
    transfer_counters: list[dict]
    now: float
    labels: dict[str, str]
    dossier_menu: list = field(default_factory=list)     # procedures for "Nhập hồ sơ cho số này"
    ticket_work: dict = field(default_factory=dict)      # the current ticket's dossiers and drafts
    desk: dict = field(default_factory=dict)             # the officer's own counter: state, officers, undo
    pager_pool: dict = field(default_factory=dict)       # free / in use before the officer starts


def desk_view(counter_id: int) -> dict:
    """The counter's working state as the console shows it: open / "Tạm nghỉ" / closed, since when
    and by whom, the officers assigned to it, and the step that can still be undone."""
    from ...domain.counter_desk import STATE_LABELS
    from ...store import counter_store
    app_ = appliance()
    with app_.db.read() as conn:
        row = counter_store.state(conn, counter_id)
        logins = counter_store.officers_of(conn, counter_id)
        names = {r["login"]: r["full_name"] or r["login"] for r in counter_store.officer_choices(conn)}
        pending = counter_store.load_undo(conn, counter_id)
    if row is None:
        raise NotFound("unknown_counter", "counter", counter=counter_id)
    lang = 1 if current_language() == "en" else 0
    since = ""
    if row["state_ts"]:
        clock = datetime.fromtimestamp(row["state_ts"], app_.tz).strftime("%H:%M")
        who = names.get(row["state_by"] or "", row["state_by"] or "")
        since = (_("từ %(clock)s, %(name)s", clock=clock, name=who) if who
                 else _("từ %(clock)s", clock=clock))
    undo = None
    window = app_.engine.rules.undo_window_s
    if pending is not None and pending.seconds_left(app_.clock(), window) > 0:
        summary = pending.summary
        if pending.action == "no_show":
            what = _("Nhầm? Hoàn tác để số %(n)s quay lại quầy.", n=summary.get("absent"))
        elif pending.action == "call":
            what = _("Nhầm? Hoàn tác để số %(done)s quay lại quầy và số %(n)s trở lại hàng chờ.",
                     done=summary.get("finished"), n=summary.get("called"))
        else:
            what = _("Nhầm? Hoàn tác để số %(n)s quay lại quầy.", n=summary.get("finished"))
        undo = {"token": pending.token, "what": what, "left": int(pending.seconds_left(app_.clock(), window) + 0.999)}
    principal = current_principal()
    mine = principal is not None and principal.name in logins
    return {"state": row["state"], "label": STATE_LABELS[row["state"]][lang], "since": since,
            "officers": [names.get(login, login) for login in logins], "mine": mine,
            "may_open": not logins or mine or (principal is not None and principal.role == "admin"),
            "undo": undo}


def counter_view(counter_id: int) -> CounterView:
    app_ = appliance()
    snap = queue_store.counter_view(app_.db, counter_id, app_.today())
    if snap is None:
        raise NotFound("unknown_counter", "counter", counter=counter_id)
    counter, current, waiting = snap.counter, snap.current, snap.waiting
    services, counters = snap.services, snap.counters
    ordered = call_order(waiting, app_.engine.rules.ratio, counter.priority_run, counter.normal_run,
                         WAITING_SHOWN, app_.clock(), counter.appointment_run, app_.engine.rules.appointments_in_a_row)
    mine = [s for s in services if s["id"] in counter.service_ids]
    for s in mine:
        s["waiting"] = sum(1 for t in waiting if t.service_id == s["id"])
    transfer_services, transfer_counters = [], []
    if current is not None:
        transfer_services = [s for s in services if s["active"] and s["id"] != current.service_id]
        transfer_counters = [c for c in counters if c["active"] and c["state"] != "closed" and c["id"] != counter_id
                             and current.service_code in c["services"]]
    from ..home.views import service_label
    labels = {s["code"]: service_label(s) for s in services}
    view = CounterView(counter, current, ordered, len(waiting), mine, transfer_services,
                       transfer_counters, app_.clock(), labels)
    if current is not None:
        view.dossier_menu, view.ticket_work = dossier_choices(current)
    view.desk = desk_view(counter_id)
    view.pager_pool = pager_pool_status()
    return view


def pager_pool_status() -> dict:
    """The pager pool as the console and the dossier entry page show it."""
    from ...services.pagers import pool_status
    app_ = appliance()
    with app_.db.read() as conn:
        return pool_status(conn, app_.settings.queue.pager_pool, app_.today())


def minutes_since(ts: float | None, now: float) -> int:
    return max(0, int((now - ts) // 60)) if ts else 0


def called_text(called_ts: float | None, now: float) -> str:
    """When the number was called, as an officer says it: "Vừa gọi, lúc 08:42" in its first minute,
    then "Gọi lúc 08:42 (5 phút trước)", in the office's time."""
    if not called_ts:
        return ""
    clock = datetime.fromtimestamp(called_ts, appliance().tz).strftime("%H:%M")
    minutes = minutes_since(called_ts, now)
    if minutes < 1:
        return _("Vừa gọi, lúc %(clock)s", clock=clock)
    return _("Gọi lúc %(clock)s (%(n)s phút trước)", clock=clock, n=minutes)


def waited_text(issued_ts: float | None, called_ts: float | None) -> str:
    """How long the citizen waited for the call ("được gọi ngay" under a minute)."""
    minutes = int((called_ts - issued_ts) // 60) if called_ts and issued_ts else 0
    if minutes < 1:
        return _("được gọi ngay khi lấy số")
    return _("đã chờ %(n)s phút trước khi được gọi", n=minutes)


def _render_state(view: CounterView, notice: dict | None = None) -> str:
    return render_template("counter/_state.html", v=view, notice=notice, minutes_since=minutes_since,
                           called_text=called_text, waited_text=waited_text)


@bp.get("/")
@page_requires("counter")
def choose():
    """``/counter/``: straight to the officer's own counter when exactly one is assigned."""
    from ...store import counter_store
    with appliance().db.read() as conn:
        mine = counter_store.counters_of(conn, signed_in().name)
    if len(mine) == 1:
        return redirect(url_for("counter.console", counter_id=mine[0]))
    return redirect(url_for("home.index"))


@bp.get("/<int:counter_id>")
@page_requires("counter")
def console(counter_id: int):
    started = time.perf_counter()
    view = counter_view(counter_id)
    html = render_template("counter/console.html", v=view, state=_render_state(view),
                           principal=current_principal())
    return _timed(html, started)


def _timed(html: str, started: float):
    response = make_response(html)
    response.headers["Server-Timing"] = f"render;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


@bp.get("/<int:counter_id>/state")
@page_requires("counter")
def state(counter_id: int):
    return _render_state(counter_view(counter_id))


def _perform(counter_id: int, action: str) -> str:
    """Run one action through the engine; returns the message for the officer."""
    engine = appliance().engine
    principal = signed_in()
    login = principal.name
    ticket_id = request.form.get("ticket", type=int)
    if action in DESK_ACTIONS:
        engine.set_counter_state(counter_id, DESK_ACTIONS[action], user_login=login, role=principal.role)
        return {"open": _("Đã mở quầy. Bấm G để gọi số tiếp theo."),
                "pause": _("Quầy đang tạm nghỉ: màn hình sảnh hiện \"Tạm nghỉ\", quầy không được gọi số."),
                "close": _("Đã đóng quầy.")}[action]
    if action == "undo":
        record, restored = engine.undo(counter_id, request.form.get("token") or None, user_login=login)
        numbers = ", ".join(t.number for t in restored)
        if record.action == "call":
            return _("Đã hoàn tác: số %(done)s quay lại quầy, số %(called)s trở lại hàng chờ.",
                     done=record.summary.get("finished"), called=record.summary.get("called"))
        return _("Đã hoàn tác: số %(n)s quay lại quầy.", n=numbers)
    if action == "call":
        # one engine command: a ticket being served is finished and the next one called together
        step = engine.advance(counter_id, finish_current="serving", user_login=login)
        if step.called is None:
            return _("Đã xong số %(done)s. Không còn ai chờ ở các lĩnh vực của quầy.", done=step.finished.number)
        if step.finished is not None:
            return _("Đã xong số %(done)s; đã gọi số %(number)s.", done=step.finished.number,
                     number=step.called.number)
        return _("Đã gọi số %(number)s.", number=step.called.number)
    if action == "recall":
        ticket = engine.recall(counter_id, ticket_id)
        return _("Đã gọi lại số %(number)s (lần %(n)s).", number=ticket.number, n=ticket.recalls)
    if action == "serve":
        ticket = engine.serve(counter_id, ticket_id)
        return _("Bắt đầu phục vụ số %(number)s.", number=ticket.number)
    if action == "done":
        ticket = engine.done(counter_id, ticket_id, login)
        return _("Đã xong số %(number)s.", number=ticket.number)
    if action == "no-show":
        ticket = engine.no_show(counter_id, ticket_id, login)
        return _("Đã đánh dấu số %(number)s vắng mặt.", number=ticket.number)
    target = request.form.get("target", "")
    kind, _sep, value = target.partition(":")
    if kind == "service" and value:
        ticket = engine.transfer(counter_id, to_service=value, ticket_id=ticket_id)
        return _("Đã chuyển số %(number)s sang lĩnh vực %(service)s.", number=ticket.number,
                 service=ticket.service_name)
    if kind == "counter" and ascii_digits(value):
        ticket = engine.transfer(counter_id, to_counter=int(value), ticket_id=ticket_id)
        return _("Đã chuyển số %(number)s sang quầy %(counter)s.", number=ticket.number, counter=value)
    raise DomainError("invalid", "target", detail=_("hãy chọn nơi chuyển đến"))


@bp.post("/<int:counter_id>/<action>")
@page_requires("counter")
def act(counter_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    status = 200
    try:
        message, level = _perform(counter_id, action), "ok"
    except DomainError as exc:
        message, level, status = exc.message(current_language()), "error", http_status(exc)
    if is_fetch():
        return _render_state(counter_view(counter_id), {"level": level, "message": message}), status
    flash(message, level)
    return redirect(url_for("counter.console", counter_id=counter_id))
