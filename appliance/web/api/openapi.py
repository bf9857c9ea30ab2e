"""The OpenAPI 3.1 document of /api/v1 (a test checks it against the registered routes)."""
from __future__ import annotations

from typing import Any

from ... import __version__

ERROR = {"$ref": "#/components/responses/Error"}


def _op(summary: str, roles: str, *, body: dict | None = None, ok: str = "200",
        params: list | None = None, response: dict | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "description": f"Vai trò được phép: {roles}.",
        "responses": {ok: {"description": "OK", "content": {"application/json": {"schema": response or {
            "type": "object"}}}},
                      "400": ERROR, "401": ERROR, "403": ERROR, "404": ERROR, "409": ERROR},
        "security": [{"bearer": []}, {"session": []}],
    }
    if params:
        op["parameters"] = params
    if body is not None:
        op["requestBody"] = {"required": False, "content": {"application/json": {"schema": body}}}
    return op


COUNTER = [{"name": "counter_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
TICKET_GUARD = {"type": "object", "properties": {"ticket": {"type": "integer", "description":
                "id of the ticket the console shows; 409 if it is no longer current"}}}
TICKET = {"$ref": "#/components/schemas/Ticket"}


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
            response=TICKET)},
        "/api/v1/tickets/{ticket_id}": {"get": _op("Một số thứ tự", view_roles, params=[
            {"name": "ticket_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            response=TICKET)},
        "/api/v1/counters/{counter_id}/call-next": {"post": _op("Gọi số tiếp theo", counter_roles, params=COUNTER, body={
            "type": "object", "properties": {"finish_current": {"type": "boolean"}}}, response=TICKET)},
        "/api/v1/counters/{counter_id}/recall": {"post": _op("Gọi lại", counter_roles, params=COUNTER,
                                                            body=TICKET_GUARD, response=TICKET)},
        "/api/v1/counters/{counter_id}/serve": {"post": _op("Bắt đầu phục vụ", counter_roles, params=COUNTER,
                                                           body=TICKET_GUARD, response=TICKET)},
        "/api/v1/counters/{counter_id}/done": {"post": _op("Hoàn tất", counter_roles, params=COUNTER,
                                                          body=TICKET_GUARD, response=TICKET)},
        "/api/v1/counters/{counter_id}/no-show": {"post": _op("Vắng mặt", counter_roles, params=COUNTER,
                                                             body=TICKET_GUARD, response=TICKET)},
        "/api/v1/counters/{counter_id}/transfer": {"post": _op("Chuyển lĩnh vực/quầy", counter_roles, params=COUNTER, body={
            "type": "object", "properties": {"service": {"type": "string"}, "counter": {"type": "integer"},
                                             "ticket": {"type": "integer"}}}, response=TICKET)},
        "/api/v1/counters/{counter_id}/waiting": {"get": _op("Danh sách chờ của quầy", view_roles, params=COUNTER)},
        "/api/v1/counters/{counter_id}/ratings": {"post": _op("Đánh giá mức độ hài lòng", "admin, officer, volunteer, kiosk",
                                                             params=COUNTER, ok="201", body={
            "type": "object", "required": ["level"], "properties": {"level": {"enum": [
                "very_satisfied", "satisfied", "neutral", "unsatisfied", "very_unsatisfied"]}}})},
        "/api/v1/queue": {"get": _op("Ảnh chụp hàng đợi", view_roles, response={"type": "object", "properties": {
            "services": {"type": "array"}, "counters": {"type": "array"}, "recent": {"type": "array"}}})},
        "/api/v1/services": {"get": _op("Các lĩnh vực", view_roles)},
        "/api/v1/counters": {"get": _op("Các quầy", view_roles)},
        "/api/v1/pagers": {"get": _op("Bộ thẻ rung", view_roles)},
        "/api/v1/pagers/{number}/return": {"post": _op(
            "Thu lại thẻ rung (409 nếu hồ sơ chưa trả kết quả còn giữ thẻ, trừ khi tách thẻ: detach=true)",
            "admin, officer, volunteer, kiosk", params=[
                {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}], body={
                "type": "object", "properties": {"detach": {"type": "boolean", "description":
                    "tách thẻ khỏi hồ sơ đang giữ nó (ghi nhật ký); hồ sơ không còn báo bằng thẻ rung"}}})},
        "/api/v1/pagers/{number}/lost": {"post": _op("Báo mất thẻ rung", counter_roles, params=[
            {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}])},
        "/api/v1/health": {"get": {"summary": "Tình trạng: cơ sở dữ liệu, thiết bị, hàng đợi đồng bộ",
                                   "security": [], "responses": {"200": {"description": "OK"},
                                                                 "503": {"description": "Lỗi cơ sở dữ liệu"}}}},
        "/api/v1/events": {"get": {"summary": "Sự kiện trực tiếp (Server-Sent Events)",
                                   "description": f"Vai trò được phép: {view_roles}. Hỗ trợ Last-Event-ID.",
                                   "security": [{"bearer": []}, {"session": []}],
                                   "responses": {"200": {"description": "text/event-stream",
                                                         "content": {"text/event-stream": {}}}}}},
        "/api/v1/openapi.json": {"get": {"summary": "Tài liệu này", "security": [],
                                         "responses": {"200": {"description": "OpenAPI 3.1"}}}},
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
            "responses": {"Error": {"description": "Lỗi", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"error": {"type": "object", "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"},
                    "field": {"type": ["string", "null"]}}}}}}}}},
            "schemas": {"Ticket": {"type": "object", "properties": {
                "id": {"type": "integer"}, "number": {"type": "string", "example": "A015"},
                "service": {"type": "string"}, "service_name": {"type": "string"},
                "state": {"enum": ["waiting", "called", "serving", "done", "no_show"]},
                "priority": {"type": "boolean"}, "counter_id": {"type": ["integer", "null"]},
                "pager": {"type": ["integer", "null"]}, "issued_at": {"type": "string"},
                "recalls": {"type": "integer"}}}},
        },
    }


def extend(paths: dict[str, Any]) -> None:
    """Blueprints added later (dossiers, sync) register their paths here."""
    EXTRA_PATHS.update(paths)


EXTRA_PATHS: dict[str, Any] = {}
