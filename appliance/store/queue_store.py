"""SQL for tickets, counters' runs and ratings (the queue engine's port), and the read-side
queries of the queue snapshot. Pagers are ``pager_store``'s, outbox and audit rows the unit of
work's (``appliance.services.uow``)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..domain.queue import Counter, Service, Ticket
from . import office_store
from .db import Database, inserted_id, update_by_id

_TICKET_SQL = """
SELECT t.*, s.code AS service_code, s.name AS service_name
FROM tickets t JOIN services s ON s.id = t.service_id
"""
_TICKET_COLUMNS = frozenset({
    "state", "counter_id", "target_counter_id", "pager", "called_ts", "serving_ts",
    "finished_ts", "recalls", "service_id", "user_login",
})


def service_from_row(row: sqlite3.Row) -> Service:
    return Service(id=row["id"], code=row["code"], name=row["name"], prefix=row["prefix"],
                   range_start=row["range_start"], range_end=row["range_end"],
                   active=bool(row["active"]), name_en=row["name_en"])


def ticket_from_row(row: sqlite3.Row) -> Ticket:
    return Ticket(
        id=row["id"], service_id=row["service_id"], service_code=row["service_code"],
        service_name=row["service_name"], day=row["day"], seq=row["seq"], number=row["number"],
        priority=bool(row["priority"]), state=row["state"], issued_ts=row["issued_ts"],
        counter_id=row["counter_id"], target_counter_id=row["target_counter_id"], pager=row["pager"],
        priority_reason=row["priority_reason"], channel=row["channel"], called_ts=row["called_ts"],
        serving_ts=row["serving_ts"], finished_ts=row["finished_ts"], recalls=row["recalls"],
        officer=row["user_login"], appointment_ts=row["appointment_ts"], appointment_id=row["appointment_id"])


class SqliteQueueTx:
    """The queue's SQL over one transaction's connection, implementing
    ``appliance.services.queue.QueueTx``; ``clock_synced`` is recorded on new tickets."""

    def __init__(self, conn: sqlite3.Connection, clock_synced: bool):
        self.conn = conn
        self.clock_synced = clock_synced

    def service_by_code(self, code: str) -> Service | None:
        row = self.conn.execute("SELECT * FROM services WHERE code = ?", (code,)).fetchone()
        return service_from_row(row) if row else None

    def service(self, service_id: int) -> Service:
        return service_from_row(self.conn.execute("SELECT * FROM services WHERE id = ?",
                                                  (service_id,)).fetchone())

    def counter(self, counter_id: int) -> Counter | None:
        row = self.conn.execute("SELECT * FROM counters WHERE id = ?", (counter_id,)).fetchone()
        if row is None:
            return None
        ids = frozenset(r[0] for r in self.conn.execute(
            "SELECT service_id FROM counter_services WHERE counter_id = ?", (counter_id,)))
        return Counter(id=row["id"], name=row["name"], service_ids=ids, active=bool(row["active"]),
                       priority_run=row["priority_run"], normal_run=row["normal_run"], state=row["state"],
                       appointment_run=row["appointment_run"], name_en=row["name_en"] or "")

    def counters_serving(self, service_id: int) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM counter_services cs JOIN counters c ON c.id = cs.counter_id "
            "WHERE cs.service_id = ? AND c.active AND c.state != 'closed'", (service_id,)).fetchone()[0]

    def next_seq(self, service_id: int, day: str) -> int:
        """The service's next daily sequence number: over the tickets it *issued* (a ticket
        transferred in keeps its own service's number; one transferred out still holds its number),
        read through the unique index ``tickets_number`` (migration 0025)."""
        return self.conn.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM tickets WHERE coalesce(issued_service_id, service_id) = ? "
            "AND day = ?", (service_id, day)).fetchone()[0]

    def insert_ticket(self, **values: Any) -> int:
        values.setdefault("clock_synced", int(self.clock_synced))
        values.setdefault("issued_service_id", values.get("service_id"))
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        return inserted_id(self.conn.execute(f"INSERT INTO tickets ({cols}) VALUES ({marks})",
                                             tuple(values.values())))

    def ticket(self, ticket_id: int) -> Ticket | None:
        row = self.conn.execute(_TICKET_SQL + " WHERE t.id = ?", (ticket_id,)).fetchone()
        return ticket_from_row(row) if row else None

    def active_ticket(self, counter_id: int) -> Ticket | None:
        row = self.conn.execute(_TICKET_SQL + " WHERE t.counter_id = ? AND t.state IN ('called', 'serving') "
                                "ORDER BY t.called_ts DESC LIMIT 1", (counter_id,)).fetchone()
        return ticket_from_row(row) if row else None

    def last_finished(self, counter_id: int) -> Ticket | None:
        row = self.conn.execute(_TICKET_SQL + " WHERE t.counter_id = ? AND t.state = 'done' "
                                "ORDER BY t.finished_ts DESC LIMIT 1", (counter_id,)).fetchone()
        return ticket_from_row(row) if row else None

    def waiting_for(self, day: str, service_ids: Iterable[int], counter_id: int) -> list[Ticket]:
        """The head of each class (earliest priority walk-in, earliest normal walk-in, earliest
        booked appointment): all the rule (``choose_with_appointments``) needs."""
        ids = list(service_ids)
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        heads = []
        for priority in (1, 0):
            row = self.conn.execute(
                _TICKET_SQL + f" WHERE t.day = ? AND t.state = 'waiting' AND t.service_id IN ({marks}) "
                "AND t.priority = ? AND t.appointment_ts IS NULL "
                "AND (t.target_counter_id IS NULL OR t.target_counter_id = ?) "
                "ORDER BY t.issued_ts, t.id LIMIT 1", (day, *ids, priority, counter_id)).fetchone()
            if row is not None:
                heads.append(ticket_from_row(row))
        row = self.conn.execute(
            _TICKET_SQL + f" WHERE t.day = ? AND t.state = 'waiting' AND t.service_id IN ({marks}) "
            "AND t.appointment_ts IS NOT NULL AND (t.target_counter_id IS NULL OR t.target_counter_id = ?) "
            "ORDER BY t.appointment_ts, t.issued_ts, t.id LIMIT 1", (day, *ids, counter_id)).fetchone()
        if row is not None:
            heads.append(ticket_from_row(row))
        return heads

    def waiting_ahead(self, day: str, service_id: int, issued_ts: float, ticket_id: int) -> int:
        return self.conn.execute(
            "SELECT count(*) FROM tickets WHERE day = ? AND service_id = ? AND state = 'waiting' "
            "AND (issued_ts < ? OR (issued_ts = ? AND id < ?))",
            (day, service_id, issued_ts, issued_ts, ticket_id)).fetchone()[0]

    def recent_service_seconds(self, service_id: int, limit: int) -> list[float]:
        rows = self.conn.execute(
            "SELECT finished_ts - coalesce(serving_ts, called_ts) FROM tickets "
            "WHERE service_id = ? AND state = 'done' AND finished_ts IS NOT NULL "
            "ORDER BY finished_ts DESC LIMIT ?", (service_id, limit)).fetchall()
        return [r[0] for r in rows if r[0] is not None and r[0] >= 0]

    def update_ticket(self, ticket_id: int, **values: Any) -> None:
        update_by_id(self.conn, "tickets", ticket_id, _TICKET_COLUMNS, values)

    def count_transfer(self, ticket_id: int) -> None:
        self.conn.execute("UPDATE tickets SET transfers = transfers + 1 WHERE id = ?", (ticket_id,))

    def set_counter_runs(self, counter_id: int, priority_run: int, normal_run: int,
                         appointment_run: int = 0) -> None:
        office_store.set_counter_runs(self.conn, counter_id, priority_run, normal_run, appointment_run)

    def add_rating(self, counter_id: int, ticket_id: int | None, level: str, source: str,
                   user_login: str | None, ts: float, dossier_code: str | None = None) -> int:
        return inserted_id(self.conn.execute(
            "INSERT INTO ratings (counter_id, ticket_id, level, source, user_login, ts, dossier_code) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (counter_id, ticket_id, level, source, user_login, ts, dossier_code)))

    def rated(self, ticket_id: int | None, dossier_code: str | None) -> bool:
        """A rating exists for this ticket (any source), or for this dossier without a ticket."""
        if ticket_id is not None:
            row = self.conn.execute("SELECT 1 FROM ratings WHERE ticket_id = ? LIMIT 1", (ticket_id,)).fetchone()
        else:
            row = self.conn.execute("SELECT 1 FROM ratings WHERE dossier_code = ? AND ticket_id IS NULL LIMIT 1",
                                    (dossier_code,)).fetchone()
        return row is not None

    def ticket_dossier(self, ticket_id: int) -> str | None:
        """The code of the dossier received on this ticket (the latest), if any."""
        row = self.conn.execute("SELECT code FROM dossiers WHERE ticket_id = ? ORDER BY id DESC LIMIT 1",
                                (ticket_id,)).fetchone()
        return row["code"] if row else None

    def dossier_returner(self, code: str) -> str | None:
        """Who handed the dossier's result over (its latest 'return'); None if it was not returned."""
        row = self.conn.execute(
            "SELECT e.user_login FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id "
            "WHERE d.code = ? AND e.action = 'return' ORDER BY e.id DESC LIMIT 1", (code,)).fetchone()
        return (row["user_login"] or "") if row else None

    def officer_name(self, login: str | None) -> str | None:
        """The full name of a user (the hub's reports show names, not logins); None if unknown or blank."""
        if not login:
            return None
        row = self.conn.execute("SELECT full_name FROM users WHERE login = ?", (login,)).fetchone()
        return (row["full_name"] or None) if row else None


def queries(unit: Any) -> SqliteQueueTx:
    """The queue's SQL inside a unit of work (``appliance.services.uow.UnitOfWork``)."""
    return SqliteQueueTx(unit.conn, unit.clock_synced)


def counter(db: Database, counter_id: int) -> Counter | None:
    """One counter and the services it serves (a read)."""
    with db.read() as conn:
        return SqliteQueueTx(conn, False).counter(counter_id)


# --- read side ------------------------------------------------------------------------------
def snapshot(db: Database, day: str) -> dict[str, Any]:
    """Services with waiting counts, counters with their current ticket, recent calls."""
    with db.read() as conn:
        services = conn.execute(
            "SELECT s.*, (SELECT count(*) FROM tickets t WHERE t.day = ? AND t.state = 'waiting' "
            "AND t.service_id = s.id) AS waiting, (SELECT count(*) FROM tickets t WHERE t.day = ? "
            "AND t.state = 'waiting' AND t.service_id = s.id AND t.priority) AS waiting_priority "
            "FROM services s ORDER BY s.sort, s.code", (day, day)).fetchall()
        counters = conn.execute("SELECT * FROM counters ORDER BY id").fetchall()
        serves = conn.execute("SELECT cs.counter_id, s.code FROM counter_services cs "
                              "JOIN services s ON s.id = cs.service_id ORDER BY s.sort, s.code").fetchall()
        # one index seek per counter (tickets_active), never a scan of the tickets
        active = conn.execute(_TICKET_SQL + " WHERE t.counter_id IN (SELECT id FROM counters) "
                              "AND t.state IN ('called', 'serving')").fetchall()
        recent = conn.execute(_TICKET_SQL + " WHERE t.day = ? AND t.called_ts IS NOT NULL "
                              "ORDER BY t.called_ts DESC LIMIT 10", (day,)).fetchall()
    by_counter = {r["counter_id"]: ticket_from_row(r) for r in active}
    codes: dict[int, list[str]] = {}
    for r in serves:
        codes.setdefault(r["counter_id"], []).append(r["code"])
    return {
        "services": [{"code": s["code"], "name": s["name"], "name_en": s["name_en"],
                      "prefix": s["prefix"], "active": bool(s["active"]), "waiting": s["waiting"],
                      "waiting_priority": s["waiting_priority"]} for s in services],
        "counters": [{"id": c["id"], "name": c["name"], "active": bool(c["active"]), "state": c["state"],
                      "services": codes.get(c["id"], []), "ticket": by_counter.get(c["id"])}
                     for c in counters],
        "recent": [ticket_from_row(r) for r in recent],
    }


def waiting_list(db: Database, day: str, service_ids: Iterable[int], limit: int = 50) -> list[Ticket]:
    ids = list(service_ids)
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = db.conn().execute(
        _TICKET_SQL + f" WHERE t.day = ? AND t.state = 'waiting' AND t.service_id IN ({marks}) "
        "ORDER BY t.priority DESC, t.issued_ts, t.id LIMIT ?", (day, *ids, limit)).fetchall()
    return [ticket_from_row(r) for r in rows]


def get_ticket(db: Database, ticket_id: int) -> Ticket | None:
    row = db.conn().execute(_TICKET_SQL + " WHERE t.id = ?", (ticket_id,)).fetchone()
    return ticket_from_row(row) if row else None



@dataclass(frozen=True)
class CounterState:
    """What the counter console shows, read in one transaction."""
    counter: Counter
    current: Ticket | None
    waiting: list[Ticket]           # for this counter (its services, not sent to another counter)
    services: list[dict[str, Any]]  # every service, as rows
    counters: list[dict[str, Any]]  # every counter with the codes it serves


def counter_view(db: Database, counter_id: int, day: str, limit: int = 500) -> CounterState | None:
    """The counter, its current ticket, who waits for it today, and the services and counters it
    may transfer to; ``None`` for an unknown counter."""
    with db.read() as conn:
        tx = SqliteQueueTx(conn, False)  # only its queries; nothing is written
        counter = tx.counter(counter_id)
        if counter is None:
            return None
        current = tx.active_ticket(counter_id)
        ids = list(counter.service_ids)
        waiting: list[Ticket] = []
        if ids:
            marks = ", ".join("?" for _ in ids)
            rows = conn.execute(
                _TICKET_SQL + f" WHERE t.day = ? AND t.state = 'waiting' AND t.service_id IN ({marks}) "
                "AND (t.target_counter_id IS NULL OR t.target_counter_id = ?) "
                "ORDER BY t.priority DESC, t.issued_ts, t.id LIMIT ?", (day, *ids, counter_id, limit)).fetchall()
            waiting = [ticket_from_row(r) for r in rows]
        services = [dict(r) for r in office_store.list_services(conn)]
        counters = office_store.list_counters(conn)
    return CounterState(counter, current, waiting, services, counters)
