"""GET /api/v1/communes: per commune the counts behind the dashboard (hub staff token)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from district.api.auth import require_staff
from district.api.jsonout import plain
from district.hub import current
from district.store import dashboard

bp = Blueprint("communes", __name__)


@bp.get("/communes")
def list_communes():
    require_staff()
    hub = current()
    today, now = hub.today(), hub.now()
    with hub.engine.connect() as conn:
        rows = dashboard.communes(conn, today, now, hub.settings.tz)
    return jsonify(plain({"hub": {"name": hub.settings.name, "level": hub.settings.level},
                          "day": today, "generated_at": now, "communes": rows}, hub.settings.tz))
