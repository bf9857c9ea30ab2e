"""Screen pairings (SQL only): codes waiting for an administrator, approvals, collected tokens."""
from __future__ import annotations

import sqlite3

from .db import inserted_id


def expire(conn: sqlite3.Connection, now: float) -> int:
    """Mark pending or approved pairings past their time as expired; returns how many."""
    return conn.execute("UPDATE screen_pairings SET state = 'expired' "
                        "WHERE state IN ('pending', 'approved') AND expires_ts <= ?", (now,)).rowcount


def forget_old(conn: sqlite3.Connection, before: float) -> None:
    """Drop pairings that ended (expired, or collected) before ``before``."""
    conn.execute("DELETE FROM screen_pairings WHERE state IN ('expired', 'claimed') AND created_ts < ?",
                 (before,))


def created_since(conn: sqlite3.Connection, address: str, since: float) -> int:
    return conn.execute("SELECT count(*) FROM screen_pairings WHERE address = ? AND created_ts >= ?",
                        (address, since)).fetchone()[0]


def open_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM screen_pairings WHERE state IN ('pending', 'approved')").fetchone()[0]


def code_open(conn: sqlite3.Connection, code: str) -> bool:
    return conn.execute("SELECT 1 FROM screen_pairings WHERE code = ? AND state IN ('pending', 'approved')",
                        (code,)).fetchone() is not None


def insert(conn: sqlite3.Connection, code: str, secret_hash: str, address: str, page: str, user_agent: str,
           now: float, expires_ts: float) -> int:
    return inserted_id(conn.execute(
        "INSERT INTO screen_pairings (code, secret_hash, address, page, user_agent, created_ts, expires_ts) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", (code, secret_hash, address, page, user_agent, now, expires_ts)))


def by_secret(conn: sqlite3.Connection, secret_hash: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM screen_pairings WHERE secret_hash = ?", (secret_hash,)).fetchone()


def open_by_code(conn: sqlite3.Connection, code: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM screen_pairings WHERE code = ? AND state IN ('pending', 'approved')",
                        (code,)).fetchone()


def approve(conn: sqlite3.Connection, pairing_id: int, role: str, name: str, counter_id: int | None,
            counters: str | None, approved_by: str, now: float, expires_ts: float) -> bool:
    return conn.execute(
        "UPDATE screen_pairings SET state = 'approved', role = ?, name = ?, counter_id = ?, counters = ?, "
        "approved_by = ?, approved_ts = ?, expires_ts = ? WHERE id = ? AND state = 'pending'",
        (role, name, counter_id, counters, approved_by, now, expires_ts, pairing_id)).rowcount == 1


def claimed(conn: sqlite3.Connection, pairing_id: int, token_id: int) -> bool:
    return conn.execute("UPDATE screen_pairings SET state = 'claimed', token_id = ? "
                        "WHERE id = ? AND state = 'approved'", (token_id, pairing_id)).rowcount == 1


def cancel(conn: sqlite3.Connection, pairing_id: int) -> bool:
    return conn.execute("UPDATE screen_pairings SET state = 'expired' "
                        "WHERE id = ? AND state IN ('pending', 'approved')", (pairing_id,)).rowcount == 1


def list_open(conn: sqlite3.Connection, now: float) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM screen_pairings WHERE state IN ('pending', 'approved') AND expires_ts > ? "
                        "ORDER BY created_ts, id", (now,)).fetchall()


def list_screens(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every token of a screen role that is not revoked, with the address it was paired from."""
    return conn.execute(
        "SELECT t.id, t.name, t.role, t.counter_id, t.counters, t.created_ts, t.last_used_ts, "
        "p.address, p.approved_by FROM api_tokens t LEFT JOIN screen_pairings p ON p.token_id = t.id "
        "WHERE t.role IN ('display', 'kiosk', 'mirror') AND NOT t.revoked ORDER BY t.role, t.name, t.id").fetchall()


def screen_token(conn: sqlite3.Connection, token_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM api_tokens WHERE id = ? AND role IN ('display', 'kiosk', 'mirror')",
                        (token_id,)).fetchone()


def counter_ids(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM counters ORDER BY id")]
