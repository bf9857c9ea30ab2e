"""Throttling of the dashboard login (Flask-Limiter): at most 5 wrong passwords per login name and
20 per client address in 15 minutes; past that the login answers 429 with ``Retry-After`` and a
Vietnamese message. Only failed logins (401) count; a right password is never slowed down while
under the limit.

Counters live in memory: the hub is one process (waitress threads). Behind a reverse proxy the
address is the proxy's unless the proxy's ``X-Forwarded-For`` is trusted (werkzeug ``ProxyFix``).
"""
from __future__ import annotations

from flask import Flask, Response, request
from flask_babel import get_locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

WINDOW = "15 minutes"
PER_NAME = f"5 per {WINDOW}"
PER_ADDRESS = f"20 per {WINDOW}"

limiter = Limiter(key_func=get_remote_address, default_limits=[], storage_uri="memory://",
                  strategy="moving-window", headers_enabled=True)


def init_app(app: Flask) -> None:
    limiter.init_app(app)


def login_failed(response: Response) -> bool:
    return response.status_code == 401


def login_name() -> str:
    return "login-name:" + request.form.get("name", "").strip().casefold()


def too_many_message() -> str:
    if str(get_locale() or "vi").startswith("en"):
        return "Too many failed logins. Wait 15 minutes and try again, or ask an administrator to reset the password."
    return "Đăng nhập sai quá nhiều lần. Hãy đợi 15 phút rồi thử lại, hoặc nhờ quản trị viên đặt lại mật khẩu."


def throttled(view):
    """The login view, limited per login name and per address; only failures are counted."""
    common = {"methods": ["POST"], "deduct_when": login_failed, "error_message": too_many_message}
    view = limiter.limit(PER_NAME, key_func=login_name, **common)(view)
    return limiter.limit(PER_ADDRESS, key_func=get_remote_address, **common)(view)
