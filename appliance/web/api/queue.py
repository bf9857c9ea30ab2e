"""JSON API v1 (the ``api`` blueprint): tickets, counters, queue snapshot, pagers, ratings, health, events, OpenAPI."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from ...domain.amounts import ascii_digits
from ...domain.errors import DomainError, NotFound
from ...store import office_store, pager_store, queue_store
from ..auth import appliance, current_principal, login_name, require, signed_in
from ..edge import is_loopback
from ..streaming import event_stream_view, stream_response
from .body import body, field
from .openapi import openapi_document
from .sse import PRIVILEGED, TICKET_KEYS, event_spec

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def is_staff() -> bool:
    """Is the asker a person of the office (not a hall display, a kiosk or a mirror)?"""
    principal = current_principal()
    return principal is not None and principal.role in PRIVILEGED


def ticket_json(ticket) -> dict[str, Any] | None:
    """A ticket as the asker may see it: whole for staff; numbers only for a hall display or a kiosk
    (the allow-list of the event stream: no priority reason such as "phụ nữ có thai", no channel)."""
    if not ticket:
        return None
    data = ticket.as_json(appliance().tz)
    return data if is_staff() else {k: v for k, v in data.items() if k in TICKET_KEYS}


# --- tickets ------------------------------------------------------------------------------
@bp.post("/tickets")
@require("issue")
def issue_ticket():
    data = body()
    service = field(data, "service", str, required=True)
    priority = field(data, "priority", bool, default=False)
    reason = field(data, "priority_reason", str)
    pager = field(data, "pager", (int, str))
    if isinstance(pager, str) and pager != "auto":
        raise DomainError("invalid", "pager", detail=("thẻ rung phải là số nguyên hoặc 'auto'",
                                                            "the pager must be a whole number or 'auto'"))
    channel = "kiosk" if signed_in().role == "kiosk" else "api"
    issued = appliance().engine.issue(service, priority=priority, priority_reason=reason, pager=pager,
                                      channel=channel, user_login=login_name())
    return jsonify({**ticket_json(issued.ticket), "ahead": issued.ahead,
                    "estimated_wait_min": issued.estimated_wait_min}), 201


@bp.get("/tickets/<int:ticket_id>")
@require("view")
def get_ticket(ticket_id: int):
    ticket = queue_store.get_ticket(appliance().db, ticket_id)
    if ticket is None:
        raise NotFound("unknown_ticket", "ticket", ticket=ticket_id)
    return jsonify(ticket_json(ticket))


# --- counters -----------------------------------------------------------------------------
def _expected_ticket() -> int | None:
    return field(body(), "ticket", int)


@bp.post("/counters/<int:counter_id>/call-next")
@require("counter")
def call_next(counter_id: int):
    finish = field(body(), "finish_current", bool, default=False)
    ticket = appliance().engine.call_next(counter_id, finish_current=finish, user_login=login_name())
    return jsonify(ticket_json(ticket))


@bp.post("/counters/<int:counter_id>/recall")
@require("counter")
def recall(counter_id: int):
    return jsonify(ticket_json(appliance().engine.recall(counter_id, _expected_ticket())))


@bp.post("/counters/<int:counter_id>/serve")
@require("counter")
def serve(counter_id: int):
    return jsonify(ticket_json(appliance().engine.serve(counter_id, _expected_ticket())))


@bp.post("/counters/<int:counter_id>/done")
@require("counter")
def done(counter_id: int):
    return jsonify(ticket_json(appliance().engine.done(counter_id, _expected_ticket(), login_name())))


@bp.post("/counters/<int:counter_id>/no-show")
@require("counter")
def no_show(counter_id: int):
    return jsonify(ticket_json(appliance().engine.no_show(counter_id, _expected_ticket(), login_name())))


@bp.post("/counters/<int:counter_id>/transfer")
@require("counter")
def transfer(counter_id: int):
    data = body()
    to_service = field(data, "service", str)
    to_counter = field(data, "counter", int)
    if to_service is None and to_counter is None:
        raise DomainError("required", "service", name="service")
    ticket = appliance().engine.transfer(counter_id, to_service, to_counter, field(data, "ticket", int))
    return jsonify(ticket_json(ticket))


@bp.get("/counters/<int:counter_id>/waiting")
@require("view")
def counter_waiting(counter_id: int):
    app_ = appliance()
    counter = queue_store.counter(app_.db, counter_id)
    if counter is None:
        raise NotFound("unknown_counter", "counter", counter=counter_id)
    tickets = queue_store.waiting_list(app_.db, app_.today(), counter.service_ids)
    return jsonify({"counter_id": counter_id, "waiting": [ticket_json(t) for t in tickets]})


@bp.post("/counters/<int:counter_id>/ratings")
@require("issue")
def rate(counter_id: int):
    level = field(body(), "level", str, required=True)
    rating_id = appliance().engine.rate(counter_id, level, source="api")
    return jsonify({"id": rating_id, "counter_id": counter_id, "level": level}), 201


# --- queue, services, counters, pagers ---------------------------------------------------
@bp.get("/queue")
@require("view")
def queue():
    app_ = appliance()
    snap = queue_store.snapshot(app_.db, app_.today())
    for counter in snap["counters"]:
        counter["ticket"] = ticket_json(counter["ticket"])
    snap["recent"] = [ticket_json(t) for t in snap["recent"]]
    snap["day"] = app_.today()
    return jsonify(snap)


@bp.get("/services")
@require("view")
def services():
    rows = office_store.list_services(appliance().db.conn())
    return jsonify([{"code": r["code"], "name": r["name"], "name_en": r["name_en"], "prefix": r["prefix"],
                     "range_start": r["range_start"], "range_end": r["range_end"],
                     "active": bool(r["active"])} for r in rows])


@bp.get("/counters")
@require("view")
def counters():
    return jsonify(office_store.list_counters(appliance().db.conn()))


@bp.get("/pagers")
@require("view")
def pagers():
    rows = pager_store.list_pagers(appliance().db.conn())
    staff = is_staff()
    return jsonify([{"number": r["number"], "state": r["state"], "ticket": r["ticket_number"],
                     "dossier_code": r["dossier_code"] if staff else None} for r in rows])


@bp.get("/pagers/pool")
@require("view")
def pager_pool():
    """The pool before the officer starts: free / in use / lost of the total, the pager the next
    dossier gets (``null``: none free, it is received all the same and called on the display), and
    the ready results now called on the hall display for want of a pager (numbers only)."""
    from ...services.pagers import pool_status
    from ...services.reminders import day_start
    from ...store import dossier_store
    app_ = appliance()
    with app_.db.read() as conn:
        out = pool_status(conn, app_.settings.queue.pager_pool, app_.today())
        staff = is_staff()
        out["calling"] = [{"number": r["day_seq"], "day": r["day"], "ticket_number": r["ticket_number"],
                           "counter_id": r["counter_id"], "dossier_code": r["code"] if staff else None}
                          for r in dossier_store.ready_without_pager(conn, day_start(app_.clock(), app_.tz))]
    return jsonify(out)


@bp.post("/pagers/<int:number>/return")
@require("issue")
def return_pager(number: int):
    """Handed back at the desk; one an open dossier holds is refused (409) unless
    ``{"detach": true}`` detaches it (audited)."""
    detach = field(body(), "detach", bool, default=False)
    returned = appliance().engine.return_pager(number, detach=detach, user_login=login_name())
    out: dict[str, Any] = {"number": number, "state": "free"}
    if returned.detached_from is not None:
        out["detached_from"] = returned.detached_from
    return jsonify(out)


@bp.post("/pagers/<int:number>/lost")
@require("counter")
def lose_pager(number: int):
    appliance().engine.mark_pager_lost(number, user_login=login_name())
    return jsonify({"number": number, "state": "lost"})


# --- health, events, OpenAPI -------------------------------------------------------------
@bp.get("/health")
def health():
    """Whole for any token or login and for the appliance itself (loopback: ``motcua doctor``, the
    watchdog, the kiosk on the Pi); anyone else on the LAN learns only "up" or "down"."""
    report = appliance().health()
    status = 503 if report["database"]["state"] == "error" else 200
    if current_principal() is None and not is_loopback(request.remote_addr):
        return jsonify({"status": "down" if status == 503 else "up"}), status
    return jsonify(report), status



@bp.get("/events")
@event_stream_view
@require("view")
def events():
    last = request.headers.get("Last-Event-ID") or request.args.get("last_event_id")
    last_id = int(last) if last and ascii_digits(last) else None
    return stream_response(event_spec(appliance().bus, last_id, current_principal().role))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
