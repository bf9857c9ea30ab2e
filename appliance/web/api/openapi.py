"""The OpenAPI 3.1 document of /api/v1 (a test checks it against the registered routes)."""
from __future__ import annotations

from typing import Any

from ... import __version__

ERROR = {"$ref": "#/components/responses/Error"}
# every refusal the API can answer, whatever the route (the edge, the body, the roles, the database)
ERRORS = {code: ERROR for code in ("400", "401", "403", "404", "409", "413", "415", "429", "503", "507")}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def array(schema: dict) -> dict:
    return {"type": "array", "items": schema}


def _op(summary: str, roles: str, *, body: dict | None = None, ok: str = "200",
        params: list | None = None, response: dict) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "description": f"Vai trò được phép: {roles}.",
        "responses": {ok: {"description": "OK", "content": {"application/json": {"schema": response}}}, **ERRORS},
        "security": [{"bearer": []}, {"session": []}],
    }
    if params:
        op["parameters"] = params
    if body is not None:
        op["requestBody"] = {"required": False, "content": {"application/json": {"schema": body}}}
    return op


def _int_param(name: str, where: str = "path") -> dict[str, Any]:
    return {"name": name, "in": where, "required": where == "path", "schema": {"type": "integer"}}


COUNTER = [_int_param("counter_id")]
TICKET_ID = {"type": "integer", "description": "id of the ticket the console shows; 409 if it is no longer current"}
TICKET_GUARD = {"type": "object", "properties": {"ticket": TICKET_ID}}
TICKET = ref("Ticket")
TRANSFER = {"type": "object", "description": (
    "The counter's current ticket goes back to waiting for another service and/or counter, keeping its "
    "arrival time and its number (and seq: the issuing service's). Refused with 400 transfer_to_itself, "
    "counter_not_serving; 404 unknown_service, unknown_counter; 409 service_inactive, "
    "transfer_counter_closed, counter_idle (nothing current: finished or transferred already), "
    "stale_ticket (``ticket`` is not the counter's current one)."), "properties": {
    "service": {"type": "string", "description": "code of the service to send it to"},
    "counter": {"type": "integer", "description": "counter to send it to (open or paused, serving the service)"},
    "ticket": TICKET_ID}}
TIME = {"type": ["string", "null"], "format": "date-time"}
INT_OR_NULL = {"type": ["integer", "null"]}
SCHEMAS: dict[str, Any] = {
    "Ticket": {"type": "object", "required": ["id", "number", "service", "state"], "properties": {
        "id": {"type": "integer"}, "number": {"type": "string", "example": "A015"},
        "service": {"type": "string"}, "service_name": {"type": "string"},
        "day": {"type": "string", "format": "date"}, "seq": {"type": "integer", "description":
                "the day's sequence number of the service that issued it (kept when transferred)"},
        "priority": {"type": "boolean"},
        "priority_reason": {"type": ["string", "null"], "description":
                            "chỉ cán bộ thấy; màn hình sảnh và máy lấy số không nhận trường này"},
        "state": {"enum": ["waiting", "called", "serving", "done", "no_show"]},
        "counter_id": INT_OR_NULL, "target_counter_id": INT_OR_NULL, "pager": INT_OR_NULL,
        "channel": {"type": ["string", "null"], "description": "chỉ cán bộ thấy"},
        "issued_at": TIME, "called_at": TIME, "serving_at": TIME, "finished_at": TIME,
        "recalls": {"type": "integer"},
        "appointment_at": {**TIME, "description": "giờ hẹn của lịch hẹn đã nhận số này: số được gọi từ giờ đó "
                           "(docs/appointments.md); null: số thường"},
        "appointment_id": INT_OR_NULL}},
    "IssuedTicket": {"allOf": [ref("Ticket"), {"type": "object", "required": ["ahead"], "properties": {
        "ahead": {"type": "integer", "minimum": 0},
        "estimated_wait_min": {"type": ["integer", "number", "null"]}}}]},
    "Service": {"type": "object", "required": ["code", "name", "prefix", "active"], "properties": {
        "code": {"type": "string"}, "name": {"type": "string"}, "name_en": {"type": ["string", "null"]},
        "prefix": {"type": "string"}, "range_start": {"type": "integer"}, "range_end": {"type": "integer"},
        "active": {"type": "boolean"}}},
    "Counter": {"type": "object", "required": ["id", "name", "active", "services"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "name_en": {"type": "string", "description": "tên tiếng Anh (trống: dùng name)"}, "active": {"type": "boolean"},
        "state": {"enum": ["open", "paused", "closed"],
                  "description": "open: đang mở; paused: tạm nghỉ; closed: đã đóng"},
        "services": array({"type": "string"})}},
    "Pager": {"type": "object", "required": ["number", "state"], "properties": {
        "number": {"type": "integer"}, "state": {"type": "string", "example": "free"},
        "ticket": {"type": ["string", "null"]},
        "dossier_code": {"type": ["string", "null"], "description": "chỉ cán bộ thấy (null cho màn hình sảnh)"}}},
    "PagerPool": {"type": "object", "required": ["total", "free", "in_use", "lost", "next_pager", "calling"],
                  "properties": {
        "total": {"type": "integer", "description": "thẻ rung đã đăng ký"},
        "configured": {"type": "integer", "description": "[queue].pager_pool"},
        "free": {"type": "integer"}, "in_use": {"type": "integer"}, "lost": {"type": "integer"},
        "empty": {"type": "boolean", "description": "hết thẻ trống: hồ sơ vẫn được tiếp nhận, gọi trên màn hình sảnh"},
        "next_dossier_number": {"type": "integer", "description": "số thứ tự trong ngày của hồ sơ tiếp theo"},
        "next_pager": {"type": ["integer", "null"], "description": "thẻ hồ sơ tiếp theo sẽ nhận ('auto')"},
        "next_pager_matches": {"type": "boolean", "description": "số thẻ trùng (theo vòng) số hồ sơ"},
        "calling": array({"type": "object", "required": ["number"], "properties": {
            "number": {"type": "integer"}, "day": {"type": "string", "format": "date"},
            "ticket_number": {"type": ["string", "null"]}, "counter_id": {"type": ["integer", "null"]},
            "dossier_code": {"type": ["string", "null"], "description": "chỉ cán bộ thấy"}}})}},
    "PagerState": {"type": "object", "required": ["number", "state"], "properties": {
        "number": {"type": "integer"}, "state": {"enum": ["free", "lost"]},
        "detached_from": {"type": "string", "description": "mã hồ sơ đã tách thẻ khỏi (detach=true)"}}},
    "Waiting": {"type": "object", "required": ["counter_id", "waiting"], "properties": {
        "counter_id": {"type": "integer"}, "waiting": array(TICKET)}},
    "Rating": {"type": "object", "required": ["id", "counter_id", "level"], "properties": {
        "id": {"type": "integer"}, "counter_id": {"type": "integer"}, "level": {"type": "string"}}},
    "Queue": {"type": "object", "required": ["services", "counters", "recent", "day"], "properties": {
        "day": {"type": "string", "format": "date"},
        "services": array({"type": "object", "required": ["code", "waiting"], "properties": {
            "code": {"type": "string"}, "name": {"type": "string"}, "name_en": {"type": ["string", "null"]},
            "prefix": {"type": "string"}, "active": {"type": "boolean"}, "waiting": {"type": "integer"},
            "waiting_priority": {"type": "integer"}}}),
        "counters": array({"type": "object", "required": ["id", "ticket"], "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "active": {"type": "boolean"},
            "state": {"enum": ["open", "paused", "closed"]},
            "services": array({"type": "string"}), "ticket": nullable(TICKET)}}),
        "recent": array(TICKET)}},
    "Health": {"type": "object", "required": ["status"], "properties": {
        "status": {"type": "string", "description": "không có mã truy cập: chỉ 'up' hoặc 'down'; "
                                                    "có mã: 'ok', 'error' và các phần bên dưới"},
        "version": {"type": "string"}, "database": {"type": "object"}, "devices": {"type": "object"},
        "outbox": {"type": "object"}, "uptime_s": {"type": "integer"}}},
}


def openapi_document() -> dict[str, Any]:
    counter_roles = "admin, officer"
    view_roles = "admin, officer, volunteer, kiosk, display"
    paths = {
        "/api/v1/tickets": {"post": _op("Cấp số thứ tự", "admin, officer, volunteer, kiosk", ok="201", body={
            "type": "object", "required": ["service"], "properties": {
                "service": {"type": "string", "example": "HT"},
                "priority": {"type": "boolean", "description": "người cao tuổi, khuyết tật, phụ nữ mang thai, trẻ nhỏ"},
                "priority_reason": {"type": "string"},
                "pager": {"oneOf": [{"type": "integer", "minimum": 1}, {"const": "auto"}]}}},
            response=ref("IssuedTicket"))},
        "/api/v1/tickets/{ticket_id}": {"get": _op("Một số thứ tự", view_roles, params=[_int_param("ticket_id")],
                                                   response=TICKET)},
        "/api/v1/counters/{counter_id}/call-next": {"post": _op("Gọi số tiếp theo", counter_roles, params=COUNTER,
                                                               body={
            "type": "object", "properties": {"finish_current": {"type": "boolean"}}}, response=TICKET)},
        "/api/v1/counters/{counter_id}/recall": {"post": _op("Gọi lại", counter_roles, params=COUNTER,
                                                            body=TICKET_GUARD, response=TICKET)},
        "/api/v1/counters/{counter_id}/serve": {"post": _op("Bắt đầu phục vụ", counter_roles, params=COUNTER,
                                                           body=TICKET_GUARD, response=TICKET)},
        "/api/v1/counters/{counter_id}/done": {"post": _op("Hoàn tất", counter_roles, params=COUNTER,
                                                          body=TICKET_GUARD, response=TICKET)},
        "/api/v1/counters/{counter_id}/no-show": {"post": _op("Vắng mặt", counter_roles, params=COUNTER,
                                                             body=TICKET_GUARD, response=TICKET)},
        "/api/v1/counters/{counter_id}/transfer": {"post": _op("Chuyển lĩnh vực/quầy", counter_roles,
                                                              params=COUNTER, body=TRANSFER, response=TICKET)},
        "/api/v1/counters/{counter_id}/waiting": {"get": _op("Danh sách chờ của quầy", view_roles, params=COUNTER,
                                                             response=ref("Waiting"))},
        "/api/v1/counters/{counter_id}/ratings": {"post": _op("Đánh giá mức độ hài lòng",
                                                             "admin, officer, volunteer, kiosk",
                                                             params=COUNTER, ok="201", body={
            "type": "object", "required": ["level"], "properties": {"level": {"enum": [
                "very_satisfied", "satisfied", "neutral", "unsatisfied", "very_unsatisfied"]}}},
            response=ref("Rating"))},
        "/api/v1/queue": {"get": _op("Ảnh chụp hàng đợi", view_roles, response=ref("Queue"))},
        "/api/v1/services": {"get": _op("Các lĩnh vực", view_roles, response=array(ref("Service")))},
        "/api/v1/counters": {"get": _op("Các quầy", view_roles, response=array(ref("Counter")))},
        "/api/v1/pagers": {"get": _op("Bộ thẻ rung", view_roles, response=array(ref("Pager")))},
        "/api/v1/pagers/pool": {"get": _op("Tình trạng bộ thẻ rung: trống / đang dùng / mất, thẻ cho hồ sơ tiếp "
                                           "theo, các hồ sơ có kết quả đang gọi trên màn hình (không có thẻ)",
                                           view_roles, response=ref("PagerPool"))},
        "/api/v1/pagers/{number}/return": {"post": _op(
            "Thu lại thẻ rung (409 nếu hồ sơ chưa trả kết quả còn giữ thẻ, trừ khi tách thẻ: detach=true)",
            "admin, officer, volunteer, kiosk", params=[_int_param("number")], body={
                "type": "object", "properties": {"detach": {"type": "boolean", "description":
                    "tách thẻ khỏi hồ sơ đang giữ nó (ghi nhật ký); hồ sơ không còn báo bằng thẻ rung"}}},
            response=ref("PagerState"))},
        "/api/v1/pagers/{number}/lost": {"post": _op("Báo mất thẻ rung", counter_roles, params=[_int_param("number")],
                                                     response=ref("PagerState"))},
        "/api/v1/health": {"get": {
            "summary": "Tình trạng: không mã truy cập chỉ 'up'/'down'; có mã: cơ sở dữ liệu, thiết bị, đồng bộ",
            "security": [{}, {"bearer": []}, {"session": []}],
            "responses": {code: {"description": "OK" if code == "200" else "Lỗi cơ sở dữ liệu", "content": {
                "application/json": {"schema": ref("Health")}}} for code in ("200", "503")}}},
        "/api/v1/events": {"get": {"summary": "Sự kiện trực tiếp (Server-Sent Events)",
                                   "description": f"Vai trò được phép: {view_roles}. Hỗ trợ Last-Event-ID.",
                                   "security": [{"bearer": []}, {"session": []}],
                                   "responses": {"200": {"description": "text/event-stream",
                                                         "content": {"text/event-stream": {}}}, **ERRORS}}},
        "/api/v1/openapi.json": {"get": {"summary": "Tài liệu này", "security": [],
                                         "responses": {"200": {"description": "OpenAPI 3.1", "content": {
                                             "application/json": {"schema": {"type": "object"}}}}}}},
    }
    paths.update(EXTRA_PATHS)
    return {
        "openapi": "3.1.0",
        "info": {"title": "motcua API", "version": __version__,
                 "description": "API của thiết bị Một cửa cấp xã. Lỗi trả về "
                                "{\"error\": {\"code\", \"message\", \"field\"}} bằng tiếng Việt."},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "session": {"type": "apiKey", "in": "cookie", "name": "motcua_session"}},
            "responses": {"Error": {"description": "Lỗi", "content": {"application/json": {"schema": ref("Error")}}}},
            "schemas": {**SCHEMAS, **EXTRA_SCHEMAS, "Error": {
                "type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"},
                        "field": {"type": ["string", "null"]},
                        "errors": {"type": "object", "additionalProperties": {"type": "string"},
                                   "description": "lỗi theo từng trường (422 của biểu mẫu hồ sơ)"}}}}}},
        },
    }


def extend(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> None:
    """Blueprints added later (dossiers, sync) register their paths (and schemas) here."""
    EXTRA_PATHS.update(paths)
    EXTRA_SCHEMAS.update(schemas or {})


EXTRA_PATHS: dict[str, Any] = {}
EXTRA_SCHEMAS: dict[str, Any] = {}
