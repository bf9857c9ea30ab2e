"""SQL for postal return (issue 17): the results waiting for the postal worker and the handover
lists (``postal_handovers``, migration 0018). Functions take a connection inside the caller's
transaction, like every store module."""
from __future__ import annotations

import sqlite3

from .db import inserted_id


def pending(conn: sqlite3.Connection, limit: int = 500) -> list[sqlite3.Row]:
    """Dossiers whose result is ready and whose citizen chose postal return, oldest ready first."""
    return conn.execute(
        "SELECT * FROM dossiers WHERE state = 'ready' AND return_by_post = 1 AND purged_ts IS NULL "
        "ORDER BY ready_ts, id LIMIT ?", (limit,)).fetchall()


def next_seq(conn: sqlite3.Connection, year: int) -> int:
    row = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM postal_handovers WHERE year = ?", (year,)).fetchone()
    return int(row[0])


def insert(conn: sqlite3.Connection, *, year: int, seq: int, handed_ts: float, officer: str | None,
           officer_name: str | None, postal_unit: str, postal_worker: str, note: str | None) -> int:
    cur = conn.execute(
        "INSERT INTO postal_handovers (year, seq, handed_ts, officer, officer_name, postal_unit, postal_worker, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (year, seq, handed_ts, officer, officer_name, postal_unit, postal_worker, note))
    return inserted_id(cur)


def attach(conn: sqlite3.Connection, dossier_id: int, handover_id: int) -> None:
    conn.execute("UPDATE dossiers SET postal_handover_id = ? WHERE id = ?", (handover_id, dossier_id))


def get(conn: sqlite3.Connection, handover_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM postal_handovers WHERE id = ?", (handover_id,)).fetchone()


def items(conn: sqlite3.Connection, handover_id: int) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM dossiers WHERE postal_handover_id = ? ORDER BY id",
                        (handover_id,)).fetchall()


def recent(conn: sqlite3.Connection, limit: int = 20) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT h.*, (SELECT count(*) FROM dossiers d WHERE d.postal_handover_id = h.id) AS count, "
        "(SELECT coalesce(sum(d.post_fee), 0) FROM dossiers d WHERE d.postal_handover_id = h.id) AS fees "
        "FROM postal_handovers h ORDER BY h.handed_ts DESC, h.id DESC LIMIT ?", (limit,)).fetchall()


def units_used(conn: sqlite3.Connection, limit: int = 10) -> list[str]:
    """The postal units named on earlier lists, most recent first (the form's suggestions)."""
    return [r[0] for r in conn.execute(
        "SELECT postal_unit FROM postal_handovers GROUP BY postal_unit ORDER BY max(handed_ts) DESC LIMIT ?",
        (limit,))]
