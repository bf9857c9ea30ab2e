"""SQL for ``print_jobs`` and ``pager_pages``: what the printer printed and the pager sent, kept on
disk (migration 0020). The one writer of both tables; the printer and pager workers reach it through
:mod:`appliance.devices.journal`. Old rows are trimmed on insert (``KEEP_*``)."""
from __future__ import annotations

import json
import sqlite3
from typing import Any

KEEP_PRINT_JOBS = 2000     # about two weeks of a busy office's tickets
KEEP_PAGES = 5000
_TRIM_EVERY = 100          # trim at most once per this many inserts (cheap: by rowid)

JOB_COLUMNS = ("id", "kind", "number", "ticket_id", "slip", "state", "error", "attempts", "bytes",
               "submitted_ts", "printed_ts", "reprint_of")


def save_print_job(conn: sqlite3.Connection, job: dict[str, Any]) -> None:
    """Insert or update one job (``job`` has :data:`JOB_COLUMNS`; ``slip`` a dict)."""
    row = {**job, "slip": json.dumps(job.get("slip") or {}, ensure_ascii=False, sort_keys=True)}
    conn.execute(f"INSERT INTO print_jobs ({', '.join(JOB_COLUMNS)}) VALUES "
                 f"({', '.join(':' + c for c in JOB_COLUMNS)}) ON CONFLICT(id) DO UPDATE SET "
                 "state = excluded.state, error = excluded.error, attempts = excluded.attempts, "
                 "bytes = excluded.bytes, printed_ts = excluded.printed_ts",
                 {c: row.get(c) for c in JOB_COLUMNS})
    rowid = conn.execute("SELECT rowid FROM print_jobs WHERE id = ?", (job["id"],)).fetchone()[0]
    if rowid % _TRIM_EVERY == 0:
        conn.execute("DELETE FROM print_jobs WHERE rowid <= ?", (rowid - KEEP_PRINT_JOBS,))


def _job(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["slip"] = json.loads(out["slip"] or "{}")
    return out


def recent_print_jobs(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """The last ``limit`` jobs, oldest first."""
    rows = conn.execute(f"SELECT {', '.join(JOB_COLUMNS)} FROM print_jobs ORDER BY rowid DESC LIMIT ?",
                        (limit,)).fetchall()
    return [_job(r) for r in reversed(rows)]


def print_job(conn: sqlite3.Connection, job_id: str) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {', '.join(JOB_COLUMNS)} FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
    return _job(row) if row else None


def print_jobs_of_ticket(conn: sqlite3.Connection, ticket_id: int) -> list[dict[str, Any]]:
    """Every job of one ticket (its slip, its reprints), oldest first."""
    rows = conn.execute(f"SELECT {', '.join(JOB_COLUMNS)} FROM print_jobs WHERE ticket_id = ? ORDER BY rowid",
                        (ticket_id,)).fetchall()
    return [_job(r) for r in rows]


def unfinished_print_jobs(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Jobs queued or printing when the appliance stopped, oldest first."""
    rows = conn.execute(f"SELECT {', '.join(JOB_COLUMNS)} FROM print_jobs WHERE state IN ('queued', 'printing') "
                        "ORDER BY rowid").fetchall()
    return [_job(r) for r in rows]


def record_page(conn: sqlite3.Connection, ts: float, pager: int | None, event: str, repeat_no: int,
                result: str, message: str) -> int:
    """One page; what held the pager then (its ticket, its dossier) is read from the pool now."""
    cur = conn.execute(
        "INSERT INTO pager_pages (ts, pager, event, repeat_no, result, message, ticket_number, dossier_code) "
        "VALUES (?, ?, ?, ?, ?, ?, (SELECT t.number FROM pagers p JOIN tickets t ON t.id = p.ticket_id "
        "WHERE p.number = ?), (SELECT dossier_code FROM pagers WHERE number = ?))",
        (ts, pager, event, repeat_no, result, message, pager, pager))
    rowid = int(cur.lastrowid or 0)
    if rowid % _TRIM_EVERY == 0:
        conn.execute("DELETE FROM pager_pages WHERE id <= ?", (rowid - KEEP_PAGES,))
    return rowid


def pages_of(conn: sqlite3.Connection, pager: int, limit: int, before: int | None = None) -> list[sqlite3.Row]:
    """One pager's pages, newest first; ``before`` an id to page further back."""
    return conn.execute("SELECT id, ts, pager, event, repeat_no, result, message, ticket_number, dossier_code "
                        "FROM pager_pages "
                        "WHERE pager = ? AND id < ? ORDER BY id DESC LIMIT ?",
                        (pager, before if before is not None else 1 << 62, limit)).fetchall()
