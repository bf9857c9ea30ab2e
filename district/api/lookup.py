"""GET /api/v1/dossiers/{code}/status: public, state and due date only (no personal data)."""
from __future__ import annotations

import re

from flask import Blueprint, jsonify

from district.api.jsonout import plain
from district.domain.errors import HubError, NotFound
from district.domain.labels import dossier_state
from district.hub import current
from district.store.reports import public_status

bp = Blueprint("lookup", __name__)
CODE_RE = re.compile(r"^[A-Za-z0-9.\-]{6,64}$")


def status_of(code: str) -> dict | None:
    code = code.strip()
    if not CODE_RE.match(code):
        raise HubError("invalid_code", "Mã hồ sơ không đúng dạng, ví dụ 000.00.06.H56-261123-0001", "code")
    hub = current()
    with hub.engine.connect() as conn:
        found = public_status(conn, code)
    if found is None:
        return None
    return {"code": found["code"], "state": found["state"], "state_label": dossier_state(found["state"]),
            "due_at": found["due_at"]}


@bp.get("/dossiers/<code>/status")
def dossier_status(code: str):
    found = status_of(code)
    if found is None:
        raise NotFound("not_found", "Không tìm thấy hồ sơ với mã này. Kiểm tra lại mã trên phiếu hoặc tin nhắn; "
                       "hồ sơ mới tiếp nhận có thể chưa được đồng bộ.", "code")
    response = jsonify(plain(found, current().settings.tz))
    response.headers["Cache-Control"] = "no-store"
    return response
