"""The screen's side of pairing (the ``pairing`` blueprint, ``/pair``), called by ``pairing.js``.

``GET /pair/status`` says whether the code on this screen is still waiting, approved or expired;
``POST /pair/claim`` collects the token once approved: it goes into the device cookie (one year,
HttpOnly) and the screen opens the page of its role. Both are authorised by the pairing cookie only.
``GET /pair/me`` tells a paired screen whether its device cookie still counts (revocation).
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ...store import accounts
from ..auth import appliance
from ..login.access import DEVICE_COOKIE, DEVICE_COOKIE_DAYS, DEVICE_ROLES
from .page import PAIRING_COOKIE, screens

bp = Blueprint("pairing", __name__, url_prefix="/pair")


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/status")
def status():
    pairing = screens().status(request.cookies.get(PAIRING_COOKIE, ""))
    if pairing is None:
        return _no_store(jsonify({"state": "unknown"})), 404
    return _no_store(jsonify({"state": pairing.state, "code": pairing.shown_code,
                              "expires_in_s": max(0, round(pairing.expires_ts - appliance().clock()))}))


@bp.get("/me")
def me():
    """Is this screen still paired? ``screen_watch.js`` asks every few seconds on the kiosk and
    the citizen screen (the hall TV learns it from its event stream): 401 once the token is revoked,
    and the page then reloads into its pairing screen. Reads the device cookie itself, so a citizen
    screen (whose cookie counts only on its own pages) gets its answer here too."""
    token = request.cookies.get(DEVICE_COOKIE, "")
    principal = accounts.token_principal(appliance().db.conn(), token) if token else None
    if principal is None or principal.role not in DEVICE_ROLES:
        return _no_store(jsonify({"paired": False})), 401
    return _no_store(jsonify({"paired": True, "role": principal.role, "name": principal.name}))


@bp.post("/claim")
def claim():
    claimed = screens().claim(request.cookies.get(PAIRING_COOKIE, ""))
    if claimed is None:
        return _no_store(jsonify({"state": "not_approved"})), 409
    token, pairing = claimed
    response = jsonify({"state": "claimed", "role": pairing.role, "home": pairing.home_path()})
    response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_DAYS * 86400, httponly=True,
                        samesite="Lax", secure=appliance().settings.web.secure_cookies)
    response.delete_cookie(PAIRING_COOKIE)
    return _no_store(response)
