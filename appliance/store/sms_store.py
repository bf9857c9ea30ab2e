"""SQL for the SMS queue (``sms_messages``): the one module that writes it.

A row is one message to one citizen, keyed by the fact it announces (``key``, unique), so asking
twice for "the result of dossier X is ready" queues one message. States::

    queued ──▶ sending ──▶ sent ──▶ delivered
       ▲          │          └────▶ failed (the network's delivery report said so)
       └──────────┘ a link error (unplugged, no signal): back to queued, attempt not counted
    queued ──▶ failed (refused max_attempts times) · expired (past expires_ts) · cancelled

What to send and when is decided in ``appliance.services.messages``; this module only reads and
writes rows inside the caller's transaction.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from .db import inserted_id, update_by_id

OPEN_STATES = ("queued", "sending")


def enqueue(conn: sqlite3.Connection, *, key: str, kind: str, phone: str, text: str, now: float,
            not_before: float | None = None, expires: float | None = None, dossier_code: str | None = None,
            appointment_id: int | None = None) -> int | None:
    """Queue a message; ``None`` when a message with this ``key`` exists already (sent or not)."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO sms_messages (key, kind, phone, text, dossier_code, appointment_id, created_ts, "
        "next_try_ts, expires_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (key, kind, phone, text, dossier_code, appointment_id, now, now if not_before is None else not_before,
         expires))
    return inserted_id(cur) if cur.rowcount else None


def by_key(conn: sqlite3.Connection, key: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM sms_messages WHERE key = ?", (key,)).fetchone()


def get(conn: sqlite3.Connection, message_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM sms_messages WHERE id = ?", (message_id,)).fetchone()


def next_due(conn: sqlite3.Connection, now: float) -> sqlite3.Row | None:
    """The oldest queued message whose time has come."""
    return conn.execute("SELECT * FROM sms_messages WHERE state = 'queued' AND next_try_ts <= ? "
                        "ORDER BY next_try_ts, id LIMIT 1", (now,)).fetchone()


def next_wake(conn: sqlite3.Connection) -> float | None:
    """When the next queued message falls due."""
    value = conn.execute("SELECT min(next_try_ts) FROM sms_messages WHERE state = 'queued'").fetchone()[0]
    return None if value is None else float(value)


def expire_due(conn: sqlite3.Connection, now: float) -> list[int]:
    ids = [r[0] for r in conn.execute("SELECT id FROM sms_messages WHERE state = 'queued' AND expires_ts IS NOT NULL "
                                      "AND expires_ts < ?", (now,))]
    if ids:
        conn.executemany("UPDATE sms_messages SET state = 'expired' WHERE id = ?", [(i,) for i in ids])
    return ids


_UPDATABLE = frozenset({"state", "next_try_ts", "attempts", "last_error", "sent_ts", "delivered_ts", "parts",
                        "refs", "transport"})


def update(conn: sqlite3.Connection, message_id: int, **values: Any) -> None:
    update_by_id(conn, "sms_messages", message_id, _UPDATABLE, values)


def requeue_interrupted(conn: sqlite3.Connection, now: float) -> int:
    """Messages left ``sending`` by a crash go back to the queue (a second copy is better than none)."""
    return conn.execute("UPDATE sms_messages SET state = 'queued', next_try_ts = ? WHERE state = 'sending'",
                        (now,)).rowcount


def by_reference(conn: sqlite3.Connection, reference: str, since: float) -> sqlite3.Row | None:
    """The sent message one of whose parts has this reference (references wrap at 256: the newest)."""
    return conn.execute("SELECT * FROM sms_messages WHERE state = 'sent' AND sent_ts >= ? AND "
                        "(' ' || refs || ' ') LIKE ? ORDER BY sent_ts DESC LIMIT 1",
                        (since, f"% {reference} %")).fetchone()


def cancel_open(conn: sqlite3.Connection, *, appointment_id: int | None = None, kind: str | None = None) -> int:
    sql = "UPDATE sms_messages SET state = 'cancelled' WHERE state = 'queued'"
    args: list[Any] = []
    if appointment_id is not None:
        sql += " AND appointment_id = ?"
        args.append(appointment_id)
    if kind is not None:
        sql += " AND kind = ?"
        args.append(kind)
    return conn.execute(sql, args).rowcount


def recent(conn: sqlite3.Connection, limit: int = 50, offset: int = 0) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM sms_messages ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)).fetchall()


def for_dossier(conn: sqlite3.Connection, code: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM sms_messages WHERE dossier_code = ? ORDER BY id", (code,)).fetchall()


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {r[0]: r[1] for r in conn.execute("SELECT state, count(*) FROM sms_messages GROUP BY state")}


def sent_since(conn: sqlite3.Connection, since: float) -> int:
    return int(conn.execute("SELECT count(*) FROM sms_messages WHERE sent_ts >= ?", (since,)).fetchone()[0])


def purge_for_dossiers(conn: sqlite3.Connection, codes: list[str], now: float) -> int:
    """The phone and text of these dossiers' messages go with the dossier's personal data; queued ones
    are cancelled."""
    done = 0
    for code in codes:
        done += conn.execute("UPDATE sms_messages SET phone = NULL, text = NULL, purged_ts = ?, "
                             "state = CASE WHEN state IN ('queued', 'sending') THEN 'cancelled' ELSE state END "
                             "WHERE dossier_code = ? AND purged_ts IS NULL", (now, code)).rowcount
    return done


def purge_older_than(conn: sqlite3.Connection, cutoff: float, now: float) -> int:
    """Finished messages older than ``cutoff`` lose their phone and text (the row and its state stay)."""
    return conn.execute("UPDATE sms_messages SET phone = NULL, text = NULL, purged_ts = ? WHERE purged_ts IS NULL "
                        "AND state NOT IN ('queued', 'sending') AND created_ts < ?", (now, cutoff)).rowcount
