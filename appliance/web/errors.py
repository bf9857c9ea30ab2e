"""Errors as JSON under /api (Vietnamese message and the offending field), pages elsewhere."""
from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from ..config import ConfigError
from ..domain.errors import DomainError
from .i18n import current_language

HTTP_MESSAGES = {
    400: ("Yêu cầu không hợp lệ.", "Bad request."),
    401: ("Cần đăng nhập hoặc mã truy cập (Authorization: Bearer …).", "Login or a bearer token is required."),
    403: ("Tài khoản không có quyền làm việc này.", "Your role may not do this."),
    404: ("Không tìm thấy địa chỉ này.", "Not found."),
    405: ("Phương thức không được hỗ trợ ở địa chỉ này.", "Method not allowed."),
    413: ("Dữ liệu gửi lên quá lớn.", "Request body too large."),
    415: ("Cần gửi dữ liệu JSON (Content-Type: application/json).", "Send JSON (Content-Type: application/json)."),
    429: ("Quá nhiều yêu cầu; hãy thử lại sau ít phút.", "Too many requests; try again later."),
    500: ("Lỗi hệ thống; đã ghi nhật ký. Hãy thử lại hoặc báo quản trị.", "Internal error; logged."),
}


def error_json(status: int, code: str, message: str | None = None, field: str | None = None):
    lang = current_language()
    if message is None:
        vi, en = HTTP_MESSAGES.get(status, HTTP_MESSAGES[400])
        message = en if lang == "en" else vi
    return jsonify({"error": {"code": code, "message": message, "field": field}}), status


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        if wants_json():
            return jsonify(exc.as_json(current_language())), exc.status
        from flask import render_template
        return render_template("error.html", status=exc.status, message=exc.message(current_language())), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if wants_json():
            field = getattr(exc, "motcua_field", None)
            message = getattr(exc, "motcua_message", None)
            return error_json(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"), message, field)
        return exc

    @app.errorhandler(ConfigError)
    def config_error(exc: ConfigError):
        return error_json(400, "config", str(exc))
