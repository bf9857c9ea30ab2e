"""CSRF protection for every panel form (Flask-WTF's CSRFProtect).

Every POST/PUT/PATCH/DELETE outside the JSON API must carry the session's token, as a hidden
``csrf_token`` field (``{{ csrf_token() }}`` in a template) or an ``X-CSRFToken`` header. The JSON
API under ``/api/v1`` is exempt: it is used with bearer tokens, and browser sessions reach it only
with cookies that are ``SameSite=Lax`` (never sent on a cross-site POST).

The token lives as long as the session (``WTF_CSRF_TIME_LIMIT = None``): a counter console or a
kiosk stays open all day, and a login session ends after ``PERMANENT_SESSION_LIFETIME`` anyway.
"""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()


def is_fetch() -> bool:
    """A request made by our own JavaScript (which then swaps in the HTML it gets back)."""
    return request.headers.get("X-Requested-With") == "motcua"


def init_app(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
    from .api import bp as api_bp
    csrf.exempt(api_bp)

    @app.errorhandler(CSRFError)
    def csrf_failed(exc: CSRFError):
        message = _("Biểu mẫu đã cũ hoặc phiên làm việc đã hết hạn. Hãy tải lại trang (F5) rồi thử lại.")
        if request.path.startswith("/api/"):
            from .errors import error_json
            return error_json(400, "csrf", message)
        if is_fetch():
            return render_template("layout/_notice.html", level="error", message=message), 400
        return render_template("layout/message.html", title=_("Không gửi được biểu mẫu"),
                               message=message, status=400), 400
