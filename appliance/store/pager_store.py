"""SQL for the pagers table (thẻ rung): the one module that writes it.

Which pager may be handed out, returned or detached is decided by the pager policy
(``appliance.services.pagers``); this module only reads and writes rows, inside the caller's
transaction. A row is ``(number, state, ticket_id, dossier_code, changed_ts)`` with ``state`` one
of ``free``, ``assigned``, ``lost``.
"""
from __future__ import annotations

import sqlite3


def sync_pool(conn: sqlite3.Connection, size: int) -> None:
    """Pagers 1..size exist; numbers above it that are free are dropped, others are kept."""
    conn.executemany("INSERT OR IGNORE INTO pagers (number) VALUES (?)", [(n,) for n in range(1, size + 1)])
    conn.execute("DELETE FROM pagers WHERE number > ? AND state = 'free'", (size,))


def list_pagers(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every pager with the number of the ticket holding it, if any."""
    return conn.execute("SELECT p.*, t.number AS ticket_number FROM pagers p "
                        "LEFT JOIN tickets t ON t.id = p.ticket_id ORDER BY p.number").fetchall()


def state(conn: sqlite3.Connection, number: int) -> str | None:
    """``free``, ``assigned`` or ``lost``; ``None`` for a number the office has not registered."""
    row = conn.execute("SELECT state FROM pagers WHERE number = ?", (number,)).fetchone()
    return None if row is None else str(row[0])


def first_free(conn: sqlite3.Connection) -> int | None:
    value = conn.execute("SELECT min(number) FROM pagers WHERE state = 'free'").fetchone()[0]
    return None if value is None else int(value)


def open_holder(conn: sqlite3.Connection, number: int, open_states: tuple[str, ...]) -> str | None:
    """The code of the dossier in one of ``open_states`` that this assigned pager stands for."""
    marks = ", ".join("?" for _ in open_states)
    row = conn.execute(f"SELECT d.code FROM pagers p JOIN dossiers d ON d.code = p.dossier_code "
                       f"WHERE p.number = ? AND p.state = 'assigned' AND d.state IN ({marks})",
                       (number, *open_states)).fetchone()
    return None if row is None else str(row[0])


def holder(conn: sqlite3.Connection, number: int) -> tuple[int | None, str | None]:
    """(ticket id, dossier code) the pager is assigned to (both ``None`` when it is not)."""
    row = conn.execute("SELECT ticket_id, dossier_code FROM pagers WHERE number = ? AND state = 'assigned'",
                       (number,)).fetchone()
    return (None, None) if row is None else (row[0], row[1])


def assign(conn: sqlite3.Connection, number: int, now: float, ticket_id: int | None = None,
           dossier_code: str | None = None) -> None:
    conn.execute("UPDATE pagers SET state = 'assigned', ticket_id = ?, dossier_code = ?, changed_ts = ? "
                 "WHERE number = ?", (ticket_id, dossier_code, now, number))


def link_dossier(conn: sqlite3.Connection, number: int, code: str) -> None:
    """The ticket's pager now also stands for the dossier."""
    conn.execute("UPDATE pagers SET dossier_code = ? WHERE number = ? AND state = 'assigned'", (code, number))


def set_free(conn: sqlite3.Connection, number: int, now: float) -> None:
    conn.execute("UPDATE pagers SET state = 'free', ticket_id = NULL, dossier_code = NULL, changed_ts = ? "
                 "WHERE number = ?", (now, number))


def set_lost(conn: sqlite3.Connection, number: int, now: float) -> None:
    conn.execute("UPDATE pagers SET state = 'lost', ticket_id = NULL, dossier_code = NULL, changed_ts = ? "
                 "WHERE number = ?", (now, number))


def free_if_dossier(conn: sqlite3.Connection, number: int, code: str, now: float) -> bool:
    """Free the pager only if it is still assigned to this dossier; whether it was."""
    cur = conn.execute("UPDATE pagers SET state = 'free', ticket_id = NULL, dossier_code = NULL, changed_ts = ? "
                       "WHERE number = ? AND dossier_code = ? AND state = 'assigned'", (now, number, code))
    return cur.rowcount > 0


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many pagers are ``free``, ``assigned`` and ``lost``."""
    out = {"free": 0, "assigned": 0, "lost": 0}
    for state_, n in conn.execute("SELECT state, count(*) FROM pagers GROUP BY state"):
        out[str(state_)] = int(n)
    return out
