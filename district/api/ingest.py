"""POST /api/v1/devices/{id}/events:batch: the appliances push their outbox here."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy.exc import DataError

from district.admission import Deadline, DeadlinePassed, Shed
from district.api.auth import require_device
from district.api.body import read_json
from district.domain.batch import quarantine_all, validate_batch
from district.domain.errors import BatchNotJson
from district.hub import current
from district.store.ingest import ingest

bp = Blueprint("ingest", __name__)


OVERLOADED = ("Máy chủ cấp trên đang nhận dữ liệu của nhiều xã cùng lúc; lô này chưa được lưu, "
              "thiết bị sẽ tự gửi lại sau {retry} giây.")


@bp.post("/devices/<device_id>/events:batch")
def events_batch(device_id: str):
    hub = current()
    try:
        try:
            with hub.admission.slot() as deadline:
                return _store_batch(hub, device_id, deadline)
        except DeadlinePassed as late:
            current_app.logger.warning("thiết bị %s: lô chưa lưu kịp hạn %s s, trả 503 (%s)", device_id,
                                       hub.admission.deadline_s, late)
            raise hub.admission.expired() from late
    except Shed as shed:
        body = {"error": {"code": "overloaded", "message": OVERLOADED.format(retry=shed.retry_after_s),
                          "field": None}}
        return jsonify(body), 503, {"Retry-After": str(shed.retry_after_s)}


def _store_batch(hub, device_id: str, deadline: Deadline):
    received_at = hub.now()
    require_device(device_id)
    s = hub.settings
    if request.mimetype not in ("application/json", ""):
        raise BatchNotJson("bad_content_type", "Chỉ nhận Content-Type: application/json", "Content-Type")
    batch = validate_batch(read_json(s.max_batch_bytes, s.max_inflated_bytes), device_id, s.max_batch_events,
                           received_at)
    try:
        acked, held = ingest(hub.engine, batch, received_at, s.tz, deadline)
    except DataError as exc:
        # a value the checks of district.domain.storable did not foresee: keep the batch quarantined
        # and acknowledge it, rather than a 500 that the device would repeat for ever
        current_app.logger.error("thiết bị %s: cơ sở dữ liệu từ chối lô, lưu cách ly: %s", device_id, exc.orig)
        acked, held = ingest(hub.engine, quarantine_all(batch, f"cơ sở dữ liệu từ chối: {exc.orig}"),
                             received_at, s.tz, deadline)
    if held:
        current_app.logger.warning("thiết bị %s: %d sự kiện bị lưu cách ly (hub.quarantined)", device_id, held)
    return jsonify({"acked_through": acked, "quarantined": held})
