"""GET /api/v1/devices/{id}/appointments: what an appliance pulls at each sync (docs/appointments.md).

The bookings made on the public page for the device's recent and coming slots, and the slots whose
online booking has closed, handed back to the office now (``release_due``, in this request's
transaction). With an ETag: unchanged since the last pull answers 304.
"""
from __future__ import annotations

from flask import Blueprint

from district.api.auth import require_device
from district.api.reference import _with_etag
from district.hub import current
from district.store import appointments, catalog
from district.store import clock as hub_clock

bp = Blueprint("appointments", __name__)


@bp.get("/devices/<device_id>/appointments")
def device_appointments(device_id: str):
    require_device(device_id)
    now = hub_clock.utcnow()
    with current().engine.begin() as conn:
        appointments.release_due(conn, device_id, now)
        doc = appointments.device_document(conn, device_id, now)
    return _with_etag(doc, catalog.etag_of(doc))
