"""SQL for the ``kv`` table: small named values of this appliance (the sync's acknowledged seq and
status, the hub's ETags, the first-boot setup code, the wizard's step). The one writer of ``kv``;
``store/outbox.py`` keeps the sync's keys through it."""
from __future__ import annotations

import sqlite3


def get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def put(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (key, value))


def put_at_least(conn: sqlite3.Connection, key: str, value: int) -> None:
    """Store the integer ``value`` unless a larger one is there already (never moves backwards)."""
    conn.execute("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                 "value = CASE WHEN CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER) "
                 "THEN excluded.value ELSE value END", (key, str(int(value))))


def delete(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM kv WHERE key = ?", (key,))


def reserve_block(conn: sqlite3.Connection, key: str, at_least: int, size: int) -> int:
    """Reserve ``size`` integers above the high-water mark stored under ``key`` (and from at least
    ``at_least``); store the new mark and return the first integer of the block."""
    stored = get(conn, key)
    first = max(int(stored) + 1 if stored and stored.lstrip("-").isdigit() else 1, at_least)
    put(conn, key, str(first + size - 1))
    return first
