"""Store one validated batch: events, summary tables and the device's sync state, in ONE transaction.

``INSERT … ON CONFLICT (device_id, seq) DO NOTHING RETURNING seq`` tells which events are new;
only those are folded into the summary tables, so a batch sent twice is stored and counted once.
A seq already stored under a *different* event_id means the appliance's outbox was reset: the
batch is refused (409) rather than silently dropped.

``acked_through`` is the device's contiguous high-water mark: every seq up to it is stored. The
first batch a device ever sends sets the baseline (its lowest seq − 1).

A dossier code belongs to the device that received it: the upsert only updates a row of the same
device. An event about a code another device already holds is quarantined (stored as
``hub.quarantined`` with the reason, acknowledged, not folded), so the rest of the batch and the
device's later batches go on. Only two devices taking the same new code in concurrent batches can
still refuse one of them (409 ``code_conflict``); sent again, its event is then quarantined.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, tzinfo

from sqlalchemy import case, delete, event, func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from district.admission import Deadline, DeadlinePassed
from district.db.schema import (
    boots,
    devices,
    dossier_steps,
    dossiers,
    events,
    lookup_keys,
    officers,
    ratings,
    tickets,
)
from district.domain import clock, projections, storable
from district.domain.batch import DOSSIER_TYPES, Batch, quarantine_events
from district.domain.errors import Conflict
from district.store import appointments, meta, ticket_days
from district.store.upsert import insert

TICKET_KEYS = ("device_id", "ticket_id", "day", "number", "service", "service_name", "priority", "state",
               "counter_id", "issued_at", "called_at", "done_at", "wait_s", "service_s", "officer", "last_seq")
DOSSIER_KEYS = ("code", "device_id", "procedure_code", "procedure_name", "field_code", "channel",
                "received_at", "due_at", "target_due_at", "extended_due_at", "target_met", "closed_at",
                "province_code", "state", "return_by_post", "returned_at", "outcome",
                "returned_by_post", "applicant_name", "applicant_id_number", "applicant_phone", "ready_at",
                "portal_code", "fee", "fees", "documents", "digitised", "it_familiarity", "vneid_created",
                "received_by", "counter_id", "last_seq")


def _known_skews(conn: Connection, device_id: str, batch: Batch) -> dict[str, float]:
    wanted = {e.boot_id for e in batch.events if not e.clock_synced}
    if not wanted:
        return {}
    rows = conn.execute(select(boots.c.boot_id, boots.c.skew_s)
                        .where(boots.c.device_id == device_id, boots.c.boot_id.in_(wanted)))
    return {b: s for b, s in rows}


def _store_events(conn: Connection, device_id: str, batch: Batch, plan: clock.SkewPlan,
                  received_at: datetime) -> list:
    rows = []
    times = {}
    for e in batch.events:
        at = plan.event_time(e.wall_time, e.clock_synced, e.boot_id)
        times[e.seq] = at
        rows.append({"device_id": device_id, "seq": e.seq, "event_id": e.event_id, "type": e.type,
                     "payload": storable.logged_payload(e.type, e.payload), "wall_time": e.wall_time,
                     "clock_synced": e.clock_synced,
                     "boot_id": e.boot_id, "event_time": at, "received_at": received_at})
    stmt = (insert(conn, events).on_conflict_do_nothing(index_elements=["device_id", "seq"])
            .returning(events.c.seq))
    inserted = set(conn.execute(stmt, rows).scalars())
    repeated = {e.seq: e.event_id for e in batch.events if e.seq not in inserted}
    if repeated:
        stored = conn.execute(select(events.c.seq, events.c.event_id).where(
            events.c.device_id == device_id, events.c.seq.in_(repeated)))
        for seq, event_id in stored:
            if event_id != repeated[seq]:
                raise Conflict("seq_conflict",
                               f"Số thứ tự {seq} đã có sự kiện khác trên máy chủ: hộp thư đi của thiết bị đã "
                               "bị cài lại. Hãy thu hồi thiết bị và đăng ký lại với mã mới.",
                               "events")
    return [(e, times[e.seq]) for e in batch.events if e.seq in inserted]


def _upsert_tickets(conn: Connection, rows: list[dict]) -> None:
    if not rows:
        return
    stmt = insert(conn, tickets)
    x, t = stmt.excluded, tickets.c
    newer = x.last_seq > t.last_seq

    def latest(col):
        return case((newer, func.coalesce(getattr(x, col), getattr(t, col))), else_=getattr(t, col))

    stmt = stmt.on_conflict_do_update(index_elements=["device_id", "ticket_id"], set_={
        "state": case((newer, x.state), else_=t.state),
        "day": case((newer, x.day), else_=t.day),
        **{c: latest(c) for c in ("number", "service", "service_name", "priority", "counter_id",
                                  "called_at", "done_at", "wait_s", "service_s", "officer")},
        "issued_at": func.coalesce(t.issued_at, x.issued_at),
        "last_seq": case((newer, x.last_seq), else_=t.last_seq),
    })
    conn.execute(stmt, [{k: r.get(k) for k in TICKET_KEYS} for r in rows])


def _upsert_dossiers(conn: Connection, device_id: str, rows: list[dict], batch: Batch) -> None:
    """Insert or update the device's own dossiers; a code another device already holds refuses the batch."""
    corrections = [r for r in rows if r.get("state") is None]
    rows = [r for r in rows if r.get("state") is not None]
    for r in corrections:  # dossier.deadlines / dossier.province_code of a dossier received earlier
        values = {k: r[k] for k in ("due_at", "target_due_at", "outcome", "target_met", "province_code")
                  if r.get(k) is not None}
        conn.execute(update(dossiers)
                     .where(dossiers.c.code == r["code"], dossiers.c.device_id == device_id,
                            dossiers.c.last_seq < r["last_seq"])
                     .values(**values, last_seq=r["last_seq"]))
    if not rows:
        return
    stmt = insert(conn, dossiers)
    x, d = stmt.excluded, dossiers.c
    newer = x.last_seq > d.last_seq
    keep = {"code", "device_id", "state", "last_seq"}
    stmt = stmt.on_conflict_do_update(index_elements=["code"], where=(d.device_id == x.device_id), set_={
        "state": case((newer, x.state), else_=d.state),
        "last_seq": case((newer, x.last_seq), else_=d.last_seq),
        **{c: func.coalesce(getattr(x, c), getattr(d, c)) for c in DOSSIER_KEYS if c not in keep},
    }).returning(d.code)
    written = set(conn.execute(stmt, [{k: r.get(k) for k in DOSSIER_KEYS} for r in rows]).scalars())
    refused = [r["code"] for r in rows if r["code"] not in written]
    if refused:
        code = refused[0]
        owner = conn.execute(select(d.device_id).where(d.code == code)).scalar()
        raise Conflict("code_conflict",
                       f"Mã hồ sơ {code} đã thuộc thiết bị {owner}; thiết bị {device_id} không thể ghi vào hồ sơ "
                       "này. Cả gói sự kiện bị từ chối, không có gì được lưu. Hãy kiểm tra lại mã hồ sơ trên "
                       f"thiết bị {device_id} (mã phải do đúng xã tiếp nhận cấp).",
                       _code_field(batch, code))


def _store_lookup_keys(conn: Connection, device_id: str, rows: list[dict]) -> None:
    """The public lookup's keys of the dossiers received in this batch (or sent later for an older
    one, ``dossier.lookup``), each keyed again with the hub's secret (a stolen table cannot be tried
    offline without it); only for dossiers this device holds and whose keys were not purged."""
    keys = [(r["code"], kind, h) for r in rows for kind, h in r.get("lookup") or ()]
    if not keys:
        return
    held = set(conn.execute(select(dossiers.c.code).where(
        dossiers.c.code.in_({code for code, _k, _h in keys}), dossiers.c.device_id == device_id,
        dossiers.c.lookup_purged_at.is_(None))).scalars())
    keys = [k for k in keys if k[0] in held]
    if not keys:
        return
    secret = meta.lookup_key_in(conn)
    conn.execute(insert(conn, lookup_keys).on_conflict_do_nothing(), [
        {"key_hash": keyed(secret, kind, h), "code": code, "kind": kind} for code, kind, h in keys])


def _purge_lookup_keys(conn: Connection, device_id: str, purged: dict[str, datetime]) -> None:
    """``dossier.purged``: the appliance purged these dossiers' personal data, so the public lookup's
    keys of them go too, and any sent for them later are not stored (``lookup_purged_at``). Only the
    device's own dossiers (another device's code is quarantined before); an unknown code, or one
    purged before (the event sent again), changes nothing."""
    if not purged:
        return
    for code, at in purged.items():
        conn.execute(update(dossiers)
                     .where(dossiers.c.code == code, dossiers.c.device_id == device_id,
                            dossiers.c.lookup_purged_at.is_(None))
                     .values(lookup_purged_at=at))
    held = select(dossiers.c.code).where(dossiers.c.code.in_(purged), dossiers.c.device_id == device_id)
    conn.execute(delete(lookup_keys).where(lookup_keys.c.code.in_(held)))


def keyed(secret: bytes, kind: str, value: str) -> str:
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _upsert_officers(conn: Connection, device_id: str, names: dict[str, tuple[str, datetime]]) -> None:
    """The full name each login was last sent with (a later event's name wins)."""
    if not names:
        return
    stmt = insert(conn, officers)
    x, o = stmt.excluded, officers.c
    stmt = stmt.on_conflict_do_update(index_elements=["device_id", "login"], where=(x.seen_at >= o.seen_at),
                                      set_={"full_name": x.full_name, "seen_at": x.seen_at})
    conn.execute(stmt, [{"device_id": device_id, "login": login, "full_name": name, "seen_at": at}
                        for login, (name, at) in names.items()])


def _event_code(e) -> str | None:
    """The dossier code an event is about, or None."""
    if e.type == "dossier.received":
        return e.payload["dossier"]["code"]
    if e.type in DOSSIER_TYPES:
        return e.payload.get("code")
    return None


def _codes_of_others(conn: Connection, device_id: str, batch: Batch) -> Batch:
    """``batch`` with its events about another device's dossier codes quarantined."""
    codes = {c for c in map(_event_code, batch.events) if c is not None}
    if not codes:
        return batch
    owners = dict(conn.execute(select(dossiers.c.code, dossiers.c.device_id).where(
        dossiers.c.code.in_(codes), dossiers.c.device_id != device_id)).all())
    if not owners:
        return batch
    reasons = {e.seq: f"mã hồ sơ {_event_code(e)} đã thuộc thiết bị {owners[_event_code(e)]}; thiết bị "
                      f"{device_id} không ghi được vào hồ sơ này (mã phải do đúng xã tiếp nhận cấp)"
               for e in batch.events if _event_code(e) in owners}
    return quarantine_events(batch, reasons)


def quarantined(batch: Batch) -> int:
    return sum(1 for e in batch.events if e.type == storable.QUARANTINED)


def _code_field(batch: Batch, code: str) -> str | None:
    """Where ``code`` first appears in the batch, as ``events[i].payload…code``."""
    for i, e in enumerate(batch.events):
        if e.type == "dossier.received" and e.payload["dossier"]["code"] == code:
            return f"events[{i}].payload.dossier.code"
        if e.type in DOSSIER_TYPES and e.type != "dossier.received" and e.payload.get("code") == code:
            return f"events[{i}].payload.code"
    return None


def _acked_through(conn: Connection, device_id: str, previous: int, first_batch: bool, batch: Batch) -> int:
    acked = min(e.seq for e in batch.events) - 1 if first_batch else previous
    seqs = conn.execute(select(events.c.seq).where(events.c.device_id == device_id, events.c.seq > acked)
                        .order_by(events.c.seq).limit(100_000)).scalars()
    for seq in seqs:
        if seq != acked + 1:
            break
        acked = seq
    return acked


QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement ended by statement_timeout


def bound_by(conn: Connection, deadline: Deadline) -> None:
    """Every statement of this transaction starts only before ``deadline`` and, on PostgreSQL, is
    cancelled when it comes (``SET LOCAL statement_timeout`` to what is left, ended with the
    transaction). Raises :class:`DeadlinePassed` instead of starting one too late."""
    postgres = conn.dialect.name == "postgresql"

    def before(connection, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        left = deadline.check()
        if postgres:
            cursor.execute(f"SET LOCAL statement_timeout = {max(1, int(left * 1000))}")
    event.listen(conn, "before_cursor_execute", before)


def ingest(engine: Engine, batch: Batch, received_at: datetime, tz: tzinfo,
           deadline: Deadline | None = None) -> tuple[int, int]:
    """Store ``batch`` for its (already authenticated) device; returns ``acked_through`` and how many
    of the batch's events were quarantined. With a ``deadline`` (``district.admission``) a batch
    that cannot be stored before it is rolled back: :class:`DeadlinePassed`, nothing stored."""
    if deadline is None:
        return _ingest(engine, batch, received_at, tz, None)
    deadline.check()
    try:
        return _ingest(engine, batch, received_at, tz, deadline)
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == QUERY_CANCELED:
            raise DeadlinePassed(f"statement cancelled at the deadline: {exc.orig}") from exc
        raise


def _ingest(engine: Engine, batch: Batch, received_at: datetime, tz: tzinfo,
            deadline: Deadline | None) -> tuple[int, int]:
    device_id = batch.device_id
    with engine.begin() as conn:
        if deadline is not None:
            bound_by(conn, deadline)
        dev = conn.execute(select(devices.c.acked_through, devices.c.events_received)
                           .where(devices.c.id == device_id).with_for_update()).one()
        batch = _codes_of_others(conn, device_id, batch)
        known = _known_skews(conn, device_id, batch)
        plan, learned = clock.plan(batch.sent_at, received_at, known, batch.boot_id, batch.clock_synced)
        stored = _store_events(conn, device_id, batch, plan, received_at) if batch.events else []
        folded = projections.fold(device_id, stored, tz)
        moved_days = ticket_days.ticket_days_of(conn, device_id, folded.tickets) if folded.tickets else set()
        _upsert_tickets(conn, list(folded.tickets.values()))
        _upsert_dossiers(conn, device_id, list(folded.dossiers.values()), batch)
        _purge_lookup_keys(conn, device_id, folded.purged)
        _store_lookup_keys(conn, device_id, list(folded.dossiers.values()))
        if folded.steps:
            conn.execute(insert(conn, dossier_steps).on_conflict_do_nothing(), folded.steps)
        if folded.ratings:
            conn.execute(insert(conn, ratings).on_conflict_do_nothing(), folded.ratings)
        _upsert_officers(conn, device_id, folded.officers)
        appointments.fold(conn, device_id, [(e, at) for e, at in stored if e.type.startswith("appointment.")],
                          received_at)
        if folded.tickets:
            ticket_days.refresh(conn, device_id, moved_days | {r["day"] for r in folded.tickets.values()})
        for boot_id, skew in learned.items():
            stmt = insert(conn, boots).values(device_id=device_id, boot_id=boot_id, skew_s=skew,
                                              measured_at=received_at)
            conn.execute(stmt.on_conflict_do_update(index_elements=["device_id", "boot_id"],
                                                    set_={"skew_s": skew, "measured_at": received_at}))
        first = dev.events_received == 0
        acked = (_acked_through(conn, device_id, dev.acked_through, first, batch) if batch.events
                 else dev.acked_through)
        conn.execute(update(devices).where(devices.c.id == device_id).values(
            acked_through=acked, events_received=devices.c.events_received + len(stored),
            last_sync_at=received_at, last_sent_at=batch.sent_at, skew_s=plan.batch_skew_s,
            backlog=batch.backlog))
    return acked, quarantined(batch)


