"""Login, logout, the forced password change and the device cookie (the ``login`` blueprint).

``views`` the login and password pages, ``access`` the page guard and the device cookie (used by
every panel), ``throttle`` the failed-login counter.
"""
from __future__ import annotations

from flask import Flask

from .access import device_principal_from_cookie, require_own_password, role_name
from .throttle import THROTTLE_KEY, LoginThrottle
from .views import bp


def init_app(app: Flask) -> None:
    app.extensions[THROTTLE_KEY] = LoginThrottle()
    app.before_request(device_principal_from_cookie)
    app.before_request(require_own_password)
    app.jinja_env.globals["role_name"] = role_name


def register(app: Flask) -> None:
    app.register_blueprint(bp)
