"""JSON API under /api/v1: ingest, enrolment, reference data, commune counts, public lookup."""
from __future__ import annotations

from flask import Flask, jsonify
from sqlalchemy.exc import OperationalError

from district.api import appointments, communes, enroll, guard, ingest, lookup, meta, reference
from district.api.errors import http_status
from district.domain.errors import HubError

BLUEPRINTS = (ingest.bp, enroll.bp, reference.bp, communes.bp, lookup.bp, meta.bp, appointments.bp)


HTTP_MESSAGES = {400: "Yêu cầu không hợp lệ", 404: "Không tìm thấy địa chỉ này",
                 405: "Phương thức không được hỗ trợ", 413: "Nội dung gửi lên quá lớn"}


def error(code: str, message: str, field: str | None, status: int, headers: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message, "field": field}})
    response.status_code = status
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def init_app(app: Flask) -> None:
    guard.init_app(app)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp, url_prefix="/api/v1")

    @app.errorhandler(HubError)
    def hub_error(e: HubError):
        status = http_status(e)
        headers = {"WWW-Authenticate": 'Bearer realm="motcua-hub"'} if status == 401 else None
        return error(e.code, e.message, e.field, status, headers)

    @app.errorhandler(OperationalError)
    def busy(e: OperationalError):
        app.logger.warning("cơ sở dữ liệu bận hoặc mất kết nối: %s", e.orig)
        return error("busy", "Máy chủ đang bận hoặc mất kết nối cơ sở dữ liệu; thiết bị sẽ tự gửi lại sau.",
                     None, 503, {"Retry-After": "5"})

