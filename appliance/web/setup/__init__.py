"""First boot in the browser (the ``setup`` blueprint, ``/setup``; views in ``views``).

On a fresh install with no administrator, the home page and the login page send the first visitor
to ``/setup``, which creates the administrator (office network only, the one-time setup code
printed on the boot slip and shown on the hall TV), then walks them through the setup wizard:
office, services and counters, printer and pager, and what to do next (pair the screens, the
first ticket).
"""
from __future__ import annotations

from flask import Flask, redirect, request, url_for

from ...services import firstboot
from ..auth import appliance
from ..login.throttle import LoginThrottle
from .views import THROTTLE_KEY, bp

# where the first visitor of a fresh install lands
FIRST_VISIT_ENDPOINTS = frozenset({"home.index", "login.login"})


def to_setup_while_no_admin():
    if request.method == "GET" and request.endpoint in FIRST_VISIT_ENDPOINTS \
            and firstboot.needs_admin(appliance().db.conn()):
        return redirect(url_for("setup.first_admin"))
    return None


def register(app: Flask) -> None:
    # wrong setup codes: 5 per address in 15 minutes (the name is fixed: one code for the office)
    app.extensions[THROTTLE_KEY] = LoginThrottle(per_login=1000, per_address=5, window_s=900)
    app.before_request(to_setup_while_no_admin)
    app.register_blueprint(bp)
