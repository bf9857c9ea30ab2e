"""SQL for appointments (``appointment_slots``, ``appointments``): the one module that writes them.

The rules (who may book a slot, when a booking is late or a no-show) are
``appliance.domain.appointments``; the commands are ``appliance.services.appointments``.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from ..domain.appointments import Slot
from .db import inserted_id, update_by_id

_SLOT_SQL = """
SELECT sl.*, s.code AS service_code, s.name AS service_name, s.name_en AS service_name_en,
       (SELECT count(*) FROM appointments a WHERE a.slot_id = sl.id AND a.state != 'cancelled') AS booked
FROM appointment_slots sl JOIN services s ON s.id = sl.service_id
"""
_APPT_SQL = """
SELECT a.*, sl.start_ts, sl.end_ts, sl.counter_id, sl.owner, sl.service_id, s.code AS service_code,
       s.name AS service_name, s.name_en AS service_name_en, t.number AS ticket_number
FROM appointments a JOIN appointment_slots sl ON sl.id = a.slot_id JOIN services s ON s.id = sl.service_id
LEFT JOIN tickets t ON t.id = a.ticket_id
"""
_APPT_COLUMNS = frozenset({"slot_id", "state", "ticket_id", "checked_in_ts", "closed_ts", "phone", "note"})


def slot_from_row(row: sqlite3.Row) -> Slot:
    return Slot(id=row["id"], service_code=row["service_code"], counter_id=row["counter_id"],
                start_ts=row["start_ts"], end_ts=row["end_ts"], capacity=row["capacity"], owner=row["owner"],
                booked=row["booked"])


# --- slots -------------------------------------------------------------------------------------
def add_slot(conn: sqlite3.Connection, service_id: int, counter_id: int | None, start_ts: float, end_ts: float,
             capacity: int, owner: str, now: float) -> int | None:
    """A new slot; None when the service (and counter) has one at that time already."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO appointment_slots (service_id, counter_id, start_ts, end_ts, capacity, owner, "
        "created_ts) VALUES (?, ?, ?, ?, ?, ?, ?)", (service_id, counter_id, start_ts, end_ts, capacity, owner, now))
    if not cur.rowcount:
        return None
    return inserted_id(cur)


def slot(conn: sqlite3.Connection, slot_id: int) -> sqlite3.Row | None:
    return conn.execute(_SLOT_SQL + " WHERE sl.id = ?", (slot_id,)).fetchone()


def slots_between(conn: sqlite3.Connection, start_ts: float, end_ts: float, service_code: str | None = None,
                  owner: str | None = None) -> list[sqlite3.Row]:
    sql = _SLOT_SQL + " WHERE sl.start_ts >= ? AND sl.start_ts < ?"
    args: list[Any] = [start_ts, end_ts]
    if service_code:
        sql += " AND s.code = ?"
        args.append(service_code)
    if owner:
        sql += " AND sl.owner = ?"
        args.append(owner)
    return conn.execute(sql + " ORDER BY sl.start_ts, s.sort, s.code, sl.counter_id", args).fetchall()


def delete_slot(conn: sqlite3.Connection, slot_id: int) -> None:
    conn.execute("DELETE FROM appointment_slots WHERE id = ?", (slot_id,))


def release(conn: sqlite3.Connection, slot_id: int, now: float) -> bool:
    """The hub handed the slot back: the office owns it from now on."""
    return conn.execute("UPDATE appointment_slots SET owner = 'office', released_ts = ? WHERE id = ? "
                        "AND owner = 'hub'", (now, slot_id)).rowcount > 0


# --- appointments ------------------------------------------------------------------------------
def add(conn: sqlite3.Connection, *, code: str, slot_id: int, phone: str | None, channel: str, now: float,
        user_login: str | None = None, note: str | None = None, hub_id: int | None = None,
        state: str = "booked") -> int:
    return inserted_id(conn.execute(
        "INSERT INTO appointments (code, slot_id, phone, channel, state, note, hub_id, booked_ts, user_login) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (code, slot_id, phone, channel, state, note, hub_id, now, user_login)))


def code_taken(conn: sqlite3.Connection, code: str) -> bool:
    return conn.execute("SELECT 1 FROM appointments WHERE code = ?", (code,)).fetchone() is not None


def get(conn: sqlite3.Connection, appointment_id: int) -> sqlite3.Row | None:
    return conn.execute(_APPT_SQL + " WHERE a.id = ?", (appointment_id,)).fetchone()


def by_code(conn: sqlite3.Connection, code: str) -> sqlite3.Row | None:
    return conn.execute(_APPT_SQL + " WHERE a.code = ?", (code,)).fetchone()


def by_hub_id(conn: sqlite3.Connection, hub_id: int) -> sqlite3.Row | None:
    return conn.execute(_APPT_SQL + " WHERE a.hub_id = ?", (hub_id,)).fetchone()


def open_for_phone(conn: sqlite3.Connection, phone: str, start_ts: float, end_ts: float) -> list[sqlite3.Row]:
    """Bookings not yet checked in for this phone whose slot starts in [start_ts, end_ts)."""
    return conn.execute(_APPT_SQL + " WHERE a.phone = ? AND a.state = 'booked' AND sl.start_ts >= ? "
                        "AND sl.start_ts < ? ORDER BY sl.start_ts", (phone, start_ts, end_ts)).fetchall()


def between(conn: sqlite3.Connection, start_ts: float, end_ts: float, states: tuple[str, ...] | None = None
            ) -> list[sqlite3.Row]:
    sql = _APPT_SQL + " WHERE sl.start_ts >= ? AND sl.start_ts < ?"
    args: list[Any] = [start_ts, end_ts]
    if states:
        sql += f" AND a.state IN ({', '.join('?' for _ in states)})"
        args.extend(states)
    return conn.execute(sql + " ORDER BY sl.start_ts, a.id", args).fetchall()


def for_slot(conn: sqlite3.Connection, slot_id: int) -> list[sqlite3.Row]:
    return conn.execute(_APPT_SQL + " WHERE a.slot_id = ? ORDER BY a.id", (slot_id,)).fetchall()


def overdue(conn: sqlite3.Connection, started_before: float) -> list[sqlite3.Row]:
    """Bookings still open whose slot started before ``started_before`` (the grace included)."""
    return conn.execute(_APPT_SQL + " WHERE a.state = 'booked' AND sl.start_ts < ? ORDER BY sl.start_ts",
                        (started_before,)).fetchall()


def update(conn: sqlite3.Connection, appointment_id: int, **values: Any) -> None:
    update_by_id(conn, "appointments", appointment_id, _APPT_COLUMNS, values)


def counts(conn: sqlite3.Connection, start_ts: float, end_ts: float) -> dict[str, int]:
    """Bookings per state for slots starting in [start_ts, end_ts) (the reports' no-shows)."""
    rows = conn.execute("SELECT a.state, count(*) FROM appointments a JOIN appointment_slots sl ON sl.id = a.slot_id "
                        "WHERE sl.start_ts >= ? AND sl.start_ts < ? GROUP BY a.state", (start_ts, end_ts))
    return {r[0]: r[1] for r in rows}


def counts_by_service(conn: sqlite3.Connection, start_ts: float, end_ts: float) -> list[sqlite3.Row]:
    """(service code, names, state, count) of the bookings whose slot starts in [start_ts, end_ts)."""
    return conn.execute(
        "SELECT s.code, s.name, s.name_en, a.state, count(*) AS n FROM appointments a "
        "JOIN appointment_slots sl ON sl.id = a.slot_id JOIN services s ON s.id = sl.service_id "
        "WHERE sl.start_ts >= ? AND sl.start_ts < ? GROUP BY s.code, s.name, s.name_en, a.state "
        "ORDER BY s.sort, s.code", (start_ts, end_ts)).fetchall()


def purge_phones(conn: sqlite3.Connection, closed_before: float, now: float) -> int:
    """The phone of bookings whose slot ended before ``closed_before`` and are no longer open."""
    return conn.execute(
        "UPDATE appointments SET phone = NULL, purged_ts = ? WHERE purged_ts IS NULL AND state != 'booked' "
        "AND slot_id IN (SELECT id FROM appointment_slots WHERE end_ts < ?)", (now, closed_before)).rowcount
