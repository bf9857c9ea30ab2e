"""Reference data down to the appliances, with ETag / If-None-Match (304 when unchanged)."""
from __future__ import annotations

from flask import Blueprint, jsonify, make_response, request

from district.api.auth import require_device, require_device_or_staff
from district.api.jsonout import plain
from district.domain.errors import NotFound
from district.hub import current
from district.store import catalog

bp = Blueprint("reference", __name__)


def _with_etag(document: dict, etag: str):
    wanted = {t.strip().strip('"').removeprefix("W/").strip('"')
              for t in request.headers.get("If-None-Match", "").split(",") if t.strip()}
    if etag in wanted or "*" in wanted:
        response = make_response("", 304)
    else:
        response = jsonify(document)
    response.headers["ETag"] = f'"{etag}"'
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/catalog")
def get_catalog():
    require_device_or_staff()
    hub = current()
    with hub.engine.connect() as conn:
        row = catalog.latest(conn)
    if row is None:
        raise NotFound("no_catalog", "Trung tâm chưa công bố danh mục thủ tục ('motcua-hub catalog publish TỆP.json').",
                       None)
    doc = {"version": row.version, "published_at": plain(row.published_at, hub.settings.tz), "catalog": row.content}
    return _with_etag(doc, row.etag)


@bp.get("/fee-pack")
def get_fee_pack():
    """The province's fee pack (resolution number, effective date, amounts), with an ETag."""
    require_device_or_staff()
    hub = current()
    with hub.engine.connect() as conn:
        pack = catalog.fee_pack(conn)
    if pack is None:
        raise NotFound("no_fee_pack", "Trung tâm chưa công bố mức thu lệ phí của tỉnh "
                       "('motcua-hub fees publish TỆP.json').", None)
    return _with_etag(pack, catalog.etag_of(pack))


@bp.get("/devices/<device_id>/config")
def get_config(device_id: str):
    require_device(device_id)
    hub = current()
    with hub.engine.connect() as conn:
        doc = catalog.device_config(conn, device_id, hub.settings.name, hub.settings.level)
    if doc is None:   # require_device has found it: only a device removed meanwhile
        raise NotFound("not_found", f"Không có thiết bị {device_id}.")
    return _with_etag(doc, catalog.etag_of(doc))
