"""JSON API for dossiers: autosaved drafts, submission, the list, actions, the citizen mirror (SSE).

Thin: parse, call ``appliance.dossiers`` (:class:`~appliance.services.dossiers.DossierService`),
answer JSON. Errors are ``{"error": {"code", "message", "field"}}`` in Vietnamese; a form with
wrong fields answers 422 with ``error.errors`` = ``{field: message}``.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, abort, jsonify, request

from ...domain import dossiers as rules
from ...domain.dossiers import DossierError
from ...store import queue_store
from ..api.body import body, field
from ..api.openapi import ERRORS, array, extend, nullable, ref
from ..auth import appliance, current_principal, login_name, may_mirror, require
from ..csrf import csrf
from ..i18n import current_language
from ..streaming import event_stream_view, stream_response
from .mirror_stream import mirror_spec

bp = Blueprint("dossier_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # JSON API: bearer tokens or SameSite=Lax sessions, like /api/v1 itself


def mirror_access(view: Callable) -> Callable:
    """Staff for any counter, or that counter's own mirror token; never a hall TV or a kiosk."""
    @require("mirror")
    @functools.wraps(view)
    def wrapped(*args, counter_id: int, **kwargs):
        if not may_mirror(current_principal(), counter_id):
            abort(403)
        return view(*args, counter_id=counter_id, **kwargs)
    return wrapped


def service():
    return appliance().dossiers


# --- drafts ---------------------------------------------------------------------------------

@bp.put("/drafts/<draft_id>")
@require("dossier")
def put_draft(draft_id: str):
    data = body()
    result = service().save_draft(
        draft_id, procedure=field(data, "procedure", str, required=True), values=data.get("values"),
        counter_id=field(data, "counter_id", int), focus=field(data, "focus", str), user=login_name())
    return jsonify(result.as_json(current_language()))


@bp.get("/drafts/<draft_id>")
@require("dossier")
def get_draft(draft_id: str):
    return jsonify(service().get_draft(draft_id))


@bp.get("/counters/<int:counter_id>/draft")
@mirror_access
def counter_draft(counter_id: int):
    return jsonify(service().counter_draft(counter_id))


@bp.post("/drafts/<draft_id>/submit")
@require("dossier")
def submit(draft_id: str):
    dossier, created = service().submit(draft_id, body(), user=login_name())
    return jsonify(dossier), (201 if created else 200)


# --- the citizen's card, read by a USB scanner ----------------------------------------------

@bp.post("/cccd/read")
@require("dossier")
def read_card():
    """The fields of a CCCD's QR code, for the officer to confirm. The scan comes in the body (never
    in a URL, which access logs keep) and is neither stored nor logged."""
    data = body()
    return jsonify(service().read_card(field(data, "scan", str, required=True), field(data, "procedure", str),
                                       lang=current_language()))


# --- dossiers -------------------------------------------------------------------------------

def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise DossierError("bad_query", name, name=name, detail="phải là số nguyên") from None


def _day_arg(name: str) -> date | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise DossierError("bad_query", name, name=name, detail="ngày dạng YYYY-MM-DD") from None


@bp.get("/dossiers")
@require("dossier")
def list_dossiers():
    args = request.args
    result = service().search(
        q=args.get("q"), state=args.get("state") or None, procedure=args.get("procedure") or None,
        overdue=args.get("overdue") in ("1", "true", "on"), limit=_int_arg("limit", 50),
        offset=_int_arg("offset", 0), user=login_name(), lang=current_language(),
        received_from=_day_arg("from"), received_to=_day_arg("to"))
    return jsonify(result)


@bp.get("/dossiers/<code>")
@require("dossier")
def get_dossier(code: str):
    return jsonify(service().get(code, user=login_name(), lang=current_language()))


@bp.put("/dossiers/<code>/province-code")
@require("counter")
def province_code(code: str):
    """The code the province's one-stop system issued (typed or scanned from its barcode)."""
    return jsonify(service().set_province_code(code, body().get("province_code"), user=login_name(),
                                               lang=current_language()))


@bp.post("/dossiers/<code>/call")
@require("counter")
def call_again(code: str):
    """A ready result's citizen is called again (pager, or hall display and announcer)."""
    return jsonify(service().call_again(code, user=login_name(), lang=current_language()))


@bp.post("/dossiers/<code>/<action>")
@require("counter")
def act(code: str, action: str):
    return jsonify(service().act(code, action, body(), user=login_name(), lang=current_language()))


# --- the citizen mirror -------------------------------------------------------------------

@bp.get("/mirror/<int:counter_id>/events")
@event_stream_view
@mirror_access
def mirror_events(counter_id: int):
    app_ = appliance()
    counter = queue_store.counter(app_.db, counter_id)
    return stream_response(mirror_spec(app_.bus, counter_id, app_.dossiers.counter_draft(counter_id),
                                       state=counter.state if counter is not None else None))


@bp.post("/mirror/<int:counter_id>/rating")
@mirror_access
def mirror_rating(counter_id: int):
    """A face pressed on the counter's citizen screen: the service it asked about (the ticket, or
    the dossier whose result was handed over), once."""
    data = body()
    ticket_id = field(data, "ticket_id", int)
    dossier_code = field(data, "dossier_code", str)
    level = field(data, "level", str, required=True)
    rating_id = appliance().engine.rate_service(counter_id, level, ticket_id=ticket_id, dossier_code=dossier_code,
                                                source="screen")
    return jsonify({"id": rating_id, "counter_id": counter_id, "level": level, "ticket_id": ticket_id,
                    "dossier_code": dossier_code}), 201


# --- OpenAPI --------------------------------------------------------------------------------

ERROR = {"$ref": "#/components/responses/Error"}
STAFF = "admin, officer, volunteer"


def _op(summary: str, roles: str, *, params: list | None = None, body_schema: dict | None = None,
        ok: str = "200", extra_ok: dict | None = None, response: dict | None = None) -> dict[str, Any]:
    schema = response or {"type": "object"}
    responses: dict[str, Any] = {ok: {"description": "OK", "content": {"application/json": {"schema": schema}}}}
    responses.update({code: {**answer, "content": {"application/json": {"schema": schema}}}
                      for code, answer in (extra_ok or {}).items()})
    responses.update({**ERRORS, "422": {"description": "Lỗi theo từng trường: error.errors = {trường: thông báo}",
                                        "content": {"application/json": {"schema": ref("Error")}}}})
    op: dict[str, Any] = {"summary": summary, "description": f"Vai trò được phép: {roles}.", "responses": responses,
                          "security": [{"bearer": []}, {"session": []}]}
    if params:
        op["parameters"] = params
    if body_schema is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body_schema}}}
    return op


def _path(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _query(name: str, kind: str = "string", **extra) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind, **extra}}


DRAFT = [_path("draft_id")]
DOSSIER_SCHEMAS = {
    "Draft": {"type": "object", "required": ["draft_id", "procedure", "values"], "properties": {
        "draft_id": {"type": "string"}, "counter_id": {"type": ["integer", "null"]},
        "procedure": {"type": "string"}, "values": {"type": "object"}, "focus": {"type": ["string", "null"]},
        "updated_at": {"type": ["string", "null"]}, "dossier_code": {"type": ["string", "null"]},
        "ticket_id": {"type": ["integer", "null"], "description": "số thứ tự mà bản nháp được mở cho (từ quầy)"},
        "ticket_number": {"type": ["string", "null"]}}},
    "DossierList": {"type": "object", "required": ["items", "total", "limit", "offset"], "properties": {
        "items": array({"type": "object"}), "total": {"type": "integer"}, "total_capped": {"type": "boolean"},
        "limit": {"type": "integer"}, "offset": {"type": "integer"}}},
}
extend(schemas=DOSSIER_SCHEMAS, paths={
    "/api/v1/drafts/{draft_id}": {
        "put": _op("Lưu nháp biểu mẫu (tự động) và kiểm tra từng trường", STAFF, params=DRAFT, body_schema={
            "type": "object", "required": ["procedure"], "properties": {
                "counter_id": {"type": "integer"}, "procedure": {"type": "string", "example": "1.001193"},
                "values": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "null"]}},
                "focus": {"type": "string", "description": "trường đang nhập (màn hình cho công dân tô sáng)"}}}),
        "get": _op("Một bản nháp", STAFF, params=DRAFT, response=ref("Draft"))},
    "/api/v1/drafts/{draft_id}/submit": {"post": _op(
        "Nộp hồ sơ từ bản nháp (nộp lại lần nữa trả về cùng hồ sơ, mã 200)", STAFF, params=DRAFT, ok="201",
        extra_ok={"200": {"description": "Đã nộp trước đó: cùng hồ sơ"}}, body_schema={
            "type": "object", "properties": {
                "ticket_id": {"type": "integer"},
                "pager": {"oneOf": [{"type": "integer", "minimum": 1}, {"const": "auto"}]},
                "channel": {"enum": list(rules.CHANNELS)}, "portal_code": {"type": "string"},
                "return_by_post": {"type": "boolean"}, "post_address": {"type": "string"},
                "sms_opt_in": {"type": "boolean", "description": "nhắn tin khi có kết quả (cần số di động)"},
                "it_familiarity": {"enum": list(rules.IT_FAMILIARITY)}, "vneid_created": {"type": "boolean"},
                "digitised": {"type": "boolean", "description": "thành phần hồ sơ đã được số hóa khi tiếp nhận"},
                "province_code": {"type": "string", "description": "mã hồ sơ của tỉnh, nếu đã có"}}})},
    "/api/v1/counters/{counter_id}/draft": {"get": _op(
        "Bản nháp đang nhập ở quầy (màn hình cho công dân)",
        "admin, officer, volunteer; mirror (mã gắn với đúng quầy này)",
        params=[_path("counter_id", "integer")], response=nullable(ref("Draft")))},
    "/api/v1/dossiers": {"get": _op("Danh sách hồ sơ: tìm theo mã, tên, số điện thoại, số định danh", STAFF, params=[
        _query("q"), _query("state", enum=list(rules.STATES)), _query("procedure"), _query("overdue", enum=["1"]),
        _query("limit", "integer", minimum=1, maximum=200), _query("offset", "integer", minimum=0),
        _query("from", format="date"), _query("to", format="date")], response=ref("DossierList"))},
    "/api/v1/dossiers/{code}": {"get": _op("Một hồ sơ (ghi nhật ký truy cập)", STAFF, params=[_path("code")])},
    "/api/v1/dossiers/{code}/province-code": {"put": _op(
        "Ghi mã hồ sơ do hệ thống một cửa của tỉnh cấp (gõ, hoặc quét mã vạch bằng máy quét kiểu bàn phím): "
        "kiểm tra cấu trúc <mã cơ quan>-YYMMDD-NNNN, không nhận mã cơ quan mẫu, không trùng hồ sơ khác",
        "admin, officer", params=[_path("code")], body_schema={
            "type": "object", "required": ["province_code"], "properties": {
                "province_code": {"type": "string", "example": "000.00.06.H56-261130-0001"}}})},
    "/api/v1/dossiers/{code}/call": {"post": _op(
        "Gọi lại công dân của hồ sơ đã có kết quả (chưa trả): thẻ rung của hồ sơ, hoặc màn hình sảnh và loa "
        "khi không có thẻ; nhắc lại từ đầu (409 nếu hồ sơ không ở trạng thái có kết quả)", "admin, officer",
        params=[_path("code")])},
    "/api/v1/dossiers/{code}/{action}": {"post": _op(
        "Thao tác với hồ sơ: processing, ready (gọi thẻ rung), return, supplement (Mẫu 02), refuse (Mẫu 03), "
        "extend (Mẫu 04: xin lỗi và gia hạn; overdue là tên cũ), stop (Mẫu 05: dừng giải quyết), "
        "withdraw (công dân rút hồ sơ), handover (Mẫu 06)", "admin, officer",
        params=[_path("code"), {**_path("action"), "schema": {"enum": list(rules.TRANSITIONS)}}], body_schema={
            "type": "object", "properties": {
                "note": {"type": "string"}, "reason": {"type": "string"},
                "new_due_at": {"type": "string",
                               "description": "02/12/2026 10:00, 02/12/2026 (17:00 hôm đó) hoặc 2026-12-02T10:00"},
                "from": {"type": "string"}, "to": {"type": "string"}, "by_post": {"type": "boolean"},
                "post_address": {"type": "string"}, "tracking_number": {"type": "string"},
                "fee": {"type": "integer", "description": "cước bưu chính (đồng)"}}})},
    "/api/v1/cccd/read": {"post": _op(
        "Đọc mã QR trên thẻ căn cước công dân (máy quét 2D kiểu bàn phím): họ tên, số định danh, ngày sinh, "
        "giới tính, nơi thường trú, ngày cấp, để cán bộ xác nhận; với procedure, các giá trị cho từng người "
        "trong tờ khai. Không lưu, không ghi nhật ký nội dung quét; mã không đúng mẫu 7 phần: 422 "
        "card_unrecognised (không đoán)", STAFF, body_schema={
            "type": "object", "required": ["scan"], "properties": {
                "scan": {"type": "string", "maxLength": 2000,
                         "example": "001099012345|123456789|Nguyễn Văn An|01011999|Nam|Hà Nội|15082021"},
                "procedure": {"type": "string", "example": "1.001193"}}},
        response={"type": "object", "required": ["card", "targets"], "properties": {
            "card": {"type": "object", "required": ["personal_number", "name", "dob", "sex", "residence",
                                                    "issued_on", "warnings"], "properties": {
                "personal_number": {"type": "string"}, "old_id_number": {"type": ["string", "null"]},
                "name": {"type": "string"}, "dob": {"type": "string", "format": "date"},
                "dob_text": {"type": "string"}, "sex": {"enum": ["Nam", "Nữ"]}, "residence": {"type": "string"},
                "issued_on": {"type": "string", "format": "date"}, "issued_on_text": {"type": "string"},
                "warnings": array({"type": "string"})}},
            "targets": array({"type": "object", "required": ["prefix", "title", "values"], "properties": {
                "prefix": {"type": "string"}, "title": {"type": "string"},
                "values": {"type": "object", "additionalProperties": {"type": "string"}}}})}})},
    "/api/v1/mirror/{counter_id}/rating": {"post": {
        "summary": "Công dân bấm mặt đánh giá trên màn hình của quầy (một lần cho mỗi lượt phục vụ)",
        "description": "Vai trò được phép: admin, officer, volunteer; mirror (mã gắn với đúng quầy này). "
                       "Gắn với cán bộ đã phục vụ số đó (ticket_id) hoặc đã trả kết quả hồ sơ (dossier_code); "
                       "bấm lần nữa cho cùng lượt: 409 already_rated.",
        "parameters": [_path("counter_id", "integer")], "security": [{"bearer": []}, {"session": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["level"], "properties": {
                "level": {"enum": ["very_satisfied", "satisfied", "neutral", "unsatisfied", "very_unsatisfied"]},
                "ticket_id": nullable({"type": "integer"}), "dossier_code": nullable({"type": "string"})}}}}},
        "responses": {"201": {"description": "Đã ghi", "content": {"application/json": {"schema": {
            "type": "object", "required": ["id", "counter_id", "level"], "properties": {
                "id": {"type": "integer"}, "counter_id": {"type": "integer"}, "level": {"type": "string"},
                "ticket_id": nullable({"type": "integer"}), "dossier_code": nullable({"type": "string"})}}}}},
                      **ERRORS}}},
    "/api/v1/mirror/{counter_id}/events": {"get": {
        "summary": "Màn hình cho công dân: bản nháp của đúng quầy này (Server-Sent Events)",
        "description": "Vai trò được phép: admin, officer, volunteer; mirror (mã gắn với đúng quầy này). "
                       "Chỉ sự kiện draft.changed "
                       "(và draft.submitted) của quầy này, rating.requested / rating.given của quầy này, và "
                       "counter.state của quầy này (chỉ counter_id và state: mở, tạm nghỉ, đóng).",
        "parameters": [_path("counter_id", "integer")], "security": [{"bearer": []}, {"session": []}],
        "responses": {"200": {"description": "text/event-stream", "content": {"text/event-stream": {}}},
                      **ERRORS}}},
})
