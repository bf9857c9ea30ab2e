"""The OpenAPI 3.1 description of /api/v1 (a test checks it lists exactly the registered routes)."""
from __future__ import annotations

ERROR = {"type": "object", "properties": {"error": {"type": "object", "properties": {
    "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": ["string", "null"]}}}}}


def _err(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


EVENT = {"type": "object", "required": ["seq", "event_id", "type", "payload", "wall_time", "clock_synced", "boot_id"],
         "properties": {"seq": {"type": "integer", "minimum": 1}, "event_id": {"type": "string", "format": "uuid"},
                        "type": {"type": "string"}, "payload": {"type": "object"},
                        "wall_time": {"type": "string", "format": "date-time"}, "clock_synced": {"type": "boolean"},
                        "boot_id": {"type": "string"}}}
BATCH = {"type": "object", "required": ["device_id", "sent_at", "events"], "properties": {
    "device_id": {"type": "string"}, "sent_at": {"type": "string", "format": "date-time"},
    "events": {"type": "array", "maxItems": 500, "items": EVENT},
    "boot_id": {"type": "string", "description": "optional: the sender's current boot"},
    "clock_synced": {"type": "boolean", "description": "optional: the sender's clock is NTP-synced now"},
    "backlog": {"type": "integer", "minimum": 0, "description": "optional: outbox rows still to send"}}}

DEVICE_ID = {"name": "device_id", "in": "path", "required": True, "schema": {"type": "string"}}
CACHED = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}


def document(title: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": f"motcua-hub ({title})", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": {"Error": ERROR, "Batch": BATCH},
            "securitySchemes": {"device": {"type": "http", "scheme": "bearer"},
                                "staff": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            "/devices/{device_id}/events:batch": {"post": {
                "summary": "Nhận một lô sự kiện từ thiết bị (gzip, ≤ 500 sự kiện, ≤ 256 KB)",
                "security": [{"device": []}], "parameters": [DEVICE_ID],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Batch"}}}},
                "responses": {"200": {"description": "Đã lưu", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"acked_through": {"type": "integer"}}}}}},
                    "400": _err("Lô hỏng"), "401": _err("Sai mã truy cập"), "403": _err("Mã của thiết bị khác"),
                    "409": _err("Số thứ tự trùng với sự kiện khác"), "413": _err("Lô quá lớn"),
                    "415": _err("Sai Content-Type"), "422": _err("Sai giá trị"), "503": _err("Máy chủ bận")}}},
            "/enroll": {"post": {
                "summary": "Đổi mã đăng ký dùng một lần lấy mã thiết bị",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}}}},
                "responses": {"200": {"description": "device_id, device_token, hub_name, hub_level"},
                              "400": _err("Thiếu mã"), "401": _err("Mã sai, đã dùng hoặc hết hạn")}}},
            "/catalog": {"get": {
                "summary": "Danh mục thủ tục mới nhất", "security": [{"device": []}, {"staff": []}],
                "parameters": [CACHED],
                "responses": {"200": {"description": "version, published_at, catalog"},
                              "304": {"description": "Không đổi"}, "401": _err("Sai mã truy cập"),
                              "404": _err("Chưa công bố danh mục")}}},
            "/devices/{device_id}/config": {"get": {
                "summary": "Cấu hình do trung tâm quản lý cho thiết bị", "security": [{"device": []}],
                "parameters": [DEVICE_ID, CACHED],
                "responses": {"200": {"description": "Cấu hình"}, "304": {"description": "Không đổi"},
                              "401": _err("Sai mã truy cập"), "403": _err("Mã của thiết bị khác")}}},
            "/communes": {"get": {
                "summary": "Số liệu từng xã cho bảng điều hành", "security": [{"staff": []}],
                "responses": {"200": {"description": "hub, day, communes[]"}, "401": _err("Sai mã truy cập")}}},
            "/dossiers/{code}/status": {"get": {
                "summary": "Tra cứu công khai tình trạng hồ sơ (chỉ trạng thái và ngày hẹn trả)",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "code, state, state_label, due_at"},
                              "400": _err("Mã sai dạng"), "404": _err("Không tìm thấy")}}},
            "/health": {"get": {"summary": "Tình trạng máy chủ", "responses": {"200": {"description": "ok"}}}},
            "/openapi.json": {"get": {"summary": "Tài liệu này", "responses": {"200": {"description": "OpenAPI"}}}},
        },
    }
