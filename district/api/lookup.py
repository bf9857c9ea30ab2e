"""The hub's public lookup: state and due date only, no personal data.

* ``GET /api/v1/dossiers/{code}/status`` and ``/tra-cuu?ma=`` — by the dossier's code;
* ``/tra-cuu`` (``/thu-tuc/tra-cuu``) by phone + the last 4 digits of the personal number, or by the
  QR link printed on the ticket and on Mẫu 01 (``?ho-so=CODE&k=…``, ``?so=TICKET&k=…``): found
  through ``lookup_keys``, the hashed keys the appliances sync with each dossier
  (``appliance.domain.lookup``), keyed again with the hub's secret. The raw phone and number are never
  compared; the lookup computes the same key from the citizen's query.
"""
from __future__ import annotations

import re

from flask import Blueprint, jsonify

from appliance.domain import lookup as lookup_rules
from district.api.jsonout import plain
from district.domain.errors import HubError, NotFound
from district.domain.labels import dossier_state
from district.hub import current
from district.store import meta
from district.store.ingest import keyed
from district.store.reports import lookup_status, public_status

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


def _answers(key_hash: str) -> list[dict]:
    hub = current()
    with hub.engine.connect() as conn:
        rows = lookup_status(conn, key_hash)
    return [{**r, "state_label": dossier_state(r["state"])} for r in rows]


def by_phone(query: lookup_rules.Query) -> list[dict]:
    """The dossiers of this phone + last 4 digits (at most 5, newest first)."""
    secret = meta.lookup_key(current().engine)
    return _answers(keyed(secret, "phone", lookup_rules.phone_key(query)))


def by_link(kind: str, value: str, proof: str) -> list[dict]:
    """The dossier of a QR link (``dossier`` and its code, or ``ticket`` and its number), if its ``k`` is
    the one the appliance printed."""
    if kind not in ("dossier", "ticket") or not value or not proof or len(value) > 64 or len(proof) > 64:
        return []
    secret = meta.lookup_key(current().engine)
    return _answers(keyed(secret, "link", lookup_rules.link_hash(kind, value, proof)))[:1]
