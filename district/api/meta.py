"""GET /api/v1/health and GET /api/v1/openapi.json."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from district.api.openapi import document
from district.hub import current

bp = Blueprint("meta", __name__)


@bp.get("/health")
def health():
    hub = current()
    with hub.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return jsonify({"status": "ok", "database": hub.engine.dialect.name, "hub": hub.settings.name,
                    "level": hub.settings.level})


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(current().settings.name))
