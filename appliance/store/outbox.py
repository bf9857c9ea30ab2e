"""The sync outbox: facts for the hub, appended in the same transaction as the fact itself.

Rows are ``(seq, event_id, type, payload, wall_time, clock_synced, boot_id)``; the sync process
sends them in ``seq`` order and records ``acked_through`` (in ``kv``) when the hub confirms.
"""
from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, datetime
from typing import Any

from ..clock import boot_id
from .db import inserted_id

ACKED_KEY = "sync.acked_through"


def append_outbox(conn: sqlite3.Connection, type: str, payload: dict[str, Any],
                  clock_synced: bool) -> int:
    if not conn.in_transaction:
        raise RuntimeError("outbox rows must be written inside the fact's transaction")
    return inserted_id(conn.execute(
        "INSERT INTO outbox (event_id, type, payload, wall_time, clock_synced, boot_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (str(uuid.uuid4()), type, json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
         datetime.now(UTC).astimezone().isoformat(timespec="milliseconds"),
         int(clock_synced), boot_id())))


STATUS_KEY = "sync.status"


def sync_status(conn: sqlite3.Connection) -> dict[str, Any]:
    """What the sync process last recorded (last success, last error, …): shown by /health."""
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (STATUS_KEY,)).fetchone()
    return json.loads(row[0]) if row else {}


def record_sync_status(conn: sqlite3.Connection, **changes: Any) -> dict[str, Any]:
    """Merge ``changes`` into the recorded sync status (with the current backlog); inside a write."""
    status = {**sync_status(conn), **changes, "backlog": backlog(conn)}
    conn.execute("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                 "excluded.value", (STATUS_KEY, json.dumps(status, ensure_ascii=False)))
    return status


CATALOG_REJECTED_KEY = "sync.catalog_rejected"


def catalog_rejected(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """The hub's last catalog this appliance refused (``at``, ``version``, ``problems``: a few short
    Vietnamese lines), or None when the catalog in force is the hub's latest."""
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (CATALOG_REJECTED_KEY,)).fetchone()
    return json.loads(row[0]) if row else None


def record_catalog_rejected(conn: sqlite3.Connection, rejected: dict[str, Any] | None) -> None:
    """Remember (or, with None, forget) a refused catalog; inside a write."""
    if rejected is None:
        conn.execute("DELETE FROM kv WHERE key = ?", (CATALOG_REJECTED_KEY,))
        return
    conn.execute("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                 "excluded.value", (CATALOG_REJECTED_KEY, json.dumps(rejected, ensure_ascii=False)))


def acked_through(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (ACKED_KEY,)).fetchone()
    return int(row[0]) if row else 0


def mark_acked(conn: sqlite3.Connection, seq: int) -> None:
    """Record the hub's ``acked_through``; never moves backwards."""
    conn.execute("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                 "value = CASE WHEN CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER) "
                 "THEN excluded.value ELSE value END", (ACKED_KEY, str(int(seq))))


def pending(conn: sqlite3.Connection, limit: int = 500) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                        (acked_through(conn), limit)).fetchall()
    return [{"seq": r["seq"], "event_id": r["event_id"], "type": r["type"],
             "payload": json.loads(r["payload"]), "wall_time": r["wall_time"],
             "clock_synced": bool(r["clock_synced"]), "boot_id": r["boot_id"]} for r in rows]


def pending_json(conn: sqlite3.Connection, limit: int = 500) -> list[tuple[int, str]]:
    """(seq, event as a JSON object text) for the next rows, payload spliced in as stored:
    the sync process never parses and re-serialises payloads (less memory, less CPU)."""
    rows = conn.execute("SELECT seq, event_id, type, payload, wall_time, clock_synced, boot_id FROM outbox "
                        "WHERE seq > ? ORDER BY seq LIMIT ?", (acked_through(conn), limit)).fetchall()
    out = []
    for seq, event_id, type_, payload, wall_time, synced, boot in rows:
        head = json.dumps({"seq": seq, "event_id": event_id, "type": type_, "wall_time": wall_time,
                           "clock_synced": bool(synced), "boot_id": boot}, ensure_ascii=False,
                          separators=(",", ":"))
        out.append((seq, head[:-1] + ',"payload":' + payload + "}"))
    return out


def backlog(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM outbox WHERE seq > ?", (acked_through(conn),)).fetchone()[0]
