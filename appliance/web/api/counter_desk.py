"""JSON API for the officer's own counter (on the ``api`` blueprint): open, pause ("Tạm nghỉ"),
close, and undo the counter's last V, or G/X that closed its ticket. The rules are
``appliance.domain.counter_desk``; each command is one unit of work of the queue engine."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify

from ...domain.errors import NotFound
from ...store import counter_store
from ..auth import appliance, login_name, require, signed_in
from .body import body, field
from .openapi import extend, ref
from .queue import bp, ticket_json

COUNTER_ACTIONS = ("open", "pause", "close")


def counter_json(counter_id: int) -> dict[str, Any]:
    app_ = appliance()
    with app_.db.read() as conn:
        row = counter_store.state(conn, counter_id)
        officers = counter_store.officers_of(conn, counter_id)
        pending = counter_store.load_undo(conn, counter_id)
    if row is None:
        raise NotFound("unknown_counter", "counter", counter=counter_id)
    at = datetime.fromtimestamp(row["state_ts"], app_.tz).isoformat(timespec="seconds") if row["state_ts"] else None
    undo = None
    if pending is not None and pending.seconds_left(app_.clock(), app_.engine.rules.undo_window_s) > 0:
        undo = {"token": pending.token, "action": pending.action, "summary": dict(pending.summary),
                "seconds_left": round(pending.seconds_left(app_.clock(), app_.engine.rules.undo_window_s), 1)}
    return {"id": row["id"], "name": row["name"], "active": bool(row["active"]), "state": row["state"],
            "state_at": at, "state_by": row["state_by"], "officers": officers, "undo": undo}


def _change(counter_id: int, action: str):
    principal = signed_in()
    role = principal.role if principal.kind == "user" else "token"   # assignments are of people
    changed = appliance().engine.set_counter_state(counter_id, action, user_login=login_name(), role=role)
    return jsonify({**counter_json(counter_id), "previous": changed["previous"], "released": changed["released"]})


@bp.post("/counters/<int:counter_id>/open")
@require("counter")
def open_counter(counter_id: int):
    return _change(counter_id, "open")


@bp.post("/counters/<int:counter_id>/pause")
@require("counter")
def pause_counter(counter_id: int):
    return _change(counter_id, "pause")


@bp.post("/counters/<int:counter_id>/close")
@require("counter")
def close_counter(counter_id: int):
    return _change(counter_id, "close")


@bp.post("/counters/<int:counter_id>/undo")
@require("counter")
def undo(counter_id: int):
    token = field(body(), "token", str)
    record, restored = appliance().engine.undo(counter_id, token, user_login=login_name())
    return jsonify({"counter_id": counter_id, "action": record.action, "summary": dict(record.summary),
                    "tickets": [ticket_json(t) for t in restored]})


@bp.get("/counters/<int:counter_id>")
@require("view")
def get_counter(counter_id: int):
    data = counter_json(counter_id)
    if signed_in().role not in ("admin", "officer", "volunteer"):
        data = {k: v for k, v in data.items() if k in ("id", "name", "active", "state")}  # a hall screen
    return jsonify(data)


# --- the OpenAPI document -------------------------------------------------------------------
def _doc() -> None:
    from .openapi import COUNTER, _op, array, nullable
    state = {"enum": ["open", "paused", "closed"], "description": "open: đang mở; paused: tạm nghỉ; closed: đã đóng"}
    schemas = {"CounterState": {"type": "object", "required": ["id", "state"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "active": {"type": "boolean"}, "state": state,
        "state_at": {"type": ["string", "null"], "format": "date-time"}, "state_by": {"type": ["string", "null"]},
        "officers": array({"type": "string"}),
        "undo": nullable({"type": "object", "properties": {
            "token": {"type": "string"}, "action": {"enum": ["no_show", "done", "call"]},
            "summary": {"type": "object"}, "seconds_left": {"type": "number"}}}),
        "previous": state, "released": array({"type": "string"})}},
        "Undone": {"type": "object", "required": ["counter_id", "action", "tickets"], "properties": {
            "counter_id": {"type": "integer"}, "action": {"enum": ["no_show", "done", "call"]},
            "summary": {"type": "object"}, "tickets": array(ref("Ticket"))}}}
    roles = "admin, officer"
    paths: dict[str, Any] = {
        "/api/v1/counters/{counter_id}/open": {"post": _op(
            "Mở quầy (cán bộ được phân công quầy này hoặc quản trị viên; quầy chưa phân công: mọi cán bộ)", roles,
            params=COUNTER, response=ref("CounterState"))},
        "/api/v1/counters/{counter_id}/pause": {"post": _op(
            "Tạm nghỉ: màn hình sảnh hiện \"Tạm nghỉ\", quầy không được gọi số (409 nếu còn số ở quầy)", roles,
            params=COUNTER, response=ref("CounterState"))},
        "/api/v1/counters/{counter_id}/close": {"post": _op(
            "Đóng quầy: không được gọi số; số được chuyển riêng đến quầy này trở về hàng chờ chung", roles,
            params=COUNTER, response=ref("CounterState"))},
        "/api/v1/counters/{counter_id}/undo": {"post": _op(
            "Hoàn tác thao tác cuối của quầy (V vắng mặt, G/X đã đóng số hiện tại) trong 10 giây", roles,
            params=COUNTER, body={"type": "object", "properties": {"token": {
                "type": "string", "description": "mã hoàn tác (GET /api/v1/counters/{id} → undo.token)"}}},
            response=ref("Undone"))},
        "/api/v1/counters/{counter_id}": {"get": _op(
            "Một quầy: trạng thái, cán bộ được phân công, thao tác có thể hoàn tác",
            "admin, officer, volunteer, kiosk, display", params=COUNTER, response=ref("CounterState"))},
    }
    extend(paths, schemas)


_doc()
