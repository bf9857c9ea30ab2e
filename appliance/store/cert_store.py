"""The Sổ chứng thực: SQL only. Numbers are allocated and lines inserted on the caller's write
transaction (:mod:`appliance.services.certification` runs both in one unit of work)."""
from __future__ import annotations

import sqlite3
from typing import Any

from .db import inserted_id

COLUMNS = ("book", "year", "number", "volume", "recorded_ts", "day", "requester_name", "requester_id",
           "document_name", "pages", "copies", "signer_name", "signing", "fee", "certifier", "certifier_title",
           "note", "dossier_code", "officer")


def open_volume(conn: sqlite3.Connection, book: str, year: int, ts: float) -> int:
    """The open quyển of ``book`` in ``year``, created as 1 on the year's first entry."""
    conn.execute("INSERT OR IGNORE INTO cert_volumes (book, year, volume, opened_ts) VALUES (?, ?, 1, ?)",
                 (book, year, ts))
    return int(conn.execute("SELECT volume FROM cert_volumes WHERE book = ? AND year = ?",
                            (book, year)).fetchone()[0])


def start_next_volume(conn: sqlite3.Connection, book: str, year: int, ts: float) -> int:
    """Close the open quyển (the paper book is full) and open the next one; numbers go on."""
    open_volume(conn, book, year, ts)
    conn.execute("UPDATE cert_volumes SET volume = volume + 1, opened_ts = ? WHERE book = ? AND year = ?",
                 (ts, book, year))
    return open_volume(conn, book, year, ts)


def next_number(conn: sqlite3.Connection, book: str, year: int) -> int:
    """The next số chứng thực of the book's year: call it on the write transaction that inserts."""
    row = conn.execute("SELECT MAX(number) FROM cert_entries WHERE book = ? AND year = ?", (book, year)).fetchone()
    return int(row[0] or 0) + 1


def insert_entry(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    cols = ", ".join(COLUMNS)
    marks = ", ".join(f":{c}" for c in COLUMNS)
    return inserted_id(conn.execute(f"INSERT INTO cert_entries ({cols}) VALUES ({marks})",
                                    {c: values.get(c) for c in COLUMNS}))


def get_entry(conn: sqlite3.Connection, entry_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM cert_entries WHERE id = ?", (entry_id,)).fetchone()


def list_entries(conn: sqlite3.Connection, book: str, first_day: str, last_day: str,
                 limit: int = 2000) -> list[sqlite3.Row]:
    """Lines of ``book`` recorded from ``first_day`` to ``last_day`` (ISO days), in number order."""
    return conn.execute("SELECT * FROM cert_entries WHERE book = ? AND day BETWEEN ? AND ? "
                        "ORDER BY year, number LIMIT ?", (book, first_day, last_day, limit)).fetchall()


def year_numbers(conn: sqlite3.Connection, book: str, year: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT number FROM cert_entries WHERE book = ? AND year = ? "
                                       "ORDER BY number", (book, year))]
