"""SQL for the ``reminders`` table (the repeat schedule of a ready result): the one module that
writes it, inside the caller's transaction. What is scheduled and when it stops is decided by
``appliance.services.reminders``."""
from __future__ import annotations

import sqlite3


def start(conn: sqlite3.Connection, *, dossier_code: str, kind: str, pager: int | None, counter_id: int | None,
          due_ts: float, every_s: float, left: int, now: float) -> None:
    """(Re)start the schedule of ``dossier_code`` (a second "ready" starts it again)."""
    conn.execute("INSERT INTO reminders (dossier_code, kind, pager, counter_id, due_ts, every_s, left, done, "
                 "started_ts) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (dossier_code) DO UPDATE SET "
                 "kind = excluded.kind, pager = excluded.pager, counter_id = excluded.counter_id, "
                 "due_ts = excluded.due_ts, every_s = excluded.every_s, left = excluded.left, done = 0, "
                 "started_ts = excluded.started_ts",
                 (dossier_code, kind, pager, counter_id, due_ts, every_s, left, now))


def stop_dossier(conn: sqlite3.Connection, code: str) -> bool:
    return conn.execute("DELETE FROM reminders WHERE dossier_code = ?", (code,)).rowcount > 0


def stop_pager(conn: sqlite3.Connection, pager: int) -> list[str]:
    """Stop every schedule for ``pager`` (buzzing it, or calling its dossier on the display after
    the transmitter failed): it is back at the desk. The dossier codes they were for."""
    codes = [str(r[0]) for r in conn.execute("SELECT dossier_code FROM reminders WHERE pager = ?", (pager,))]
    conn.execute("DELETE FROM reminders WHERE pager = ?", (pager,))
    return codes


def pager_to_call(conn: sqlite3.Connection, pager: int) -> sqlite3.Row | None:
    """The transmitter could not buzz ``pager``: its ready dossier's schedule becomes a display call
    (the pager number kept). The row, now ``call``, or None when no ready result holds the pager."""
    conn.execute("UPDATE reminders SET kind = 'call' WHERE kind = 'pager' AND pager = ?", (pager,))
    return conn.execute("SELECT r.*, d.day, d.day_seq, d.ticket_id, t.number AS ticket_number "
                        "FROM reminders r JOIN dossiers d ON d.code = r.dossier_code "
                        "LEFT JOIN tickets t ON t.id = d.ticket_id "
                        "WHERE r.pager = ? AND r.kind = 'call' AND d.state = 'ready' ORDER BY r.id DESC LIMIT 1",
                        (pager,)).fetchone()


def to_call(conn: sqlite3.Connection, pager: int) -> list[str]:
    """The pager is gone (reported lost) but its citizen still waits for the result: the schedules
    that buzzed it call the dossier on the hall display instead; the dossier codes."""
    codes = [str(r[0]) for r in conn.execute("SELECT dossier_code FROM reminders WHERE kind = 'pager' AND pager = ?",
                                             (pager,))]
    conn.execute("UPDATE reminders SET kind = 'call', pager = NULL WHERE kind = 'pager' AND pager = ?", (pager,))
    return codes


def due(conn: sqlite3.Connection, now: float, limit: int = 50) -> list[sqlite3.Row]:
    return conn.execute("SELECT r.*, d.day, d.day_seq, d.ticket_id, t.number AS ticket_number "
                        "FROM reminders r JOIN dossiers d ON d.code = r.dossier_code "
                        "LEFT JOIN tickets t ON t.id = d.ticket_id "
                        "WHERE r.left > 0 AND r.due_ts <= ? ORDER BY r.due_ts, r.id LIMIT ?", (now, limit)).fetchall()


def advance(conn: sqlite3.Connection, reminder_id: int, next_due: float) -> None:
    """One repeat given: one fewer left (at 0 the row stays, with nothing more due)."""
    conn.execute("UPDATE reminders SET left = max(left - 1, 0), done = done + 1, due_ts = ? WHERE id = ?",
                 (next_due, reminder_id))


def drop(conn: sqlite3.Connection, reminder_id: int) -> None:
    """No more repeats (a reminder left from an earlier day)."""
    conn.execute("UPDATE reminders SET left = 0 WHERE id = ?", (reminder_id,))


def next_due(conn: sqlite3.Connection) -> float | None:
    value = conn.execute("SELECT min(due_ts) FROM reminders WHERE left > 0").fetchone()[0]
    return None if value is None else float(value)


def list_all(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM reminders ORDER BY due_ts, id").fetchall()


def pending(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """The schedules with repeats still to come."""
    return conn.execute("SELECT * FROM reminders WHERE left > 0 ORDER BY due_ts, id").fetchall()


def of_dossier(conn: sqlite3.Connection, code: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM reminders WHERE dossier_code = ?", (code,)).fetchone()
