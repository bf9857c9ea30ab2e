"""SQL for the officer's own counter: its working state, the officers assigned to it, and its last
undoable step (``counter_undo``). The rules are ``appliance.domain.counter_desk``; the commands
``appliance.services.counter_desk``."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from ..domain.counter_desk import UNDO_COLUMNS, Rows, UndoRecord
from ..domain.errors import NotFound


def state(conn: sqlite3.Connection, counter_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT id, name, active, state, state_ts, state_by FROM counters WHERE id = ?",
                        (counter_id,)).fetchone()


def set_state(conn: sqlite3.Connection, counter_id: int, new_state: str, ts: float, by: str | None) -> None:
    conn.execute("UPDATE counters SET state = ?, state_ts = ?, state_by = ? WHERE id = ?",
                 (new_state, ts, by, counter_id))


def release_targeted(conn: sqlite3.Connection, counter_id: int) -> list[str]:
    """Tickets waiting for this counter only go back to their service's queue; their numbers."""
    rows = conn.execute("SELECT id, number FROM tickets WHERE state = 'waiting' AND target_counter_id = ? "
                        "ORDER BY issued_ts, id", (counter_id,)).fetchall()
    conn.execute("UPDATE tickets SET target_counter_id = NULL WHERE state = 'waiting' AND target_counter_id = ?",
                 (counter_id,))
    return [r["number"] for r in rows]


# --- assignments ----------------------------------------------------------------------------
def officers_of(conn: sqlite3.Connection, counter_id: int) -> list[str]:
    """The logins assigned to a counter (active accounts only)."""
    return [r[0] for r in conn.execute(
        "SELECT u.login FROM counter_officers co JOIN users u ON u.id = co.user_id "
        "WHERE co.counter_id = ? AND u.active ORDER BY u.full_name, u.login", (counter_id,))]


def assignments(conn: sqlite3.Connection) -> dict[int, list[str]]:
    """Every counter's assigned logins."""
    out: dict[int, list[str]] = {}
    for r in conn.execute("SELECT co.counter_id, u.login FROM counter_officers co JOIN users u ON u.id = co.user_id "
                          "WHERE u.active ORDER BY co.counter_id, u.full_name, u.login"):
        out.setdefault(r[0], []).append(r[1])
    return out


def counters_of(conn: sqlite3.Connection, login: str) -> list[int]:
    """The counters a login is assigned to."""
    return [r[0] for r in conn.execute(
        "SELECT co.counter_id FROM counter_officers co JOIN users u ON u.id = co.user_id "
        "WHERE u.login = ? ORDER BY co.counter_id", (login,))]


def set_officers(conn: sqlite3.Connection, counter_id: int, logins: Iterable[str]) -> list[str]:
    """Replace the counter's assigned officers; the logins stored (an unknown one is refused)."""
    ids = []
    wanted = list(dict.fromkeys(logins))
    for login in wanted:
        row = conn.execute("SELECT id FROM users WHERE login = ? AND role IN ('admin', 'officer')",
                           (login,)).fetchone()
        if row is None:
            raise NotFound("not_found", "officers", what=(f"cán bộ '{login}'", f"officer '{login}'"))
        ids.append(row[0])
    conn.execute("DELETE FROM counter_officers WHERE counter_id = ?", (counter_id,))
    conn.executemany("INSERT INTO counter_officers (counter_id, user_id) VALUES (?, ?)",
                     [(counter_id, i) for i in ids])
    return wanted


def officer_choices(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Accounts that may work a counter (officers and administrators), active ones."""
    return conn.execute("SELECT login, full_name, role FROM users WHERE active AND role IN ('admin', 'officer') "
                        "ORDER BY role = 'admin', full_name, login").fetchall()


# --- undo -----------------------------------------------------------------------------------
def ticket_rows(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[str, dict[str, Any]]:
    """The undo columns of these tickets, keyed by id as text."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    cols = ", ".join(UNDO_COLUMNS)
    rows = conn.execute(f"SELECT id, {cols} FROM tickets WHERE id IN ({marks})", wanted).fetchall()
    return {str(r["id"]): {c: r[c] for c in UNDO_COLUMNS} for r in rows}


def restore_tickets(conn: sqlite3.Connection, rows: Rows) -> None:
    sets = ", ".join(f"{c} = ?" for c in UNDO_COLUMNS)
    for ticket_id, values in rows.items():
        conn.execute(f"UPDATE tickets SET {sets} WHERE id = ?", (*(values[c] for c in UNDO_COLUMNS), int(ticket_id)))


def save_undo(conn: sqlite3.Connection, record: UndoRecord) -> None:
    conn.execute(
        "INSERT INTO counter_undo (counter_id, token, action, ts, user_login, summary, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(counter_id) DO UPDATE SET token = excluded.token, "
        "action = excluded.action, ts = excluded.ts, user_login = excluded.user_login, "
        "summary = excluded.summary, before = excluded.before, after = excluded.after",
        (record.counter_id, record.token, record.action, record.ts, record.user_login,
         json.dumps(record.summary, ensure_ascii=False),
         json.dumps({"tickets": record.before, "runs": record.runs_before}), json.dumps(record.after)))


def load_undo(conn: sqlite3.Connection, counter_id: int) -> UndoRecord | None:
    row = conn.execute("SELECT * FROM counter_undo WHERE counter_id = ?", (counter_id,)).fetchone()
    if row is None:
        return None
    before = json.loads(row["before"])
    runs = before.get("runs")
    return UndoRecord(counter_id=row["counter_id"], token=row["token"], action=row["action"], ts=row["ts"],
                      user_login=row["user_login"], summary=json.loads(row["summary"]),
                      before=before["tickets"], after=json.loads(row["after"]),
                      runs_before=(int(runs[0]), int(runs[1])) if runs else None)


def delete_undo(conn: sqlite3.Connection, counter_id: int) -> None:
    conn.execute("DELETE FROM counter_undo WHERE counter_id = ?", (counter_id,))
