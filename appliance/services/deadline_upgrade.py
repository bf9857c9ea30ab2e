"""Recompute the deadlines and outcomes of dossiers stored before the two deadlines (migration 0006).

Before, a dossier kept one due time: the earlier of its legal time limit and the model day's 2-hour
target, and its outcome was measured against it (a khai sinh received at 08:00 on a model day and
returned at 14:00 counted as late). Migration 0006 keeps that time as the target and marks the row
(``deadline_rules`` NULL); this pass, run when the appliance opens its database, gives each marked
row its legal due time (from the catalog procedure, the working calendar and the counting rules),
its target, and its outcome measured against the legal due time. Rows whose procedure is no longer
in the catalog keep their due time as the legal one. The hub is told with a ``dossier.deadlines``
outbox event per row (legal and target due times, outcome, target_met; no personal data). Each batch
is one transaction: a kill in the middle leaves the remaining rows marked and the next start
finishes them.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from typing import Any

from ..domain.calendar import WorkCalendar
from ..domain.catalog import Catalog
from ..domain.counting import CountingRules, measured_due, target_met
from ..store import dossier_store as store
from .uow import Units

log = logging.getLogger(__name__)
BATCH = 500


def _at(ts: float | None, tz: Any) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz)


def _clock_start(conn: sqlite3.Connection, row: sqlite3.Row, tz: Any, clock: str) -> datetime:
    """When the legal clock last (re)started: receipt, or the end of the last supplement wait."""
    start = datetime.fromtimestamp(row["received_ts"], tz)
    if clock != "restart":
        return start
    waiting = False
    for e in store.events(conn, row["id"]):
        if e["action"] == "supplement":
            waiting = True
        elif waiting and e["action"] == "processing":
            start, waiting = datetime.fromtimestamp(e["ts"], tz), False
    return start


def recompute_row(conn: sqlite3.Connection, row: sqlite3.Row, catalog: Catalog, calendar: WorkCalendar,
                  counting: CountingRules,
                  tz: Any, rules_tag: str) -> dict[str, Any]:
    """The new values of one stored row (the caller writes them)."""
    proc = catalog.procedures.get(row["procedure"])
    legal = _at(row["due_ts"], tz)
    target = None
    if proc is not None:
        received = datetime.fromtimestamp(row["received_ts"], tz)
        start = _clock_start(conn, row, tz, counting.supplement_clock)
        legal = calendar.legal_due_for_procedure(proc, start)
        target = calendar.target_due_for_procedure(proc, received)
    out: dict[str, Any] = {"due_ts": legal.timestamp() if legal else None,
                           "target_due_ts": target.timestamp() if target else None,
                           "deadline_rules": rules_tag}
    state = row["state"]
    if state == "returned":
        finished = datetime.fromtimestamp(row["ready_ts"] or row["returned_ts"] or row["closed_ts"], tz)
        out["outcome"] = calendar.outcome(measured_due(legal, _at(row["new_due_ts"], tz), counting), finished)
        met = target_met(target, finished)
        out["target_met"] = None if met is None else int(met)
    elif state in ("refused", "stopped", "withdrawn"):
        out["outcome"] = counting.closing_outcome(state)
    return out


def _iso(ts: float | None, tz: Any) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds")


def recompute_deadlines(units: Units, catalog: Catalog, calendar: WorkCalendar, counting: CountingRules,
                        tz: Any, rules_tag: str) -> int:
    """Recompute every marked row, a batch per unit of work (its ``dossier.deadlines`` facts in it);
    returns how many. Nothing to do (the usual case) costs one query."""
    done = 0
    while True:
        with units() as tx:
            conn = tx.conn
            rows = conn.execute("SELECT * FROM dossiers WHERE deadline_rules IS NULL ORDER BY id LIMIT ?",
                                (BATCH,)).fetchall()
            for row in rows:
                new = recompute_row(conn, row, catalog, calendar, counting, tz, rules_tag)
                store.update_dossier(conn, row["id"], **new)
                outcome = new.get("outcome", row["outcome"])
                met = new.get("target_met", row["target_met"])
                seq = tx.record("dossier.deadlines", {
                    "code": row["code"], "legal_due_at": _iso(new["due_ts"], tz),
                    "target_due_at": _iso(new["target_due_ts"], tz), "outcome": outcome,
                    "target_met": None if met is None else bool(met)})
                store.set_last_outbox_seq(conn, row["id"], seq)
        done += len(rows)
        if len(rows) < BATCH:
            break
    if done:
        log.info("deadlines and outcomes recomputed for %d dossier(s) stored before the two deadlines", done)
    return done
