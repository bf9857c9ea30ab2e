"""SQL for people and machines that may use the panel and the API: the users and api_tokens
tables (their only writer). The rules are ``appliance.domain.accounts``, the commands
``appliance.services.accounts``; audit rows are the unit of work's (``store/audit_store.py``).
"""
from __future__ import annotations

import secrets
import sqlite3
import time

from ..domain.accounts import (  # noqa: F401
    ALL_TOKEN_ROLES,
    COUNTER_TOKEN_ROLES,
    MIN_PASSWORD,
    TOKEN_ROLES,
    USER_ROLES,
    Principal,
    token_hash,
)


# --- users ------------------------------------------------------------------------------------
def login_taken(conn: sqlite3.Connection, login: str) -> bool:
    return conn.execute("SELECT 1 FROM users WHERE login = ?", (login,)).fetchone() is not None


def insert_user(conn: sqlite3.Connection, login: str, full_name: str, role: str, password_hash: str,
                must_change: bool, now: float) -> int:
    cur = conn.execute(
        "INSERT INTO users (login, full_name, role, password_hash, must_change_password, created_ts) "
        "VALUES (?, ?, ?, ?, ?, ?)", (login, full_name, role, password_hash, int(must_change), now))
    return int(cur.lastrowid or 0)


def user_login(conn: sqlite3.Connection, user_id: int) -> str | None:
    row = conn.execute("SELECT login FROM users WHERE id = ?", (user_id,)).fetchone()
    return None if row is None else str(row[0])


def update_password(conn: sqlite3.Connection, user_id: int, password_hash: str, must_change: bool,
                    keep_session: str | None = None) -> None:
    """A new password ends every session of the user (but ``keep_session``, the one changing it)."""
    end_sessions(conn, user_id, keep=keep_session)
    conn.execute("UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?",
                 (password_hash, int(must_change), user_id))


def update_role(conn: sqlite3.Connection, user_id: int, role: str) -> None:
    conn.execute("UPDATE users SET role = ? WHERE id = ?", (role, user_id))


def update_active(conn: sqlite3.Connection, user_id: int, active: bool) -> None:
    """Disabling an account ends its sessions too."""
    conn.execute("UPDATE users SET active = ? WHERE id = ?", (int(active), user_id))
    if not active:
        end_sessions(conn, user_id)


def active_admins(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchone()[0])


def user_row(conn: sqlite3.Connection, user_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    return row


def active_user_by_login(conn: sqlite3.Connection, login: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM users WHERE login = ? AND active", (login,)).fetchone()
    return row


def user_principal(row: sqlite3.Row) -> Principal:
    return Principal("user", row["id"], row["login"], row["role"], row["full_name"],
                     bool(row["must_change_password"]))


def user_by_id(conn: sqlite3.Connection, user_id: int) -> Principal | None:
    row = conn.execute("SELECT * FROM users WHERE id = ? AND active", (user_id,)).fetchone()
    return user_principal(row) if row else None


def list_users(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM users ORDER BY login").fetchall()


# --- login sessions -------------------------------------------------------------------------
SESSION_TOUCH_S = 60.0   # last_seen is written at most once a minute per session


def start_session(conn: sqlite3.Connection, user_id: int, address: str = "", now: float | None = None) -> str:
    """A new session for ``user_id``; returns its id (kept in the signed cookie, only its hash here)."""
    sid = secrets.token_urlsafe(32)
    ts = time.time() if now is None else now
    conn.execute("INSERT INTO user_sessions (id_hash, user_id, created_ts, last_seen_ts, address) "
                 "VALUES (?, ?, ?, ?, ?)", (token_hash(sid), user_id, ts, ts, address[:64]))
    return sid


def session_principal(conn: sqlite3.Connection, sid: str, user_id: int, idle_s: float,
                      now: float | None = None) -> tuple[Principal | None, bool]:
    """(the user of a live session, whether its last_seen should be written), or (None, False) when
    the session was ended, belongs to someone else, the user is disabled, or it was idle too long."""
    ts = time.time() if now is None else now
    row = conn.execute("SELECT s.last_seen_ts, u.* FROM user_sessions s JOIN users u ON u.id = s.user_id "
                       "WHERE s.id_hash = ? AND u.active", (token_hash(sid),)).fetchone()
    if row is None or row["id"] != user_id or ts - row["last_seen_ts"] > idle_s:
        return None, False
    return user_principal(row), ts - row["last_seen_ts"] >= SESSION_TOUCH_S


def touch_session(conn: sqlite3.Connection, sid: str, now: float | None = None) -> None:
    conn.execute("UPDATE user_sessions SET last_seen_ts = ? WHERE id_hash = ?",
                 (time.time() if now is None else now, token_hash(sid)))


def end_session(conn: sqlite3.Connection, sid: str) -> None:
    conn.execute("DELETE FROM user_sessions WHERE id_hash = ?", (token_hash(sid),))


def end_sessions(conn: sqlite3.Connection, user_id: int, keep: str | None = None) -> int:
    """End every session of ``user_id`` (but ``keep``); returns how many ended."""
    return conn.execute("DELETE FROM user_sessions WHERE user_id = ? AND id_hash != ?",
                        (user_id, token_hash(keep) if keep else "")).rowcount


def purge_idle_sessions(conn: sqlite3.Connection, idle_s: float, now: float | None = None) -> int:
    ts = time.time() if now is None else now
    return conn.execute("DELETE FROM user_sessions WHERE last_seen_ts < ?", (ts - idle_s,)).rowcount


# --- tokens -----------------------------------------------------------------------------------
def counter_exists(conn: sqlite3.Connection, counter_id: int) -> bool:
    return conn.execute("SELECT 1 FROM counters WHERE id = ?", (counter_id,)).fetchone() is not None


def insert_token(conn: sqlite3.Connection, name: str, role: str, hashed: str, now: float,
                 counter_id: int | None = None, counters: tuple[int, ...] | None = None) -> int:
    cur = conn.execute(
        "INSERT INTO api_tokens (name, role, token_hash, created_ts, counter_id, counters) VALUES (?, ?, ?, ?, ?, ?)",
        (name, role, hashed, now, counter_id, None if counters is None else ",".join(str(c) for c in counters)))
    return int(cur.lastrowid or 0)


def token_principal(conn: sqlite3.Connection, token: str) -> Principal | None:
    row = conn.execute("SELECT * FROM api_tokens WHERE token_hash = ? AND NOT revoked",
                       (token_hash(token),)).fetchone()
    if row is None:
        return None
    counters = tuple(int(c) for c in row["counters"].split(",")) if row["counters"] else None
    return Principal("token", row["id"], row["name"], row["role"], counter_id=row["counter_id"], counters=counters)


def token_row(conn: sqlite3.Connection, token_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM api_tokens WHERE id = ?", (token_id,)).fetchone()
    return row


def rename_token(conn: sqlite3.Connection, token_id: int, name: str) -> bool:
    """Whether there was such a token."""
    return conn.execute("UPDATE api_tokens SET name = ? WHERE id = ?", (name, token_id)).rowcount == 1


def update_token_used(conn: sqlite3.Connection, token_id: int, now: float) -> None:
    conn.execute("UPDATE api_tokens SET last_used_ts = ? WHERE id = ?", (now, token_id))


def update_token_revoked(conn: sqlite3.Connection, token_id: int) -> bool:
    """Whether there was such a token."""
    return conn.execute("UPDATE api_tokens SET revoked = 1 WHERE id = ?", (token_id,)).rowcount > 0


def list_tokens(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT id, name, role, counter_id, created_ts, last_used_ts, revoked FROM api_tokens "
                        "ORDER BY id").fetchall()


# --- login_failures: the login backoff's counts (appliance.domain.throttle), kept across restarts ---

def login_failures(conn: sqlite3.Connection, since_ts: float) -> list[tuple[str, str, str, int, float]]:
    """Every count whose last failure is at or after ``since_ts``: (kind, login, address, failures, last_ts)."""
    return [(str(r[0]), str(r[1]), str(r[2]), int(r[3]), float(r[4])) for r in conn.execute(
        "SELECT kind, login, address, failures, last_ts FROM login_failures WHERE last_ts >= ?", (since_ts,))]


def put_login_failure(conn: sqlite3.Connection, kind: str, login: str, address: str,
                      failures: int, last_ts: float) -> None:
    conn.execute("INSERT INTO login_failures (kind, login, address, failures, last_ts) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (kind, login, address) DO UPDATE SET failures = excluded.failures, "
                 "last_ts = excluded.last_ts", (kind, login, address, failures, last_ts))


def delete_login_failure(conn: sqlite3.Connection, kind: str, login: str, address: str) -> None:
    conn.execute("DELETE FROM login_failures WHERE kind = ? AND login = ? AND address = ?", (kind, login, address))


def forget_login_failures(conn: sqlite3.Connection, before_ts: float) -> int:
    """Drop counts whose last failure is before ``before_ts`` (they start again from zero anyway)."""
    return conn.execute("DELETE FROM login_failures WHERE last_ts < ?", (before_ts,)).rowcount
