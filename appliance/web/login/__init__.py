"""Login, logout, the forced password change and the device cookie (the ``login`` blueprint).

``views`` the login and password pages, ``access`` the page guard and the device cookie (used by
every panel), ``throttle`` the failed-login counter.
"""
from __future__ import annotations

from flask import Flask

from ...services.accounts import login_backoff
from .access import device_principal_from_cookie, header_identity, require_own_password, role_name
from .throttle import THROTTLE_KEY, LoginThrottle  # noqa: F401 (LoginThrottle: used by setup and its tests)
from .views import bp


def init_app(app: Flask) -> None:
    # the login: exponential backoff per account+address, account and address (appliance.domain.throttle),
    # its counts kept in SQLite across restarts; LoginThrottle (a sliding window) stays for the first-boot code
    appliance = app.extensions["motcua"]
    app.extensions[THROTTLE_KEY] = login_backoff(appliance.units, appliance.clock)
    app.before_request(device_principal_from_cookie)
    app.before_request(require_own_password)
    app.jinja_env.globals["role_name"] = role_name
    app.jinja_env.globals["header_identity"] = header_identity


def register(app: Flask) -> None:
    app.register_blueprint(bp)
