"""The screen's side of pairing (the ``pairing`` blueprint, ``/pair``), called by ``pairing.js``.

``GET /pair/status`` says whether the code on this screen is still waiting, approved or expired;
``POST /pair/claim`` collects the token once approved: it goes into the device cookie (one year,
HttpOnly) and the screen opens the page of its role. Both are authorised by the pairing cookie only.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..auth import appliance
from ..login.access import DEVICE_COOKIE, DEVICE_COOKIE_DAYS
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
