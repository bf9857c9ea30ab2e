"""Appointments on the hub (docs/appointments.md): the slots appliances offer on the public page, the
bookings made there, and what each appliance pulls down.

**One owner per slot.** A slot arrives with its ``appointment.slot`` event, owned by the hub. The hub
books it (``book``, the slot's row locked, capacity counted in the same transaction) until
``closes_at``; from then on it refuses to book it and hands it back (``release_due``: ``owner`` =
``office``), which the appliance learns at its next pull. The appliance books only slots it owns, so a
seat is never given by both sides and nothing is merged. Cancellations may come from either side (a
freed seat is only given again by the slot's owner).

The appliance reports what became of a public booking (``appointment.checked_in``, ``.no_show``,
``.cancelled`` with its ``hub_id``); the booking's phone is then removed here.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.engine import Connection

from district.db.schema import appointment_bookings as bookings
from district.db.schema import appointment_slots as slots
from district.db.schema import devices
from district.domain.appointments import clean_phone, hub_code
from district.domain.errors import Conflict, HubError, NotFound
from district.domain.timefmt import parse_aware
from district.store.upsert import insert

KEEP_PAST = timedelta(days=2)         # bookings of slots that started this long ago are still sent down
CLOSED = ("checked_in", "late", "no_show", "cancelled")
SEAT_STATES = ("booked", "checked_in", "late", "no_show")   # every state but cancelled holds a seat


# --- from the appliance's events --------------------------------------------------------------
def fold(conn: Connection, device_id: str, stored: list[tuple[Any, datetime]], now: datetime) -> None:
    """Apply the newly stored ``appointment.*`` events of one batch (in seq order)."""
    for e, _at in stored:
        p = e.payload if isinstance(e.payload, dict) else {}
        if e.type == "appointment.slot":
            _slot(conn, device_id, p)
        elif e.type in ("appointment.cancelled", "appointment.checked_in", "appointment.no_show"):
            hub_id = p.get("hub_id")
            state = p.get("state")
            if isinstance(hub_id, int) and not isinstance(hub_id, bool) and state in CLOSED:
                conn.execute(update(bookings).where(and_(bookings.c.id == hub_id, bookings.c.device_id == device_id))
                             .values(state=state, phone=None, changed_at=now))


def _slot(conn: Connection, device_id: str, p: dict) -> None:
    """A slot offered on the public page; one already known keeps its owner (the hub's, or handed back)."""
    try:
        slot_id = int(p["slot_id"])
        start, end, closes = parse_aware(p["start"]), parse_aware(p["end"]), parse_aware(p["closes_at"])
        capacity = int(p["capacity"])
        service = str(p["service"])[:32]
        name = str(p.get("service_name") or service)[:200]
    except (KeyError, TypeError, ValueError):
        return   # an unreadable slot is kept only as its event
    if p.get("owner") != "hub" or capacity < 1:
        return
    counter = p.get("counter_id") if isinstance(p.get("counter_id"), int) else None
    row = {"device_id": device_id, "slot_id": slot_id, "service": service, "service_name": name,
           "counter_id": counter, "start_at": start, "end_at": end, "capacity": capacity, "owner": "hub",
           "closes_at": closes}
    conn.execute(insert(conn, slots).values(**row).on_conflict_do_nothing(index_elements=["device_id", "slot_id"]))


# --- the public page --------------------------------------------------------------------------
def _booked_count():
    return (select(func.count()).select_from(bookings)
            .where(and_(bookings.c.device_id == slots.c.device_id, bookings.c.slot_id == slots.c.slot_id,
                        bookings.c.state.in_(SEAT_STATES))).scalar_subquery())


def communes(conn: Connection, now: datetime) -> list[dict]:
    """Communes with at least one slot still open for booking here."""
    booked = _booked_count()
    q = (select(devices.c.id, devices.c.commune_name, func.count().label("slots"))
         .select_from(slots.join(devices, devices.c.id == slots.c.device_id))
         .where(and_(slots.c.owner == "hub", slots.c.closes_at > now, devices.c.revoked_at.is_(None),
                     booked < slots.c.capacity))
         .group_by(devices.c.id, devices.c.commune_name).order_by(devices.c.commune_name))
    return [dict(r._mapping) for r in conn.execute(q)]


def commune_name(conn: Connection, device_id: str) -> str | None:
    return conn.execute(select(devices.c.commune_name).where(devices.c.id == device_id)).scalar()


def open_slots(conn: Connection, device_id: str, now: datetime) -> list[dict]:
    booked = _booked_count().label("booked")
    q = (select(slots, booked).where(and_(slots.c.device_id == device_id, slots.c.owner == "hub",
                                          slots.c.closes_at > now))
         .order_by(slots.c.start_at, slots.c.service, slots.c.slot_id))
    out = []
    for r in conn.execute(q):
        row = dict(r._mapping)
        row["free"] = max(0, row["capacity"] - row["booked"])
        if row["free"]:
            out.append(row)
    return out


def book(conn: Connection, device_id: str, slot_id: int, phone: str | None, now: datetime,
         rng: random.Random | None = None) -> dict:
    """One seat of a hub-owned slot, in the caller's transaction (the slot's row is locked)."""
    number = clean_phone(phone)
    if number is None:
        raise HubError("phone_required", "Cần số điện thoại di động (ví dụ 0912345678) để nhận mã và tin nhắc.",
                       "phone")
    slot = conn.execute(select(slots).where(and_(slots.c.device_id == device_id, slots.c.slot_id == slot_id))
                        .with_for_update()).first()
    if slot is None:
        raise NotFound("unknown_slot", "Không có khung giờ này.", "slot")
    if slot.owner != "hub" or slot.closes_at <= now:
        raise Conflict("slot_closed", "Khung giờ này đã ngừng nhận đặt qua mạng; xin gọi điện cho bộ phận một cửa "
                       "hoặc chọn giờ khác.", "slot")
    taken = conn.execute(select(func.count()).select_from(bookings).where(and_(
        bookings.c.device_id == device_id, bookings.c.slot_id == slot_id,
        bookings.c.state.in_(SEAT_STATES)))).scalar_one()
    if taken >= slot.capacity:
        raise Conflict("slot_full", "Khung giờ này đã đủ người đặt; xin chọn giờ khác.", "slot")
    draw = (rng or random.SystemRandom()).randint
    for _ in range(50):
        code = hub_code(draw)
        exists = conn.execute(select(bookings.c.id).where(and_(bookings.c.device_id == device_id,
                                                                bookings.c.code == code))).first()
        if exists is None:
            break
    else:   # 50,000 codes a commune: never in practice
        raise Conflict("slot_full", "Không cấp được mã lịch hẹn; xin thử lại.", "slot")
    new_id = conn.execute(bookings.insert().values(device_id=device_id, slot_id=slot_id, code=code, phone=number,
                                                   state="booked", created_at=now, changed_at=now)
                          .returning(bookings.c.id)).scalar_one()
    return {"id": new_id, "code": code, "phone": number, "start_at": slot.start_at, "end_at": slot.end_at,
            "service_name": slot.service_name, "counter_id": slot.counter_id}


def cancel(conn: Connection, device_id: str, code: str, phone: str | None, now: datetime) -> dict:
    """The citizen cancels a booking made here: the code and the phone it was made with must match
    (a code alone cannot cancel someone else's appointment). The appliance hears it at its next pull."""
    number = clean_phone(phone)
    row = conn.execute(select(bookings).where(and_(bookings.c.device_id == device_id, bookings.c.code == code.strip()))
                       .with_for_update()).first() if number else None
    if row is None or row.phone != number:
        raise NotFound("unknown_booking", "Không tìm thấy lịch hẹn với mã và số điện thoại này.", "code")
    if row.state != "booked":
        raise Conflict("booking_closed", "Lịch hẹn này đã xong hoặc đã hủy.", "code")
    conn.execute(update(bookings).where(bookings.c.id == row.id).values(state="cancelled", changed_at=now))
    slot = conn.execute(select(slots.c.start_at, slots.c.service_name).where(and_(
        slots.c.device_id == device_id, slots.c.slot_id == row.slot_id))).first()
    return {"code": row.code, "start_at": slot.start_at if slot else None,
            "service_name": slot.service_name if slot else ""}


# --- down to the appliance --------------------------------------------------------------------
def release_due(conn: Connection, device_id: str, now: datetime) -> list[int]:
    """Slots whose online booking has closed are handed back to the office (once)."""
    ids = [r[0] for r in conn.execute(select(slots.c.slot_id).where(and_(
        slots.c.device_id == device_id, slots.c.owner == "hub", slots.c.closes_at <= now)).with_for_update())]
    if ids:
        conn.execute(update(slots).where(and_(slots.c.device_id == device_id, slots.c.slot_id.in_(ids)))
                     .values(owner="office", released_at=now))
    return ids


def device_document(conn: Connection, device_id: str, now: datetime) -> dict:
    """What the appliance pulls: the public bookings of its recent and coming slots, and the slots
    handed back. Whole, not a delta: the appliance applies it idempotently (known by the hub's id)."""
    since = now - KEEP_PAST
    rows = conn.execute(select(bookings.c.id, bookings.c.slot_id, bookings.c.code, bookings.c.phone,
                               bookings.c.state, bookings.c.created_at)
                        .select_from(bookings.join(slots, and_(slots.c.device_id == bookings.c.device_id,
                                                               slots.c.slot_id == bookings.c.slot_id)))
                        .where(and_(bookings.c.device_id == device_id, slots.c.start_at >= since))
                        .order_by(bookings.c.id))
    released = conn.execute(select(slots.c.slot_id).where(and_(
        slots.c.device_id == device_id, slots.c.owner == "office", slots.c.start_at >= since))
        .order_by(slots.c.slot_id))
    return {"bookings": [{"id": r.id, "slot_id": r.slot_id, "code": r.code, "phone": r.phone, "state": r.state,
                          "booked_at": r.created_at.isoformat(timespec="seconds")} for r in rows],
            "released": [r[0] for r in released]}
