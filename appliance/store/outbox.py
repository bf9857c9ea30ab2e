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
from . import kv_store
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
    value = kv_store.get(conn, STATUS_KEY)
    return json.loads(value) if value else {}


def record_sync_status(conn: sqlite3.Connection, **changes: Any) -> dict[str, Any]:
    """Merge ``changes`` into the recorded sync status (with the current backlog); inside a write."""
    status = {**sync_status(conn), **changes, "backlog": backlog(conn)}
    kv_store.put(conn, STATUS_KEY, json.dumps(status, ensure_ascii=False))
    return status


SET_ASIDE_KEY = "sync.set_aside"
SET_ASIDE_KEPT = 200   # the newest entries kept in the list (the count goes on)


def set_aside_rows(conn: sqlite3.Connection) -> dict[str, Any]:
    """Outbox rows the hub refused even alone, sent since as placeholders (``appliance.sync.client``):
    ``{"count", "events": [{seq, type, reason, at}, …], "seqs"}`` (the newest :data:`SET_ASIDE_KEPT`
    events); their rows stay in the outbox as they were."""
    value = kv_store.get(conn, SET_ASIDE_KEY)
    return json.loads(value) if value else {"count": 0, "events": [], "seqs": []}


def set_aside(conn: sqlite3.Connection, seq: int, reason: str, at: str) -> None:
    """Record that the row ``seq`` was refused by the hub and passed over; inside a write."""
    row = conn.execute("SELECT type FROM outbox WHERE seq = ?", (seq,)).fetchone()
    kept = set_aside_rows(conn)
    kept["events"] = ([*kept["events"], {"seq": seq, "type": row[0] if row else None, "reason": reason[:500],
                                         "at": at}])[-SET_ASIDE_KEPT:]
    kept["count"] = int(kept.get("count", 0)) + 1
    kept["seqs"] = sorted({*kept.get("seqs", []), seq})[-10_000:]
    kv_store.put(conn, SET_ASIDE_KEY, json.dumps(kept, ensure_ascii=False))
    record_sync_status(conn, set_aside=kept["count"])


def set_aside_seqs(conn: sqlite3.Connection) -> set[int]:
    """The seqs sent as ``outbox.set_aside`` placeholders instead of their rows."""
    return set(set_aside_rows(conn).get("seqs", []))


SET_ASIDE_TYPE = "outbox.set_aside"


def _placeholder(type_: str, payload: str, seq: int, conn: sqlite3.Connection) -> tuple[str, str]:
    """What is sent for a set-aside row: a well-formed event any hub keeps, carrying the original."""
    reason = next((e["reason"] for e in set_aside_rows(conn)["events"] if e["seq"] == seq), "")
    raw = payload if len(payload) <= 64 * 1024 else payload[: 64 * 1024] + "…"
    return SET_ASIDE_TYPE, json.dumps({"original_type": type_, "reason": reason, "raw": raw}, ensure_ascii=False)


CATALOG_REJECTED_KEY = "sync.catalog_rejected"


def catalog_rejected(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """The hub's last catalog this appliance refused (``at``, ``version``, ``problems``: a few short
    Vietnamese lines), or None when the catalog in force is the hub's latest."""
    value = kv_store.get(conn, CATALOG_REJECTED_KEY)
    return json.loads(value) if value else None


def record_catalog_rejected(conn: sqlite3.Connection, rejected: dict[str, Any] | None) -> None:
    """Remember (or, with None, forget) a refused catalog; inside a write."""
    if rejected is None:
        kv_store.delete(conn, CATALOG_REJECTED_KEY)
        return
    kv_store.put(conn, CATALOG_REJECTED_KEY, json.dumps(rejected, ensure_ascii=False))


def acked_through(conn: sqlite3.Connection) -> int:
    value = kv_store.get(conn, ACKED_KEY)
    return int(value) if value else 0


def mark_acked(conn: sqlite3.Connection, seq: int) -> None:
    """Record the hub's ``acked_through``; never moves backwards."""
    kv_store.put_at_least(conn, ACKED_KEY, seq)


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
    aside = set_aside_seqs(conn) if rows else set()
    out = []
    for seq, event_id, type_, payload, wall_time, synced, boot in rows:
        if seq in aside:
            type_, payload = _placeholder(type_, payload, seq, conn)
        head = json.dumps({"seq": seq, "event_id": event_id, "type": type_, "wall_time": wall_time,
                           "clock_synced": bool(synced), "boot_id": boot}, ensure_ascii=False,
                          separators=(",", ":"))
        out.append((seq, head[:-1] + ',"payload":' + payload + "}"))
    return out


def backlog(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM outbox WHERE seq > ?", (acked_through(conn),)).fetchone()[0]


def scrub_purged_dossiers(conn: sqlite3.Connection, codes: list[str], acked_through: int) -> None:
    """Sent (acknowledged) outbox rows of purged dossiers lose the applicant, the public lookup's keys
    (the hashed phone + last 4 digits) and the free text too (notes, reasons, who handed the papers
    over to whom)."""
    if not codes:
        return
    marks = ", ".join("?" for _ in codes)
    conn.execute(f"UPDATE outbox SET payload = json_remove(payload, '$.dossier.applicant', '$.dossier.lookup') "
                 f"WHERE seq <= ? "
                 f"AND type = 'dossier.received' AND json_extract(payload, '$.dossier.code') IN ({marks})",
                 (acked_through, *codes))
    conn.execute(f"UPDATE outbox SET payload = json_remove(payload, '$.lookup') WHERE seq <= ? "
                 f"AND type = 'dossier.lookup' AND json_extract(payload, '$.code') IN ({marks})",
                 (acked_through, *codes))
    conn.execute(f"UPDATE outbox SET payload = json_remove(payload, '$.note', '$.reason', '$.from', '$.to') "
                 f"WHERE seq <= ? "
                 f"AND type = 'dossier.state' AND json_extract(payload, '$.code') IN ({marks})",
                 (acked_through, *codes))
