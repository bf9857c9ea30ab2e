"""The OpenAPI 3.1 description of /api/v1 (a test checks it lists exactly the registered routes)."""
from __future__ import annotations

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message", "field"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": ["string", "null"]}}}}}


def _err(description: str) -> dict:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


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



def _ok(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _obj(required: list[str], **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties}


STR, INT, NULLABLE_STR = {"type": "string"}, {"type": "integer"}, {"type": ["string", "null"]}
ENROLLED = _obj(["device_id", "device_token", "hub_name", "hub_level"], device_id=STR, device_token=STR,
                hub_name=STR, hub_level=STR)
FEE_PACK = _obj(["format", "province", "resolution", "effective", "fees"], format=INT, province=STR,
                resolution=STR, effective=STR, fees={"type": "object"})
CATALOG = _obj(["version", "published_at", "catalog"], version=INT, published_at=STR, catalog={"type": "object"})
CONFIG = {"type": "object", "description": "cấu hình do trung tâm quản lý (các khóa tùy trung tâm)"}
COMMUNES = _obj(["hub", "day", "generated_at", "communes"], hub=_obj(["name", "level"], name=STR, level=STR),
                day=STR, generated_at=STR, communes={"type": "array", "items": {"type": "object"}})
STATUS = _obj(["code", "state", "state_label", "due_at"], code=STR, state=STR, state_label=STR, due_at=NULLABLE_STR)
HEALTH = _obj(["status"], status=STR, database=STR, hub=STR, level=STR)
BOOKING = _obj(["id", "slot_id", "code", "phone", "state", "booked_at"], id=INT, slot_id=INT, code=STR, phone=STR,
               state=STR, booked_at=STR)
APPOINTMENTS = _obj(["bookings", "released"], bookings={"type": "array", "items": BOOKING},
                    released={"type": "array", "items": INT})
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
                "responses": {"200": _ok(_obj(["acked_through", "quarantined"], acked_through=INT,
                                              quarantined={"type": "integer", "minimum": 0}),
                                         "Đã lưu (sự kiện không nhận được thì được cách ly và vẫn được xác nhận; "
                                         "quarantined: bao nhiêu sự kiện của lô bị cách ly)"),
                    "400": _err("Lô hỏng"), "401": _err("Sai mã truy cập"), "403": _err("Mã của thiết bị khác"),
                    "409": _err("Số thứ tự trùng với sự kiện khác"), "413": _err("Lô quá lớn"),
                    "415": _err("Sai Content-Type"),
                    "422": _err("Sai cả lô (mã thiết bị, danh sách sự kiện, số thứ tự seq)"),
                    "503": _err("Máy chủ bận")}}},
            "/enroll": {"post": {
                "summary": "Đổi mã đăng ký dùng một lần lấy mã thiết bị",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}}}},
                "responses": {"200": _ok(ENROLLED), "400": _err("Thiếu mã"),
                              "401": _err("Mã sai, đã dùng hoặc hết hạn"),
                              "409": _err("Thiết bị đã đăng ký hoặc đã bị thu hồi"), "503": _err("Máy chủ bận")}}},
            "/catalog": {"get": {
                "summary": "Danh mục thủ tục mới nhất", "security": [{"device": []}, {"staff": []}],
                "parameters": [CACHED],
                "responses": {"200": _ok(CATALOG), "304": {"description": "Không đổi"},
                              "400": _err("Yêu cầu sai"), "401": _err("Sai mã truy cập"),
                              "404": _err("Chưa công bố danh mục"), "503": _err("Máy chủ bận")}}},
            "/fee-pack": {"get": {
                "summary": "Mức thu lệ phí của tỉnh (số nghị quyết, ngày áp dụng, mức thu theo mã thủ tục)",
                "security": [{"device": []}, {"staff": []}], "parameters": [CACHED],
                "responses": {"200": _ok(FEE_PACK), "304": {"description": "Không đổi"},
                              "400": _err("Yêu cầu sai"), "401": _err("Sai mã truy cập"),
                              "404": _err("Chưa công bố mức thu"), "503": _err("Máy chủ bận")}}},
            "/devices/{device_id}/config": {"get": {
                "summary": "Cấu hình do trung tâm quản lý cho thiết bị", "security": [{"device": []}],
                "parameters": [DEVICE_ID, CACHED],
                "responses": {"200": _ok(CONFIG, "Cấu hình"), "304": {"description": "Không đổi"},
                              "400": _err("Yêu cầu sai"), "401": _err("Sai mã truy cập"),
                              "403": _err("Mã của thiết bị khác"), "503": _err("Máy chủ bận")}}},
            "/devices/{device_id}/appointments": {"get": {
                "summary": "Lịch hẹn công dân đặt trên trang công khai cho các khung giờ của thiết bị, và các "
                           "khung giờ đã trả lại cho xã (docs/appointments.md)",
                "security": [{"device": []}], "parameters": [DEVICE_ID, CACHED],
                "responses": {"200": _ok(APPOINTMENTS, "Lịch hẹn"), "304": {"description": "Không đổi"},
                              "400": _err("Yêu cầu sai"), "401": _err("Sai mã truy cập"),
                              "403": _err("Mã của thiết bị khác"), "503": _err("Máy chủ bận")}}},
            "/communes": {"get": {
                "summary": "Số liệu từng xã cho bảng điều hành", "security": [{"staff": []}],
                "responses": {"200": _ok(COMMUNES), "400": _err("Yêu cầu sai"), "401": _err("Sai mã truy cập"),
                              "503": _err("Máy chủ bận")}}},
            "/dossiers/{code}/status": {"get": {
                "summary": "Tra cứu công khai tình trạng hồ sơ (chỉ trạng thái và ngày hẹn trả)",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _ok(STATUS), "400": _err("Mã sai dạng"), "404": _err("Không tìm thấy"),
                              "503": _err("Máy chủ bận")}}},
            "/health": {"get": {"summary": "Tình trạng máy chủ", "responses": {
                "200": _ok(HEALTH), "400": _err("Yêu cầu sai"), "503": _err("Mất kết nối cơ sở dữ liệu")}}},
            "/openapi.json": {"get": {"summary": "Tài liệu này", "responses": {
                "200": _ok({"type": "object"}, "OpenAPI 3.1"), "400": _err("Yêu cầu sai")}}},
        },
    }
