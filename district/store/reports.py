"""Rows the provincial export and the public lookup are computed from (the report tables are
counted in the database: ``district/store/province.py``)."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection

from district.db.schema import devices, dossier_steps, dossiers, lookup_keys
from district.domain.provincial import StepRecord


def provincial_rows(conn: Connection, start: datetime, end: datetime,
                    device_ids: list[str] | None = None) -> list[tuple[dict, list[StepRecord], str]]:
    """Dossiers received or returned in ``[start, end)``, with their own device's steps and the commune's name."""
    c = dossiers.c
    q = (select(dossiers, devices.c.commune_name).join(devices, devices.c.id == c.device_id)
         .where(or_(and_(c.received_at >= start, c.received_at < end),
                    and_(c.returned_at >= start, c.returned_at < end)))
         .order_by(c.received_at, c.code))
    if device_ids is not None:
        q = q.where(c.device_id.in_(device_ids))
    rows = [dict(r) for r in conn.execute(q).mappings()]
    steps: dict[tuple[str, str], list[StepRecord]] = defaultdict(list)
    codes = [r["code"] for r in rows]
    s = dossier_steps.c
    for i in range(0, len(codes), 500):
        for step in conn.execute(select(s.device_id, s.code, s.at, s.kind, s.state, s.actor, s.note)
                                 .join(dossiers, and_(dossiers.c.device_id == s.device_id, dossiers.c.code == s.code))
                                 .where(s.code.in_(codes[i:i + 500]))
                                 .order_by(s.code, s.at, s.seq)):
            steps[(step.device_id, step.code)].append(StepRecord(step.at, step.kind, step.state, step.actor, step.note))
    return [(r, steps[(r["device_id"], r["code"])], r.pop("commune_name")) for r in rows]


def public_status(conn: Connection, code: str) -> dict | None:
    """State and due date of one dossier, found by the appliance's number or by the code the
    province's one-stop system issued (what the citizen's receipt shows); nothing else leaves this
    function."""
    row = conn.execute(select(dossiers.c.state, dossiers.c.due_at).where(dossiers.c.code == code)).first()
    if row is None:
        row = conn.execute(select(dossiers.c.state, dossiers.c.due_at)
                           .where(dossiers.c.province_code == code).limit(1)).first()
    return None if row is None else {"code": code, "state": row.state, "due_at": row.due_at}


def lookup_status(conn: Connection, key_hash: str, limit: int = 5) -> list[dict]:
    """State and due date of the dossiers one lookup key finds (``lookup_keys``), newest first; the code
    (the appliance's or the province's), nothing else."""
    rows = conn.execute(
        select(dossiers.c.code, dossiers.c.province_code, dossiers.c.state, dossiers.c.due_at,
               dossiers.c.extended_due_at, dossiers.c.returned_by_post)
        .join(lookup_keys, lookup_keys.c.code == dossiers.c.code)
        .where(lookup_keys.c.key_hash == key_hash)
        .order_by(dossiers.c.received_at.desc()).limit(limit)).all()
    return [{"code": r.province_code or r.code, "state": r.state, "due_at": r.extended_due_at or r.due_at,
             "by_post": bool(r.returned_by_post)} for r in rows]
