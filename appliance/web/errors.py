"""Errors as JSON under /api (Vietnamese message and the offending field), pages elsewhere.

:data:`STATUS` is the one table from a kind of refusal to its HTTP status: the domain raises
:class:`~appliance.domain.errors.DomainError` kinds without statuses, :func:`http_status` finds the
nearest kind of an error in the table.
"""
from __future__ import annotations

import sqlite3

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ..config import ConfigError
from ..domain.errors import Conflict, DomainError, NotAllowed, NotFound, TooManyRequests, Unavailable, Unprocessable
from ..ops.disk import FULL_MESSAGE, FULL_MESSAGE_EN, is_disk_full
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
    503: ("Cơ sở dữ liệu đang bận, hãy thử lại sau vài giây.", "The database is busy; try again in a few seconds."),
}
BUSY_RETRY_AFTER_S = 2
DISK_FULL_RETRY_AFTER_S = 30


class Forbidden(DomainError):
    """The request may not be made this way (a cookie-authorised write without its CSRF token)."""


class UnsupportedMediaType(DomainError):
    """The body is not JSON (its Content-Type says otherwise)."""


STATUS: dict[type[DomainError], int] = {
    DomainError: 400,  # a rule was broken: bad input
    Forbidden: 403,
    NotAllowed: 403,
    NotFound: 404,
    Conflict: 409,
    UnsupportedMediaType: 415,
    Unprocessable: 422,
    TooManyRequests: 429,
    Unavailable: 503,
}


def http_status(exc: DomainError) -> int:
    """The status of the nearest kind of ``exc`` in :data:`STATUS` (every DomainError has one)."""
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    raise TypeError(f"{type(exc).__name__} is not a DomainError")
_SQLITE_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED (primary codes)


def database_busy(exc: sqlite3.OperationalError) -> bool:
    """True when SQLite gave up waiting for another writer (busy / locked), not for a real fault."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _SQLITE_BUSY_CODES:
        return True
    text = str(exc).lower()
    return "locked" in text or "busy" in text


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
        status = http_status(exc)
        if wants_json():
            return jsonify(exc.as_json(current_language())), status
        return render_template("error.html", status=status, message=exc.message(current_language())), status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if wants_json():
            field = getattr(exc, "motcua_field", None)
            message = getattr(exc, "motcua_message", None)
            return error_json(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"), message, field)
        return exc

    @app.errorhandler(sqlite3.OperationalError)
    def operational_error(exc: sqlite3.OperationalError):
        if is_disk_full(exc):
            return disk_full()
        if not database_busy(exc):
            app.logger.error("database error on %s %s", request.method, request.path, exc_info=exc)
            if wants_json():
                return error_json(500, "internal_server_error")
            return InternalServerError()
        app.logger.warning("database busy on %s %s: %s", request.method, request.path, exc)
        headers = {"Retry-After": str(BUSY_RETRY_AFTER_S)}
        if wants_json():
            body, status = error_json(503, "database_busy")
            return body, status, headers
        vi, en = HTTP_MESSAGES[503]
        message = en if current_language() == "en" else vi
        return render_template("error.html", status=503, message=message), 503, headers

    @app.errorhandler(OSError)
    def os_error(exc: OSError):
        if is_disk_full(exc):
            return disk_full()
        raise exc

    def disk_full():
        """507: nothing of this request was saved; the alarm (health, admin, fault lamp) is on."""
        app.logger.error("disk full on %s %s", request.method, request.path)
        current_app.extensions["motcua"].disk.write_failed()
        message = FULL_MESSAGE_EN if current_language() == "en" else FULL_MESSAGE
        headers = {"Retry-After": str(DISK_FULL_RETRY_AFTER_S)}
        if wants_json():
            body, status = error_json(507, "disk_full", message)
            return body, status, headers
        return render_template("error.html", status=507, message=message), 507, headers

    @app.errorhandler(OverflowError)
    def too_large_a_number(exc: OverflowError):
        # SQLite's driver: "Python int too large to convert to SQLite INTEGER", a number typed or
        # sent beyond ±2⁶³ that no check stopped earlier (appliance.domain.limits)
        app.logger.warning("number out of range on %s %s: %s", request.method, request.path, exc)
        return domain_error(DomainError("invalid", None, detail=("số quá lớn (giới hạn ±2⁶³)",
                                                                 "too large a number (±2⁶³)")))

    @app.errorhandler(ConfigError)
    def config_error(exc: ConfigError):
        return error_json(400, "config", str(exc))
