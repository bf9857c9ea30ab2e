"""The hub's ``events`` log no longer keeps the public lookup's hashes: ``lookup`` is taken out of
the stored ``dossier.received`` / ``dossier.lookup`` payloads (and of quarantined copies of them),
as ingest now does (``district.domain.storable.logged_payload``). The appliance's phone hash is
not keyed with the hub's secret: beside the code in the log, a known phone could be tried against
the 10,000 possible last four digits. The keys stay in ``lookup_keys``, keyed again, deleted when
the dossier is purged. Rows are rewritten 1,000 at a time; nothing to undo (the hashes are gone).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""
import json

import sqlalchemy as sa
from alembic import op

from district.db.types import Json
from district.domain.storable import escaped_copy, logged_payload

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BATCH = 1000
TYPES = ("dossier.received", "dossier.lookup", "hub.quarantined")

events = sa.table("events", sa.column("device_id", sa.String), sa.column("seq", sa.BigInteger),
                  sa.column("type", sa.String), sa.column("payload", Json))


def _scrubbed(event_type: str, payload):
    """The payload without the lookup's hashes, or ``payload`` itself when it had none. A quarantined
    copy keeps the original as JSON text (``raw``), cut at its length limit: parsed and written
    again without them, or, when it cannot be parsed, replaced by a note."""
    if event_type != "hub.quarantined":
        return logged_payload(event_type, payload)
    raw = payload.get("raw") if isinstance(payload, dict) else None
    if not isinstance(raw, str) or '"lookup"' not in raw:
        return payload
    try:
        original = json.loads(raw)
    except ValueError:
        return {**payload, "raw": "<đã xóa: bản sao có khóa tra cứu / removed: it held lookup keys>"}
    return {**payload, "raw": escaped_copy(logged_payload(str(payload.get("original_type")), original))}


def upgrade() -> None:
    conn = op.get_bind()
    after = ("", -1)
    while True:
        rows = conn.execute(
            sa.select(events.c.device_id, events.c.seq, events.c.type, events.c.payload)
            .where(events.c.type.in_(TYPES), sa.tuple_(events.c.device_id, events.c.seq) > sa.tuple_(*after))
            .order_by(events.c.device_id, events.c.seq).limit(BATCH)).all()
        if not rows:
            return
        for device_id, seq, event_type, payload in rows:
            kept = _scrubbed(event_type, payload)
            if kept is not payload:
                conn.execute(events.update().where(events.c.device_id == device_id, events.c.seq == seq)
                             .values(payload=kept))
        after = (rows[-1][0], rows[-1][1])


def downgrade() -> None:
    pass  # the hashes are gone for good; the rows stay valid without them
