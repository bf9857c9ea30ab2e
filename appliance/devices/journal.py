"""The printer's and the pager's journals on the appliance's database (``store/device_journal.py``).

The device workers write through these from their own threads. A journal never stops a device: a
busy or full database is logged and the ticket still prints, the pager still buzzes (what is not
written is only missing from the history).

Journal rows are written without waiting for the disk's ``fsync`` (``Database.write(durable=False)``):
the printer's is written from the request that issues the ticket, and a second ``fsync`` there
doubled what an issue waits for the disk (on an SD card, 5–20 ms each). A killed process keeps
them; a power cut may lose the last ones until the next ticket's commit, which carries them.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from ..store import device_journal as store
from ..store.db import Database, StoreError

log = logging.getLogger(__name__)
_FAILURES = (sqlite3.Error, StoreError, OSError)


class PrintJournal:
    def __init__(self, db: Database):
        self.db = db

    def save(self, row: dict[str, Any]) -> None:
        try:
            with self.db.write(durable=False) as conn:
                store.save_print_job(conn, row)
        except _FAILURES as exc:
            log.warning("print job %s not written to the journal: %s", row.get("id"), exc)

    def recent(self, limit: int) -> list[dict[str, Any]] | None:
        """Oldest first; None when the database cannot be read (the caller uses what it holds)."""
        try:
            return store.recent_print_jobs(self.db.conn(), limit)
        except _FAILURES as exc:
            log.warning("print journal not read: %s", exc)
            return None

    def get(self, job_id: str) -> dict[str, Any] | None:
        try:
            return store.print_job(self.db.conn(), job_id)
        except _FAILURES as exc:
            log.warning("print journal not read: %s", exc)
            return None

    def of_ticket(self, ticket_id: int) -> list[dict[str, Any]] | None:
        try:
            return store.print_jobs_of_ticket(self.db.conn(), ticket_id)
        except _FAILURES as exc:
            log.warning("print journal not read: %s", exc)
            return None

    def unfinished(self) -> list[dict[str, Any]] | None:
        try:
            return store.unfinished_print_jobs(self.db.conn())
        except _FAILURES as exc:
            log.warning("print journal not read: %s", exc)
            return None


class PageJournal:
    """Each page the pager service sent (or could not send), timed by the appliance's clock."""

    def __init__(self, db: Database, clock: Callable[[], float]):
        self.db = db
        self.clock = clock

    def record(self, entry: dict[str, Any]) -> None:
        pager = entry.get("pager")
        try:
            with self.db.write(durable=False) as conn:
                store.record_page(conn, self.clock(), pager if isinstance(pager, int) else None,
                                  str(entry.get("event") or ""), int(entry.get("repeat") or 0),
                                  str(entry.get("result") or ""), str(entry.get("message") or ""))
        except _FAILURES as exc:
            log.warning("page of pager %s not written to the journal: %s", pager, exc)
