"""POST /api/v1/enroll: a one-time enrolment token becomes the device's bearer token."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from district.domain.errors import HubError
from district.hub import current
from district.store import devices

bp = Blueprint("enroll", __name__)


@bp.post("/enroll")
def enroll():
    body = request.get_json(silent=True)
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token.strip():
        raise HubError("invalid_field", "Thiếu mã đăng ký: gửi {\"token\": \"…\"} (mã in ra bởi "
                       "'motcua-hub device add MÃ').", "token")
    hub = current()
    with hub.engine.begin() as conn:
        device_id, device_token = devices.enrol(conn, token.strip())
    return jsonify({"device_id": device_id, "device_token": device_token, "hub_name": hub.settings.name,
                    "hub_level": hub.settings.level})
